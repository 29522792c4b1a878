// DIR/samples/NNNNNN.json (a SampleRecord): a record or one error line; a record round-trips.
#include <nlohmann/json.hpp>

#include "core/base/json_io.hpp"
#include "core/sweep/directory.hpp"
#include "fuzz_target.hpp"

using namespace regnet;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(
      data, size, [](const std::string& text) { fuzz::read_round_trip(text, "000000.json", sample_record_from_json); });
}
