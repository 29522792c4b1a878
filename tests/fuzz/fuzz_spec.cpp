// A spec JSON (docs/spec-json.md): a valid network or one error line; a valid one round-trips
// through to_json and has a complexity and a stage table without overflow.
#include <nlohmann/json.hpp>

#include "core/base/json_io.hpp"
#include "core/model/complexity.hpp"
#include "core/model/describe.hpp"
#include "core/model/spec.hpp"
#include "fuzz_target.hpp"

using namespace regnet;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(data, size, [](const std::string& text) {
    const Spec spec = fuzz::read_round_trip(text, "spec.json", spec_from_json);
    const Complexity c = complexity(spec);
    fuzz::check(c.flops >= 0 && c.params > 0 && c.acts > 0, "a non-positive complexity");
    stage_rows(spec);
  });
}
