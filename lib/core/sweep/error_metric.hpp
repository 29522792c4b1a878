#pragma once
// Which top-1 error of a trained model counts: the minimum over epochs (pycls's choice) or the
// last epoch's. `analyze` builds its EDFs from it; `fit` ranks a sweep's models by it.
#include <string>

namespace regnet {

struct TrainResult;

enum class ErrorMetric { best, final };
std::string to_string(ErrorMetric m);  // "best", "final"
ErrorMetric error_metric_from_string(const std::string& s, const std::string& where = "");
// How tables and figures name it: "top-1 error, best epoch".
std::string metric_label(ErrorMetric m);
// The run's top-1 error by `m`, as recorded (NaN or anything else the result holds).
double error_of(const TrainResult& r, ErrorMetric m);

}  // namespace regnet
