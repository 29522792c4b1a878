// Fitting the top K models of a sweep: a sweep made here from RegNet parameters whose widths the
// group-width rounding leaves alone (g = 8, b = 1, widths multiples of 8), with made-up results.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/fit/best_models.hpp"
#include "core/model/complexity.hpp"
#include "core/space/space.hpp"
#include "core/sweep/directory.hpp"
#include "test_analysis_fixtures.hpp"

using namespace regnet;
using regnet::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// Twelve RegNets (4 stages each) and their sample records.
std::vector<RegNetParams> params_list() {
  std::vector<RegNetParams> ps;
  const double w0s[] = {24, 48, 56, 80};
  const double was[] = {36.44, 27.89, 35.73};
  const double wms[] = {2.49, 2.09, 2.28};
  for (int i = 0; i < 12; ++i) {
    RegNetParams p;
    p.depth = 13 + i;
    p.w0 = w0s[i % 4];
    p.wa = was[i % 3];
    p.wm = wms[(i / 3) % 3];
    p.group_width = 8;
    ps.push_back(p);
  }
  return ps;
}

std::string make_sweep(const fs::path& root, int results) {
  const std::string dir = (root / "sweep").string();
  std::vector<SampleRecord> samples;
  const auto ps = params_list();
  for (size_t i = 0; i < ps.size(); ++i) {
    SampleRecord r;
    r.id = static_cast<int>(i);
    r.spec = regnet_spec(ps[i]);
    r.complexity = complexity(r.spec);
    r.regnet = ps[i];
    samples.push_back(r);
  }
  create_sweep(dir, {{"format_version", kSweepFormatVersion}}, samples);
  for (int i = 0; i < results; ++i) {
    TrainResult t;
    t.id = i;
    // best error falls with id, final error rises: the two metrics rank in opposite orders.
    t.best_top1_err = 50.0 - i;
    t.final_top1_err = 30.0 + i;
    t.status = i == results - 1 ? RunStatus::diverged : RunStatus::done;  // the last one never counts
    write_result(dir, t);
  }
  return dir;
}

}  // namespace

TEST_CASE("sweep fit: the top K by error, each fit exactly, with a summary", "[fit]") {
  TempDir tmp;
  const std::string dir = make_sweep(tmp.path, 10);  // ids 0..9, id 9 diverged
  FitOptions o;
  o.top = 3;
  o.resamples = 500;
  const SweepFit r = fit_sweep(dir, o);
  CHECK(r.samples == 12);
  CHECK(r.results == 10);
  CHECK(r.done == 9);
  REQUIRE(r.models.size() == 3);
  CHECK(r.models[0].id == 8);  // lowest best error among the done ones
  CHECK(r.models[1].id == 7);
  CHECK(r.models[2].id == 6);
  CHECK(r.models[0].error == 42.0);
  const auto ps = params_list();
  for (const auto& m : r.models) {
    INFO("id " << m.id);
    // The sampled widths are unchanged by compatibility, so the fit is exact.
    CHECK(m.widths == generate_regnet(ps[m.id].wa, ps[m.id].w0, ps[m.id].wm, ps[m.id].depth).block_widths);
    CHECK(m.fit.e_fit == 0.0);
    CHECK(m.fit.predicted == m.widths);
    CHECK(m.fit.depth == ps[m.id].depth);
    CHECK(m.fitted.stage_widths == m.spec.widths);
    const RegNetParams p = fitted_params(m);
    CHECK(p.group_width == 8);
    CHECK(p.bottleneck_ratio == 1.0);
    CHECK(regnet_spec(p) == m.spec);
  }
  REQUIRE(r.summary.size() == 5);
  CHECK(r.summary[0].name == "d");
  CHECK(r.summary[0].median == 20.0);  // depths 21, 20, 19
  CHECK(r.summary[0].min == 19.0);
  CHECK(r.summary[0].max == 21.0);
  CHECK(r.summary[0].lo >= 19.0);
  CHECK(r.summary[0].hi <= 21.0);
  CHECK(r.summary[4].name == "e_fit");
  CHECK(r.summary[4].max == 0.0);
  CHECK(r.suggested.depth_min == 19);
  CHECK(r.suggested.depth_max == 21);
  CHECK(r.suggested.group_widths == std::vector<int>{8});
  CHECK(r.warnings.empty());

  o.metric = ErrorMetric::final;
  const SweepFit f = fit_sweep(dir, o);
  CHECK(f.models[0].id == 0);
  CHECK(f.models[2].id == 2);
  CHECK(f.models[0].error == 30.0);
}

TEST_CASE("sweep fit: K above the finished models is clamped with a warning", "[fit]") {
  TempDir tmp;
  const std::string dir = make_sweep(tmp.path, 4);  // 3 done
  FitOptions o;
  o.top = 20;
  o.resamples = 200;
  const SweepFit r = fit_sweep(dir, o);
  CHECK(r.models.size() == 3);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].find("--top 20") != std::string::npos);
  o.top = 0;
  CHECK_THROWS_AS(fit_sweep(dir, o), UserError);
}

TEST_CASE("sweep fit: a sweep without finished models is a user error", "[fit]") {
  TempDir tmp;
  const std::string dir = make_sweep(tmp.path, 0);
  CHECK_THROWS_WITH(fit_sweep(dir), Catch::Contains("no finished models") && Catch::Contains("train"));
  CHECK_THROWS_AS(fit_sweep((tmp.path / "nothing").string()), UserError);
}

TEST_CASE("sweep fit: the suggested space parses as a design space, and the specs are written", "[fit]") {
  TempDir tmp;
  const std::string dir = make_sweep(tmp.path, 12);
  FitOptions o;
  o.top = 5;
  o.resamples = 200;
  const SweepFit r = fit_sweep(dir, o);
  const nlohmann::json j = suggested_space_json(r, "XFit");
  const DesignSpace s = space_from_json(j, "XFit.json");
  CHECK(s.type == SpaceType::regnet);
  CHECK(s.name == "XFit");
  REQUIRE(s.find("depth") != nullptr);
  CHECK(s.find("depth")->dist.low == r.suggested.depth_min);
  CHECK(s.find("depth")->dist.high == r.suggested.depth_max);
  REQUIRE(s.find("group_width") != nullptr);
  CHECK(s.find("group_width")->dist.kind == DistKind::fixed);

  const std::string out = (tmp.path / "specs").string();
  write_fitted_specs(r, out);
  for (const auto& m : r.models) {
    const std::string name = fmt::format("{:06d}.json", m.id);
    const nlohmann::json f = read_json_file((fs::path(out) / name).string());
    CHECK(f["id"] == m.id);
    CHECK(spec_from_json(f["spec"]) == regnet_spec(fitted_params(m)));
    CHECK(regnet_params_from_json(f["regnet"]).w0 == m.fit.w0);
  }
  // The directory is no longer empty: only --force writes into it again.
  CHECK_THROWS_WITH(write_fitted_specs(r, out),
                    out + ": --out-specs: is a directory that is not empty (give --force to write into it)");
  write_fitted_specs(r, out, true);
  std::ofstream(tmp.path / "file") << "x";
  CHECK_THROWS_WITH(write_fitted_specs(r, (tmp.path / "file").string(), true),
                    Catch::Contains("exists and is not a directory"));
}

TEST_CASE("sweep fit: --out-space writes the suggested space named after the file, with option checks", "[fit]") {
  TempDir tmp;
  const std::string dir = make_sweep(tmp.path, 8);
  FitOptions o;
  o.top = 4;
  o.resamples = 100;
  const SweepFit r = fit_sweep(dir, o);
  const std::string file = (tmp.path / "XFit.json").string();
  write_suggested_space(r, file);
  const nlohmann::json j = read_json_file(file);
  CHECK(j == suggested_space_json(r, "XFit"));  // this sweep.json has no network: the top model's
  CHECK(space_from_json(j, file).name == "XFit");
  // An existing file is kept unless force.
  CHECK_THROWS_WITH(write_suggested_space(r, file, "Named"),
                    file + ": --out-space: already exists (give --force to replace it)");
  CHECK(read_json_file(file)["name"] == "XFit");
  write_suggested_space(r, file, "Named", true);
  CHECK(read_json_file(file)["name"] == "Named");

  CHECK_THROWS_WITH(grid_up_to(4), "--w0-max: 4 must be in [8, 65536]");
  CHECK_THROWS_WITH(grid_up_to(100000000), "--w0-max: 100000000 must be in [8, 65536]");
  CHECK(grid_up_to(64).w0_max == 64);
  o.resamples = 0;
  CHECK_THROWS_WITH(fit_sweep(dir, o), "--resamples: 0 must be >= 1");
}
