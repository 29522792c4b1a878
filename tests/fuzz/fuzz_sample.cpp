// DIR/samples/NNNNNN.json (a SampleRecord): a record or one error line; a record round-trips.
#include <nlohmann/json.hpp>

#include "core/json_io.hpp"
#include "core/sweep.hpp"
#include "fuzz_target.hpp"

using namespace regnet;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(data, size, [](const std::string& text) {
    const SampleRecord r = sample_record_from_json(parse_json_text(text, "000000.json"), "000000.json");
    const nlohmann::json j = to_json(r);
    fuzz::check(to_json(sample_record_from_json(j, "again.json")) == j, "to_json does not read back");
  });
}
