#include "core/sweep/error_metric.hpp"

#include "core/base/error.hpp"
#include "core/sweep/directory.hpp"

namespace regnet {

namespace {

struct MetricName {
  ErrorMetric metric;
  const char* name;
  const char* label;
};
constexpr MetricName kMetrics[] = {{ErrorMetric::best, "best", "top-1 error, best epoch"},
                                   {ErrorMetric::final, "final", "top-1 error, final epoch"}};

const MetricName& entry(ErrorMetric m) { return kMetrics[m == ErrorMetric::best ? 0 : 1]; }

}  // namespace

std::string to_string(ErrorMetric m) { return entry(m).name; }

std::string metric_label(ErrorMetric m) { return entry(m).label; }

ErrorMetric error_metric_from_string(const std::string& s, const std::string& where) {
  for (const auto& m : kMetrics)
    if (s == m.name) return m.metric;
  fail(where, "--metric", "'" + s + "' is not one of final, best");
}

double error_of(const TrainResult& r, ErrorMetric m) {
  return m == ErrorMetric::best ? r.best_top1_err : r.final_top1_err;
}

}  // namespace regnet
