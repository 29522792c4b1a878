// `fit` as one call: which input, what it refuses, and what it prints.
#include <catch2/catch.hpp>

#include "core/base/error.hpp"
#include "core/fit/fit_report.hpp"

using namespace regnet;

TEST_CASE("fit report: widths given on the command line", "[fit_report]") {
  FitRequest q;
  q.widths = "24,56,152,152,152,152,368,368,368,368,368,368,368";
  const FitReport r = run_fit(q);
  CHECK_FALSE(r.sweep);
  CHECK(r.observed.size() == 13);
  const auto j = to_json(r);
  CHECK(j["observed"].size() == 13);
  CHECK(j.contains("e_fit"));
  CHECK(to_text(r).find("w0") != std::string::npos);
}

TEST_CASE("fit report: one input, and outputs only with a sweep", "[fit_report]") {
  FitRequest q;
  CHECK_THROWS_WITH(run_fit(q), "fit: give a SWEEP directory or --widths W1,W2,... (one of them)");
  q.widths = "8,16";
  q.sweep = "s";
  CHECK_THROWS_WITH(run_fit(q), "fit: give a SWEEP directory or --widths W1,W2,... (one of them)");
  q.sweep.clear();
  q.out_space = "space.json";
  CHECK_THROWS_WITH(run_fit(q), "--widths: --out-space and --out-specs need a SWEEP");
}
