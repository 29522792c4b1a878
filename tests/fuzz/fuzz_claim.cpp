// DIR/claims/NNNNNN.json as a worker finds it (observe_claim: any content, half-written or
// corrupt, is judged without throwing), and claim_info_from_json, which round-trips.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/base/json_io.hpp"
#include "core/sweep/claims.hpp"
#include "core/sweep/directory.hpp"
#include "fuzz_target.hpp"

using namespace regnet;

namespace {

void observe(const std::uint8_t* data, std::size_t size) {
  static const bool made = [] {
    std::filesystem::create_directories(std::filesystem::path(fuzz::scratch_dir()) / "claims");
    return true;
  }();
  (void)made;
  std::ofstream(claim_path(fuzz::scratch_dir(), 0), std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  try {
    observe_claim(fuzz::scratch_dir(), 0, ClaimPolicy{});
  } catch (const std::exception& e) {
    fuzz::bug(std::string("observe_claim threw: ") + e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  observe(data, size);
  return fuzz::run(data, size, [](const std::string& text) {
    const ClaimInfo c = fuzz::read_round_trip(text, "000000.json", claim_info_from_json);
    for (double age : {0.0, 1e9}) judge_claim(c, age, ClaimPolicy{});
  });
}
