// The JSON reader (core/json_io): any bytes are a value or one error line; the value equals what
// nlohmann's own parser builds; the field accessors take any value without escaping errors.
#include <nlohmann/json.hpp>

#include "core/base/json_io.hpp"
#include "fuzz_target.hpp"

using namespace regnet;

namespace {

// Each accessor on each field of an object: a value or a UserError, never anything else.
void read_fields(const nlohmann::json& j) {
  if (!j.is_object()) return;
  for (const auto& [field, value] : j.items()) {
    fuzz::check(excerpt(value).size() <= 63, "excerpt longer than 60 bytes + \"...\"");
    const auto each = {+[](const nlohmann::json& o, const std::string& f) { get_int(o, f, "f.json"); },
                       +[](const nlohmann::json& o, const std::string& f) { get_double(o, f, "f.json"); },
                       +[](const nlohmann::json& o, const std::string& f) { get_string(o, f, "f.json"); },
                       +[](const nlohmann::json& o, const std::string& f) { get_int_array(o, f, "f.json"); },
                       +[](const nlohmann::json& o, const std::string& f) { get_double_array(o, f, "f.json"); }};
    for (auto get : each) {
      try {
        get(j, field);
      } catch (const UserError&) {
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(data, size, [](const std::string& text) {
    nlohmann::json mine;
    try {
      mine = parse_json_text(text, "f.json");
    } catch (const UserError& e) {
      // Ours refuses deep nesting and numbers beyond double range; anything else nlohmann refuses too.
      const std::string why = e.what();
      const bool ours =
          why.find("nested deeper than") != std::string::npos || why.find("is out of range") != std::string::npos;
      if (!ours) fuzz::check(!nlohmann::json::accept(text), "nlohmann accepts what we refuse: " + why);
      throw;
    }
    fuzz::check(mine == nlohmann::json::parse(text), "a different value than nlohmann's parser");
    read_fields(mine);
  });
}
