// DIR/sweep.json, read as every command reads it (read_sweep_json), and the space definition it
// carries: a value or one error line.
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/space/space.hpp"
#include "core/sweep/directory.hpp"
#include "fuzz_target.hpp"

using namespace regnet;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& dir = fuzz::scratch_dir();
  std::ofstream(sweep_json_path(dir), std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return fuzz::run(data, size, [&](const std::string&) {
    const nlohmann::json j = read_sweep_json(dir);
    if (j.contains("space")) space_from_json(j["space"], sweep_json_path(dir));
  });
}
