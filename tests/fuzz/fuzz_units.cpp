// Counts and windows ("360M", "1.6G", "360M:400M"): a value or one error line, and what the
// formatters print reads back as the same value.
#include "core/base/units.hpp"
#include "fuzz_target.hpp"

using namespace regnet;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(data, size, [](const std::string& text) {
    try {
      const std::int64_t v = parse_count(text, "--flops");
      fuzz::check(v >= 0, "a negative count from '" + text + "'");
      fuzz::check(parse_count(format_count_exact(v)) == v, "format_count_exact does not read back");
      format_count(v);
      format_thousands(v);
    } catch (const UserError&) {
    }
    const Window w = parse_window(text, "--flops");
    fuzz::check(!w.lo || !w.hi || *w.lo <= *w.hi, "an empty window");
    if (!w.unbounded()) fuzz::check(parse_window(to_string(w)) == w, "to_string(window) does not read back");
  });
}
