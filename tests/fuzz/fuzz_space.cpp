// A design space JSON (configs/spaces, docs/spaces.md): a valid space or one error line; a valid
// one round-trips through its complete form, describes itself, and yields candidate draws.
#include <nlohmann/json.hpp>

#include "core/base/json_io.hpp"
#include "core/space/sampler.hpp"
#include "core/space/space.hpp"
#include "fuzz_target.hpp"

using namespace regnet;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(data, size, [](const std::string& text) {
    const DesignSpace space = fuzz::read_round_trip(text, "space.json", space_from_json);
    for (const auto& p : space.parameters) to_text(p.dist);
    for (const auto& c : space.constraints) to_text(c);
    for (std::uint64_t attempt = 0; attempt < 4; ++attempt) draw_candidate(space, 1, attempt);
  });
}
