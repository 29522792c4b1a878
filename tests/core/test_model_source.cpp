// Which model a command names: zoo name, spec file (spec, record, array), sweep sample; the
// network options on top; the errors for every wrong combination.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/base/error.hpp"
#include "core/model/model_zoo.hpp"
#include "core/space/model_source.hpp"
#include "core/sweep/directory.hpp"
#include "temp_dir.hpp"

using namespace regnet;
using regnet::test::TempDir;

namespace {

std::string error_of(const ModelQuery& q) {
  try {
    resolve_models(q);
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

void write(const std::string& path, const nlohmann::json& j) { std::ofstream(path) << j.dump(2); }

ModelQuery target(const std::string& t) {
  ModelQuery q;
  q.target = t;
  return q;
}

}  // namespace

TEST_CASE("model_source: a zoo name, in any spelling, with network options", "[model_source]") {
  ModelQuery q = target("regnet_x_400mf");
  ResolvedModels r = resolve_models(q);
  REQUIRE(r.models.size() == 1);
  CHECK_FALSE(r.array);
  CHECK(r.models[0].name == "RegNetX-400MF");
  CHECK(r.models[0].source == "zoo");
  CHECK(r.models[0].spec == named_model_spec("RegNetX-400MF"));
  REQUIRE(r.models[0].regnet);
  q.net.preset = "fashion-mnist";
  r = resolve_models(q);
  CHECK(r.models[0].spec.input_size == 28);
  CHECK(r.models[0].spec.num_classes == 10);
  q.torchvision = true;
  CHECK(resolve_models(q).models[0].rounding == Rounding::torchvision);
}

TEST_CASE("model_source: spec files hold a spec, a sample record or an array of them", "[model_source]") {
  TempDir t;
  const Spec x = named_model_spec("RegNetX-200MF");
  const auto* zoo = &model_zoo()[0];
  SampleRecord rec;
  rec.spec = x;
  rec.regnet = zoo->params;
  write(t / "spec.json", to_json(x));
  write(t / "record.json", to_json(rec));
  write(t / "array.json", nlohmann::json::array({to_json(x), to_json(rec)}));

  ResolvedModels r = resolve_models(target(t / "spec.json"));  // the positional, when it is a file
  REQUIRE(r.models.size() == 1);
  CHECK(r.models[0].source == "spec");
  CHECK(r.models[0].spec == x);
  CHECK_FALSE(r.models[0].regnet);
  CHECK(read_spec_file(t / "spec.json") == x);
  CHECK(read_spec_file(t / "record.json") == x);

  ModelQuery q;
  q.spec_file = t / "array.json";
  q.net.input_size = 32;
  r = resolve_models(q);
  CHECK(r.array);
  REQUIRE(r.models.size() == 2);
  CHECK(r.models[1].name == t / "array.json" + "[1]");
  CHECK(r.models[1].regnet);
  CHECK(r.models[0].spec.input_size == 32);

  q.torchvision = true;  // the plain spec has no RegNet parameters
  CHECK(error_of(q) == t / "array.json" +
                           "[0]: --torchvision-rounding: needs RegNet parameters (a zoo name or a "
                           "RegNet sweep sample)");
  q = ModelQuery{};
  q.spec_file = t / "spec.json";
  q.id = 3;
  CHECK(error_of(q) == t / "spec.json" + ": --id: applies to a sweep directory, not a spec file");
}

TEST_CASE("model_source: a sweep sample by --id keeps its per-stage strides unless --stride", "[model_source]") {
  TempDir t;
  SampleRecord rec;
  rec.spec = named_model_spec("RegNetX-200MF");
  rec.spec.strides = {1, 2, 2, 2};
  create_sweep(t / "sw", {{"format_version", kSweepFormatVersion}}, {rec});
  ModelQuery q = target(t / "sw");
  CHECK(error_of(q) == t / "sw" + ": --id: a sweep needs --id N to pick a sample");
  q.id = 0;
  ResolvedModels r = resolve_models(q);
  CHECK(r.models[0].name == t / "sw" + "#0");
  CHECK(r.models[0].source == "sweep");
  CHECK(r.models[0].spec.strides == std::vector<int>{1, 2, 2, 2});
  q.net.stride = 1;
  CHECK(resolve_models(q).models[0].spec.strides == std::vector<int>{1, 1, 1, 1});
}

TEST_CASE("model_source: what is not a model is one clear error", "[model_source]") {
  CHECK(error_of(ModelQuery{}) == "describe: give a model name (see --list), --spec FILE, or SWEEP --id N");
  CHECK(error_of(target("NoSuch")).find("unknown model 'NoSuch' (known: RegNetX-200MF,") != std::string::npos);
  ModelQuery q = target("RegNetX-200MF");
  q.id = 2;
  CHECK(error_of(q) == "RegNetX-200MF: --id: applies to a sweep directory, and this is not one");
  TempDir t;
  q = target(t.path.string());
  q.id = 0;
  CHECK(error_of(q).find("not a sweep directory") != std::string::npos);
}

TEST_CASE("model_source: export's choice of exactly one source, and a sample's trained weights", "[model_source]") {
  auto error = [](const ModelChoice& c) {
    try {
      chosen_spec(c);
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  ModelChoice c;
  CHECK(error(c) == "give exactly one of SWEEP --id N, --spec FILE or --model NAME");
  c.model = "RegNetX-200MF";
  c.spec_file = "x.json";
  CHECK(error(c) == "give exactly one of SWEEP --id N, --spec FILE or --model NAME");
  c.spec_file.clear();
  c.sweep = "sw";
  CHECK(error(c) == "SWEEP: 'sw' needs --id N (which sample to export)");
  c.sweep.clear();
  c.net.preset = "cifar10";
  CHECK(chosen_spec(c) == named_model_spec("RegNetX-200MF", apply_overrides({}, c.net)));
  ModelChoice id_only;
  id_only.id = 1;
  CHECK(error(id_only) == "--id: needs the SWEEP directory before it");

  TempDir t;
  SampleRecord rec;
  rec.spec = named_model_spec("RegNetX-200MF");
  create_sweep(t / "sw", {{"format_version", kSweepFormatVersion}}, {rec});
  ModelChoice s;
  s.sweep = t / "sw";
  s.id = 0;
  CHECK(chosen_spec(s) == rec.spec);
  CHECK_THROWS_WITH(trained_weights(s.sweep, 0), Catch::Contains("sample 0 has no final weights yet"));
  std::filesystem::create_directories(t / "sw/weights");
  std::ofstream(weights_path(s.sweep, 0)) << "w";
  CHECK(trained_weights(s.sweep, 0) == weights_path(s.sweep, 0));
}
