#pragma once
// The contract every fuzz target checks: an input is read, or rejected with one UserError line
// of sane length. Anything else escaping (a nlohmann exception, std::out_of_range ...) is a bug,
// as is a crash, a sanitizer report, or a broken invariant (check()): all abort, which libFuzzer
// and the replay runner report with the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"

namespace regnet::fuzz {

// An error line longer than this echoes too much of its input.
constexpr size_t kMaxErrorBytes = 1000;

[[noreturn]] inline void bug(const std::string& what) {
  std::fprintf(stderr, "fuzz: %s\n", what.c_str());
  std::abort();
}

inline void check(bool ok, const std::string& what) {
  if (!ok) bug("invariant broken: " + what);
}

// Calls read(text) on the input; UserError is the expected way to say no.
template <class Read>
int run(const std::uint8_t* data, std::size_t size, Read&& read) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    read(text);
  } catch (const UserError& e) {
    const std::string line = e.what();
    check(line.size() <= kMaxErrorBytes,
          "an error line of " + std::to_string(line.size()) + " bytes: " + line.substr(0, 200));
  } catch (const std::exception& e) {
    bug(std::string("not a UserError: ") + e.what());
  }
  return 0;
}

// Reads `text` as a JSON file `where` with `from_json` (a *_from_json reader), and checks that
// what to_json writes of it reads back to the same JSON (compared as text: NaN is null there).
template <class FromJson>
auto read_round_trip(const std::string& text, const std::string& where, FromJson from_json) {
  const auto value = from_json(parse_json_text(text, where), where);
  const nlohmann::json written = to_json(value);
  check(to_json(from_json(written, where)).dump() == written.dump(), "to_json does not read back");
  return value;
}

// A private directory for targets that must read real files (removed at exit).
const std::string& scratch_dir();

}  // namespace regnet::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
