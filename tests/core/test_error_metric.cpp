// Which top-1 error counts (core/error_metric.hpp): names and labels, and the error of results as
// train records them (the fuzz corpus's real results: done, diverged, failed; one written and read
// back through a sweep directory).
#include <catch2/catch.hpp>
#include "test_paths.hpp"

#include <cmath>
#include <string>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/sweep/directory.hpp"
#include "core/sweep/error_metric.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using regnet::testing::TempSweep;

namespace {

TrainResult corpus_result(const std::string& name) {
  const std::string path = std::string(REGNET_SOURCE_DIR) + "/tests/fuzz/corpus/result/" + name + ".json";
  return train_result_from_json(read_json_file(path), path);
}

}  // namespace

TEST_CASE("error metric: names and labels round-trip, a bad name is one line naming --metric", "[error_metric]") {
  for (ErrorMetric m : {ErrorMetric::best, ErrorMetric::final}) {
    CHECK(error_metric_from_string(to_string(m)) == m);
    CHECK_THAT(metric_label(m), Catch::StartsWith("top-1 error, ") && Catch::EndsWith(" epoch"));
  }
  CHECK(metric_label(ErrorMetric::best) == "top-1 error, best epoch");
  CHECK(metric_label(ErrorMetric::best) != metric_label(ErrorMetric::final));
  CHECK_THROWS_AS(error_metric_from_string("Best"), UserError);  // names are case-sensitive
  CHECK_THROWS_WITH(error_metric_from_string("Best"), "--metric: 'Best' is not one of final, best");
  CHECK_THROWS_WITH(error_metric_from_string("", "cmp/compare.json: metric"),
                    "cmp/compare.json: metric: --metric: '' is not one of final, best");
}

TEST_CASE("error metric: the error of recorded results, NaN where the run has none", "[error_metric]") {
  const TrainResult done = corpus_result("rx-000001");
  CHECK(done.status == RunStatus::done);
  CHECK(error_of(done, ErrorMetric::best) == 86.71875);
  CHECK(error_of(done, ErrorMetric::final) == 86.71875);

  const TrainResult diverged = corpus_result("rx-diverged");  // final_top1_err: null (NaN in the last epoch)
  CHECK(diverged.status == RunStatus::diverged);
  CHECK(error_of(diverged, ErrorMetric::best) == 86.71875);
  CHECK(std::isnan(error_of(diverged, ErrorMetric::final)));

  const TrainResult failed = corpus_result("rx-failed");  // no error recorded at all
  CHECK(failed.status == RunStatus::failed);
  CHECK(std::isnan(error_of(failed, ErrorMetric::best)));
  CHECK(std::isnan(error_of(failed, ErrorMetric::final)));

  // Through a sweep directory: written, read back, each metric picks its own field.
  TempSweep sweep(2);
  TrainResult r;
  r.id = 1;
  r.best_top1_err = 19.40;
  r.final_top1_err = 19.62;
  r.best_epoch = 2;
  write_result(sweep.path, r);
  const auto back = load_result(sweep.path, 1);
  REQUIRE(back);
  CHECK(error_of(*back, ErrorMetric::best) == 19.40);
  CHECK(error_of(*back, ErrorMetric::final) == 19.62);
  CHECK_FALSE(load_result(sweep.path, 0));
}
