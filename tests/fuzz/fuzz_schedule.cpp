// A schedule JSON (configs/schedules): a valid recipe or one error line; a valid one round-trips
// and its learning rate is finite and non-negative over the whole run.
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/base/json_io.hpp"
#include "core/run/schedule.hpp"
#include "fuzz_target.hpp"

using namespace regnet;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(data, size, [](const std::string& text) {
    const Schedule s = fuzz::read_round_trip(text, "schedule.json", schedule_from_json);
    for (double epoch : {0.0, 0.5, s.epochs / 2.0, s.epochs - 1.0}) {
      const double lr = learning_rate(s, epoch);
      fuzz::check(std::isfinite(lr) && lr >= 0,
                  "learning rate " + std::to_string(lr) + " at epoch " + std::to_string(epoch));
    }
  });
}
