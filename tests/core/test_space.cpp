// Design spaces as data: the shipped files, the schema's round trip, and every bad-input path.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/base/error.hpp"
#include "core/space/space.hpp"

using namespace regnet;
namespace fs = std::filesystem;

namespace {

// A scratch directory removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("regnet-space-test-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path p = path / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
};

// Points REGNET_CONFIG_DIR somewhere for the lifetime of the object.
struct ConfigDirOverride {
  std::string old;
  bool had = false;
  explicit ConfigDirOverride(const std::string& dir) {
    if (const char* v = std::getenv("REGNET_CONFIG_DIR")) {
      had = true;
      old = v;
    }
    ::setenv("REGNET_CONFIG_DIR", dir.c_str(), 1);
  }
  ~ConfigDirOverride() {
    if (had)
      ::setenv("REGNET_CONFIG_DIR", old.c_str(), 1);
    else
      ::unsetenv("REGNET_CONFIG_DIR");
  }
};

nlohmann::json minimal_anynet() {
  return nlohmann::json::parse(R"({
    "type": "anynet", "num_stages": 4,
    "parameters": {
      "depth": {"dist": "log_uniform", "low": 1, "high": 16, "q": 1},
      "width": {"dist": "log_uniform", "low": 8, "high": 1024, "q": 8},
      "group_width": {"dist": "power2", "low": 1, "high": 32}
    }
  })");
}

nlohmann::json minimal_regnet() {
  return nlohmann::json::parse(R"({
    "type": "regnet", "num_stages": 4,
    "parameters": {
      "depth": {"dist": "uniform", "low": 12, "high": 28},
      "w0": {"dist": "log_uniform", "low": 8, "high": 256, "q": 8},
      "wa": {"dist": "log_uniform", "low": 8, "high": 256, "q": 0.1},
      "wm": {"dist": "log_uniform", "low": 2, "high": 3, "q": 0.001},
      "group_width": {"dist": "power2_or_log_uniform", "low": 1, "high": 128, "q": 8}
    }
  })");
}

std::string error_of(const nlohmann::json& j) {
  try {
    space_from_json(j, "x.json");
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("space: the shipped spaces load with the paper's ranges", "[space]") {
  const auto all = load_all_spaces();
  std::vector<std::string> names;
  for (const auto& s : all) names.push_back(s.name);
  for (const char* n : {"AnyNetXA", "AnyNetXB", "AnyNetXC", "AnyNetXD", "AnyNetXE", "RegNetX", "RegNetY"})
    CHECK(std::find(names.begin(), names.end(), n) != names.end());

  const DesignSpace a = load_space("AnyNetXA");
  CHECK(a.type == SpaceType::anynet);
  CHECK(a.min_stages == 4);
  CHECK(a.max_stages == 4);
  CHECK(a.constraints.empty());
  const auto* d = a.find("depth");
  REQUIRE(d);
  CHECK(d->per_stage);
  CHECK(d->dist.kind == DistKind::log_uniform);
  CHECK(d->dist.low == 1);
  CHECK(d->dist.high == 16);
  CHECK(a.find("width")->dist.q == 8);
  CHECK(a.find("width")->dist.high == 1024);
  CHECK(a.find("bottleneck_ratio")->dist.kind == DistKind::power2);
  CHECK(a.find("bottleneck_ratio")->dist.high == 4);
  CHECK(a.find("group_width")->dist.high == 32);
  CHECK(a.find("group_width")->per_stage);
  CHECK(a.network.input_size == 224);
  CHECK(a.network.stem_width == 32);

  CHECK_FALSE(load_space("AnyNetXB").find("bottleneck_ratio")->per_stage);
  CHECK(load_space("AnyNetXB").find("group_width")->per_stage);
  CHECK_FALSE(load_space("anynetxc").find("group_width")->per_stage);  // names are case-insensitive
  CHECK(load_space("AnyNetXD").constraints.size() == 1);
  const DesignSpace e = load_space("AnyNetXE");
  REQUIRE(e.constraints.size() == 2);
  CHECK(e.constraints[0].parameter == "width");
  CHECK(e.constraints[1].parameter == "depth");

  const DesignSpace x = load_space("RegNetX");
  CHECK(x.type == SpaceType::regnet);
  CHECK(x.find("depth")->dist.kind == DistKind::uniform);
  CHECK(x.find("depth")->dist.low == 12);
  CHECK(x.find("depth")->dist.high == 28);
  CHECK(x.find("w0")->dist.q == 8);
  CHECK(x.find("wa")->dist.q == Approx(0.1));
  CHECK(x.find("wm")->dist.low == 2);
  CHECK(x.find("wm")->dist.q == Approx(0.001));
  CHECK(x.find("group_width")->dist.kind == DistKind::power2_or_log_uniform);
  CHECK(x.find("bottleneck_ratio")->dist.kind == DistKind::fixed);
  CHECK(x.find("bottleneck_ratio")->dist.values[0] == 1);
  CHECK(x.find("se_ratio")->dist.values[0] == 0);
  CHECK(load_space("RegNetY").find("se_ratio")->dist.values[0] == 0.25);
}

TEST_CASE("space: to_json writes every default and reads back the same space", "[space]") {
  for (const auto& s : load_all_spaces()) {
    INFO(s.name);
    const nlohmann::json j = to_json(s);
    const DesignSpace back = space_from_json(j, "roundtrip.json");
    CHECK(to_json(back) == j);
    CHECK(back == s);  // load(write(space)) == space, as a value
    CHECK(back.parameters.size() == s.parameters.size());
  }
  // Defaults: b = 1 and se = 0 when absent; the name comes from the file.
  const DesignSpace m = space_from_json(minimal_anynet(), "/some/dir/MySpace.json");
  CHECK(m.name == "MySpace");
  CHECK(m.find("bottleneck_ratio")->dist.values == std::vector<double>{1.0});
  CHECK(m.find("se_ratio")->dist.values == std::vector<double>{0.0});
  CHECK(m.find("depth")->per_stage);  // anynet parameters are per stage unless "shared"
  CHECK(m.find("depth")->dist.q == 1);
  const DesignSpace r = space_from_json(minimal_regnet(), "R.json");
  CHECK(r.width_quantum == 8);
  CHECK(r.find("depth")->dist.q == 1);  // integer parameters default to q = 1
}

TEST_CASE("space: the activation is a parameter: fixed relu by default, a word, a choice", "[space]") {
  const DesignSpace m = space_from_json(minimal_anynet(), "A.json");
  CHECK(m.find("activation")->dist.kind == DistKind::fixed);
  CHECK(m.find("activation")->dist.values == std::vector<double>{0.0});  // relu
  auto j = minimal_regnet();
  j["parameters"]["activation"] = "silu";
  const DesignSpace silu = space_from_json(j, "R.json");
  CHECK(silu.find("activation")->dist.values == std::vector<double>{1.0});
  CHECK(to_json(silu)["parameters"]["activation"]["value"] == "silu");
  j["parameters"]["activation"] = {{"dist", "choice"}, {"values", {"relu", "silu"}}};
  const DesignSpace both = space_from_json(j, "R.json");
  CHECK(to_text(*both.find("activation")) == "choice {relu, silu}");
  CHECK(space_from_json(to_json(both), "R2.json") == both);
  auto error_of = [](const nlohmann::json& x) {
    try {
      space_from_json(x, "x.json");
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  j["parameters"]["activation"] = "gelu";
  CHECK(error_of(j) == "x.json: parameters.activation: \"gelu\" is not one of relu, silu");
  j["parameters"]["activation"] = 1;
  CHECK(error_of(j) == "x.json: parameters.activation: 1 is not one of relu, silu");
  j["parameters"]["activation"] = nlohmann::json::array();
  CHECK(error_of(j) == "x.json: parameters.activation: [] must be a word or an object with \"dist\"");
  j["parameters"]["activation"] = {{"dist", "uniform"}, {"low", 0}, {"high", 1}};
  CHECK(error_of(j) == "x.json: parameters.activation.dist: 'uniform' does not apply to words: use choice or a value");
  j["parameters"]["activation"] = {{"value", "silu"}, {"scope", "per_stage"}};
  CHECK(error_of(j).find("x.json: parameters.activation.scope: 'per_stage' is not possible here") == 0);
}

TEST_CASE("space: a stage-count range, fixed shorthands and custom network defaults", "[space]") {
  auto j = minimal_anynet();
  j["num_stages"] = {{"min", 3}, {"max", 5}};
  j["parameters"]["bottleneck_ratio"] = 2;
  j["parameters"]["group_width"] = {{"dist", "choice"}, {"values", {8, 16}}, {"scope", "shared"}};
  j["network"] = {{"input_size", 32}, {"stem_type", "res_stem_cifar"}, {"num_classes", 10}};
  const DesignSpace s = space_from_json(j, "c.json");
  CHECK(s.min_stages == 3);
  CHECK(s.max_stages == 5);
  CHECK(s.find("bottleneck_ratio")->dist.kind == DistKind::fixed);
  CHECK(s.find("group_width")->dist.values == std::vector<double>{8, 16});
  CHECK_FALSE(s.find("group_width")->per_stage);
  CHECK(s.network.input_size == 32);
  CHECK(s.network.stem_type == StemType::res_stem_cifar);
  CHECK(s.network.stem_width == 32);  // untouched defaults stay
  CHECK(to_text(s.find("group_width")->dist) == "choice {8, 16}");
  CHECK(to_text(s.find("width")->dist) == "log_uniform [8, 1024] q 8");
}

TEST_CASE("space: bad definitions name the file, the field and the value", "[space]") {
  auto j = minimal_anynet();
  j["parameters"]["depth"]["low"] = 0;
  CHECK(error_of(j) == "x.json: parameters.depth.low: 0 must be in [1, 1000]");

  j = minimal_anynet();
  j["parameters"]["width"]["high"] = 100.5;
  CHECK(error_of(j) == "x.json: parameters.width.high: 100.5 is not an integer");

  j = minimal_anynet();
  j["parameters"]["width"]["low"] = 12;  // not on the q = 8 grid
  CHECK(error_of(j) == "x.json: parameters.width.low: 12 is not a multiple of q 8");

  j = minimal_anynet();
  j["parameters"]["depth"]["high"] = 0.5;
  CHECK_THAT(error_of(j), Catch::StartsWith("x.json: parameters.depth.high: 0.5"));

  j = minimal_anynet();
  j["parameters"]["depth"]["low"] = 20;
  CHECK(error_of(j) == "x.json: parameters.depth.high: 16 is below low 20");

  j = minimal_anynet();
  j["parameters"]["group_width"]["high"] = 24;
  CHECK(error_of(j) == "x.json: parameters.group_width.high: 24 is not a power of two");

  j = minimal_anynet();
  j["parameters"]["depth"]["dist"] = "gaussian";
  CHECK_THAT(error_of(j), Catch::StartsWith("x.json: parameters.depth.dist: 'gaussian' is not one of"));

  j = minimal_anynet();
  j["parameters"]["width"]["hgih"] = 3;
  CHECK_THAT(error_of(j), Catch::StartsWith("x.json: parameters.width.hgih: unknown field"));

  j = minimal_anynet();
  j["parameters"].erase("width");
  CHECK(error_of(j) == "x.json: parameters.width: missing (every anynet space draws it)");

  j = minimal_anynet();
  j["parameters"]["w0"] = 8;
  CHECK_THAT(error_of(j), Catch::StartsWith("x.json: parameters.w0: unknown field"));

  j = minimal_anynet();
  j["type"] = "resnet";
  CHECK(error_of(j) == "x.json: type: 'resnet' is not one of anynet, regnet");

  j = minimal_anynet();
  j["num_stages"] = 0;
  CHECK_THAT(error_of(j), Catch::StartsWith("x.json: num_stages: 0 must be in"));

  j = minimal_anynet();
  j["constraints"] = {{{"parameter", "w0"}}};
  CHECK_THAT(error_of(j), Catch::StartsWith("x.json: constraints[0].parameter: 'w0' is not one of"));

  j = minimal_anynet();
  j["parameters"]["se_ratio"] = {{"value", 0.25}, {"scope", "per_stage"}};
  CHECK_THAT(error_of(j), Catch::StartsWith("x.json: parameters.se_ratio.scope: 'per_stage' is not possible"));

  j = minimal_anynet();
  j["network"] = {{"input_size", -3}};
  CHECK(error_of(j) == "x.json: network.input_size: -3 must be >= 1");

  auto r = minimal_regnet();
  r["parameters"]["w0"]["q"] = 4;
  CHECK(error_of(r) == "x.json: parameters.w0.q: 4 must be a multiple of width_quantum 8");

  r = minimal_regnet();
  r["parameters"]["wm"]["low"] = 1;
  CHECK(error_of(r) == "x.json: parameters.wm.low: 1 must be > 1 (and at most 100)");

  r = minimal_regnet();
  r["parameters"]["depth"]["scope"] = "per_stage";
  CHECK_THAT(error_of(r), Catch::Contains("RegNet parameters are shared"));

  r = minimal_regnet();
  r["parameters"]["wa"] = {{"dist", "log_uniform"}, {"low", 0}, {"high", 8}, {"q", 0.1}};
  CHECK(error_of(r) == "x.json: parameters.wa.low: 0 must be > 0 for log_uniform");

  CHECK(error_of(nlohmann::json::array()) == "x.json: a design space must be a JSON object");
}

TEST_CASE("space: lookup by name, by path, unknown names and malformed files", "[space]") {
  TempDir tmp;
  ConfigDirOverride env(tmp.path.string());
  auto j = minimal_anynet();
  j["name"] = "Tiny";
  tmp.write("spaces/tiny_file.json", j.dump(2));
  tmp.write("spaces/broken.json", "{\n  \"type\": \"anynet\",\n  \"parameters\": {,\n}\n");

  CHECK(spaces_dir() == (tmp.path / "spaces").string());
  // By the "name" inside the file even though the file is called differently.
  CHECK(load_space("tiny").name == "Tiny");
  CHECK(load_space("tiny_file").name == "Tiny");
  // A path works from anywhere.
  const std::string path = tmp.write("elsewhere/Other.json", minimal_regnet().dump());
  CHECK(load_space(path).name == "Other");

  // The broken file is named with line and column when it is read.
  try {
    load_space("broken");
    FAIL("no error");
  } catch (const UserError& e) {
    CHECK_THAT(e.what(), Catch::Contains("broken.json"));
    CHECK_THAT(e.what(), Catch::Contains("line 3, column"));
  }
  CHECK_THROWS_WITH(load_all_spaces(), Catch::Contains("broken.json"));
  try {
    load_space("NoSuchSpace");
    FAIL("no error");
  } catch (const UserError& e) {
    CHECK_THAT(e.what(), Catch::Contains("unknown design space 'NoSuchSpace'"));
    CHECK_THAT(e.what(), Catch::Contains("Tiny"));
    CHECK_THAT(e.what(), Catch::Contains("invalid files: broken.json"));
  }
  CHECK_THROWS_WITH(load_space(tmp.path.string() + "/missing.json"), Catch::Contains("no such design-space file"));
}

TEST_CASE("space: network presets and overrides", "[space]") {
  NetworkOverrides o;
  o.preset = "fashion-mnist";
  NetworkOptions n = apply_overrides(NetworkOptions{}, o);
  CHECK(n.input_size == 28);
  CHECK(n.input_channels == 1);
  CHECK(n.num_classes == 10);
  CHECK(n.stem_type == StemType::res_stem_cifar);
  CHECK(n.stem_width == 16);
  CHECK(n.stride == 2);
  o.input_size = 32;  // explicit options win over the preset
  o.stem_type = "simple_stem_in";
  n = apply_overrides(NetworkOptions{}, o);
  CHECK(n.input_size == 32);
  CHECK(n.stem_type == StemType::simple_stem_in);
  CHECK(n.input_channels == 1);

  NetworkOverrides bad;
  bad.preset = "mnist";
  CHECK_THROWS_WITH(apply_overrides(NetworkOptions{}, bad), Catch::StartsWith("--preset: 'mnist' is not one of"));
  NetworkOverrides neg;
  neg.input_size = 0;
  CHECK_THROWS_WITH(apply_overrides(NetworkOptions{}, neg), "--input-size: 0 must be >= 1");
  NetworkOverrides stem;
  stem.stem_type = "big";
  CHECK_THROWS_AS(apply_overrides(NetworkOptions{}, stem), UserError);
}

TEST_CASE("space: `spaces` text and JSON", "[space]") {
  const DesignSpace x = load_space("RegNetX");
  const std::string t = to_text(x);
  CHECK(t.find("RegNetX  (regnet, 4 stages generated, width quantum 8)  " + x.file + "\n  RegNetX, refined") == 0);
  CHECK(t.find("\n    wa                shared     log_uniform [8, 256] q 0.1\n") != std::string::npos);
  CHECK(t.find("\n    constraints: none\n    network: 224 px, 3 channels, 1000 classes, stem simple_stem_in width 32, "
               "stage stride 2\n") != std::string::npos);
  auto j = to_json(load_space("AnyNetXA"));
  j["num_stages"] = {{"min", 2}, {"max", 5}};
  j["description"] = "";
  const std::string a = to_text(space_from_json(j, "range.json"));
  CHECK(a.find(
            "AnyNetXA  (anynet, 2-5 stages)  range.json\n    depth             per stage  log_uniform [1, 16] q 1\n") ==
        0);
  const std::vector<DesignSpace> all = load_spaces({});
  CHECK(all.size() == load_all_spaces().size());
  const std::vector<DesignSpace> two = load_spaces({"RegNetX", "anynetxe"});
  REQUIRE(two.size() == 2);
  CHECK(two[1].name == "AnyNetXE");
  const nlohmann::json sj = spaces_json(two);
  CHECK(sj["spaces_dir"] == spaces_dir());
  CHECK(sj["spaces"][0]["file"] == x.file);
  nlohmann::json e = sj["spaces"][1];
  e.erase("file");  // the rest is the complete definition
  CHECK(to_json(space_from_json(e, "x.json")) == to_json(two[1]));
}
