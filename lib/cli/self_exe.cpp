#include "cli/self_exe.hpp"

#include <unistd.h>

#include <stdexcept>

namespace regnet::cli {

std::string self_exe() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw std::runtime_error("cannot find this program's path (/proc/self/exe)");
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace regnet::cli
