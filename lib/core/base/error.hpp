#pragma once
// User-facing errors: one line that names the file, field and value. The CLI prints
// what() and exits non-zero; anything else escaping is a bug.
#include <stdexcept>
#include <string>

namespace regnet {

struct UserError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "file: field: message" with empty parts left out.
std::string error_context(const std::string& file, const std::string& field, const std::string& message);

[[noreturn]] void fail(const std::string& file, const std::string& field, const std::string& message);

}  // namespace regnet
