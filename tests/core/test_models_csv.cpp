// models.csv: one row per sample, RFC 4180 quoting, empty cells where there is no number.
#include <catch2/catch.hpp>
#include <sstream>

#include "core/base/text.hpp"
#include "core/report/models_csv.hpp"
#include "test_analysis_fixtures.hpp"

using namespace regnet;
using namespace regnet::testing;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  for (size_t start = 0, end; start < text.size(); start = end + 2) {
    end = text.find("\r\n", start);
    REQUIRE(end != std::string::npos);  // every line ends in CRLF
    out.push_back(text.substr(start, end - start));
  }
  return out;
}

}  // namespace

TEST_CASE("models csv: fields are quoted as RFC 4180 requires", "[report]") {
  CHECK(csv_field("xa") == "xa");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("") == "");
}

TEST_CASE("models csv: a row per sample, diverged, failed and missing ones included", "[report]") {
  TempDir t;
  write_regnet_sweep(t / "xa", 12, 8, [](const SampleRecord& s) { return trend_error(s); });
  TrainResult diverged = done_result(8, NAN);
  diverged.status = RunStatus::diverged;
  diverged.final_top1_err = diverged.best_top5_err = diverged.final_top5_err = NAN;
  TrainResult failed = done_result(9, NAN);
  failed.status = RunStatus::failed;
  failed.final_top1_err = failed.best_top5_err = failed.final_top5_err = NAN;
  failed.seconds = 3;
  write_result(t / "xa", diverged);
  write_result(t / "xa", failed);
  AnalyzeOptions o;
  o.resamples = 20;
  const Analysis a = analyze({load_sweep_data(t / "xa", "x,a", ErrorMetric::best)}, o);
  const auto lines = lines_of(models_csv(a));
  REQUIRE(lines.size() == 13);  // header + 12 samples
  // Every stage any model has (these RegNets have up to 6).
  CHECK_THAT(lines[0],
             Catch::StartsWith("sweep,id,status,final_top1,best_top1,final_top5,best_top5,flops,params,acts,d,"
                               "w0,wa,wm,g,b,d1,d2,d3,d4,d5,d6,w1,") &&
                 Catch::EndsWith(",g5,g6,seconds,normalized_weight"));
  const ModelPoint& m0 = a.sweeps[0].models[0];
  CHECK_THAT(lines[1], Catch::StartsWith("\"x,a\",0,done," + shortest(m0.error + 1) + "," + shortest(m0.error) + "," +
                                         shortest(m0.error / 3) + "," + shortest(m0.error / 3) + "," +
                                         std::to_string(m0.complexity.flops) + ","));
  CHECK_THAT(lines[9], Catch::StartsWith("\"x,a\",8,diverged,,,,,"));
  CHECK_THAT(lines[10], Catch::StartsWith("\"x,a\",9,failed,,,,,"));
  CHECK_THAT(lines[10], Catch::EndsWith(",3,"));  // seconds, no weight
  CHECK_THAT(lines[11], Catch::StartsWith("\"x,a\",10,missing,,,,,"));
  CHECK_THAT(lines[11], Catch::EndsWith(",,"));  // no seconds, no weight
  // The done rows carry their normalized weight.
  CHECK_THAT(lines[1], Catch::EndsWith("," + shortest(a.sweeps[0].weights[0])));
}
