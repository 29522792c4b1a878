// The width fit (docs/reference.md §7): exact recovery of generated widths, robustness to noise, e_fit.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include "test_paths.hpp"

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/rng.hpp"
#include "core/model/regnet.hpp"
#include "core/model/width_fit.hpp"

using namespace regnet;

namespace {

// Mean |ln(a/b)| computed directly from two width lists (an independent e_fit).
double mean_abs_log_ratio(const std::vector<int>& a, const std::vector<int>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += std::abs(std::log(double(a[i]) / double(b[i])));
  return s / double(a.size());
}

}  // namespace

TEST_CASE("fit: e_fit is the mean absolute log ratio of generated to observed widths", "[fit]") {
  // RegNetX-200MF: generated stages 24x1, 56x1, 152x4, 368x7.
  const std::vector<int> exact = {24, 56, 152, 152, 152, 152, 368, 368, 368, 368, 368, 368, 368};
  CHECK(fit_error(exact, 24, 36.44, 2.49) == 0.0);
  std::vector<int> off = exact;
  off[0] = 48;    // |ln(24/48)| = ln 2
  off[12] = 184;  // |ln(368/184)| = ln 2
  CHECK(fit_error(off, 24, 36.44, 2.49) == Approx(2 * std::log(2.0) / 13).epsilon(1e-12));
  CHECK_THROWS_AS(fit_error({}, 24, 36.44, 2.49), UserError);
  CHECK_THROWS_AS(fit_error(exact, 24, 36.44, 1.0), UserError);
}

TEST_CASE("fit: recovers the generated widths of all 24 zoo models with e_fit 0", "[fit]") {
  const auto zoo = read_json_file(std::string(REGNET_TEST_DATA) + "/regnet_zoo.json");
  REQUIRE(zoo.size() == 24);
  FitGrid grid;
  grid.w0_max = 512;  // RegNetX-32GF has w0 = 320, outside the RegNet design space's w0 < 256
  for (const auto& m : zoo) {
    const std::string name = m["name"];
    INFO(name);
    const int d = m["depth"];
    const auto g = generate_regnet(m["wa"].get<double>(), m["w0"].get<double>(), m["wm"].get<double>(), d);
    // The generated per-block widths, expanded from the zoo file's stages (not from our generator).
    std::vector<int> observed;
    const auto widths = m["stage_widths_before_group_rounding"].get<std::vector<int>>();
    const auto depths = m["stage_depths"].get<std::vector<int>>();
    for (size_t i = 0; i < widths.size(); ++i) observed.insert(observed.end(), depths[i], widths[i]);
    REQUIRE(observed == g.block_widths);
    const WidthFit f = fit_widths(observed, grid);
    CHECK(f.depth == d);
    CHECK(f.predicted == observed);
    CHECK(f.e_fit == 0.0);
    CHECK(fit_error(observed, f.w0, f.wa, f.wm) == 0.0);
    CHECK(std::fmod(f.w0, 8.0) == 0.0);
  }
}

TEST_CASE("fit: recovers the widths of random RegNets exactly", "[fit]") {
  SplitMix64 rng(2024);
  auto uniform = [&] { return double(rng.next() >> 11) * 0x1.0p-53; };
  for (int i = 0; i < 300; ++i) {
    const int d = 1 + int(rng.below(63));
    const double w0 = 8.0 * (1 + rng.below(31));
    const double wa = 0.1 * std::round(10 * std::exp(uniform() * std::log(256.0)));  // up to 256
    const double wm = 1.501 + 0.001 * std::round(1000 * 1.499 * uniform());
    const std::vector<int> observed = generate_regnet_unchecked(wa, w0, wm, d).block_widths;
    INFO("d=" << d << " w0=" << w0 << " wa=" << wa << " wm=" << wm);
    const WidthFit f = fit_widths(observed);
    CHECK(f.e_fit == 0.0);
    CHECK(f.predicted == observed);
  }
}

TEST_CASE("fit: the paper's AnyNetXE pattern w_j = 48(j+1) fits closely", "[fit]") {
  std::vector<int> observed;
  for (int j = 0; j < 16; ++j) observed.push_back(48 * (j + 1));
  const WidthFit f = fit_widths(observed);
  CHECK(f.e_fit == Approx(mean_abs_log_ratio(f.predicted, observed)).margin(1e-12));
  CHECK(f.e_fit > 0);  // quantized to a few stages, so not 0
  CHECK(f.e_fit <= fit_error(observed, 48, 48, 2.0) + 1e-12);
  CHECK(f.e_fit < 0.1);
}

TEST_CASE("fit: noisy widths fit about as well as the parameters that generated them", "[fit]") {
  SplitMix64 rng(7);
  auto uniform = [&] { return double(rng.next() >> 11) * 0x1.0p-53; };
  for (int trial = 0; trial < 30; ++trial) {
    INFO("trial " << trial);
    const int d = 10 + int(rng.below(15));
    const double w0 = 8.0 * (2 + rng.below(20));
    const double wa = 10 + 60 * uniform();
    const double wm = 2 + uniform();
    std::vector<int> observed = generate_regnet_unchecked(wa, w0, wm, d).block_widths;
    for (int& w : observed) {
      const double noisy = w * std::exp(0.15 * (2 * uniform() - 1));  // +-15%, requantized to 8
      w = std::max(8, int(std::lround(noisy / 8)) * 8);
    }
    const double truth = fit_error(observed, w0, wa, wm);
    const WidthFit f = fit_widths(observed);
    // The search is not exhaustive in wm: a narrow basin can be missed by a little (docs/fit.md).
    CHECK(f.e_fit <= truth + 0.005);
    CHECK(f.e_fit == Approx(mean_abs_log_ratio(f.predicted, observed)).margin(1e-12));
    CHECK(f.e_fit < 0.12);
  }
}

TEST_CASE("fit: degenerate and invalid inputs", "[fit]") {
  const WidthFit one = fit_widths({64});
  CHECK(one.e_fit == 0.0);
  CHECK(one.w0 == 64);
  CHECK(one.predicted == std::vector<int>{64});
  const WidthFit flat = fit_widths({96, 96, 96, 96});
  CHECK(flat.e_fit == 0.0);
  CHECK(flat.wa == 0.0);  // the roundest wa that keeps one stage
  CHECK_THROWS_AS(fit_widths({}), UserError);
  CHECK_THROWS_WITH(fit_widths({32, 0, 64}), Catch::Contains("widths[1]"));
  FitGrid bad;
  bad.wm_min = 0.5;
  CHECK_THROWS_AS(fit_widths({32, 64}, bad), UserError);
}
