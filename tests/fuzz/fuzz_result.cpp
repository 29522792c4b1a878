// DIR/results/NNNNNN.json (a TrainResult): a result or one error line; a result round-trips.
#include <nlohmann/json.hpp>

#include "core/json_io.hpp"
#include "core/sweep.hpp"
#include "fuzz_target.hpp"

using namespace regnet;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(data, size, [](const std::string& text) {
    const TrainResult r = train_result_from_json(parse_json_text(text, "000000.json"), "000000.json");
    // As text: a diverged run's NaN errors (null in the file) compare unequal as values.
    const nlohmann::json j = to_json(r);
    fuzz::check(to_json(train_result_from_json(j, "again.json")).dump() == j.dump(), "to_json does not read back");
  });
}
