#include "core/base/config_dir.hpp"

#include <cstdlib>

namespace regnet {

std::string config_dir() {
  const char* env = std::getenv("REGNET_CONFIG_DIR");
  if (env && *env) return env;
  return std::string(REGNET_SOURCE_DIR) + "/configs";
}

}  // namespace regnet
