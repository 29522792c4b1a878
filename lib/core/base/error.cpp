#include "core/base/error.hpp"

namespace regnet {

std::string error_context(const std::string& file, const std::string& field, const std::string& message) {
  std::string out;
  if (!file.empty()) out += file + ": ";
  if (!field.empty()) out += field + ": ";
  return out + message;
}

void fail(const std::string& file, const std::string& field, const std::string& message) {
  throw UserError(error_context(file, field, message));
}

}  // namespace regnet
