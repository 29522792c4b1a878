#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "fuzz_target.hpp"

namespace regnet::fuzz {

namespace {
// In memory where there is /dev/shm (a disk write per input is 7x slower here), else $TMPDIR.
std::filesystem::path scratch_parent() {
  if (!std::getenv("TMPDIR") && ::access("/dev/shm", W_OK) == 0) return "/dev/shm";
  return std::filesystem::temp_directory_path();
}

struct ScratchDir {
  std::string path;
  ScratchDir() : path((scratch_parent() / "regnet-fuzz-XXXXXX").string()) {
    if (!::mkdtemp(path.data())) bug("mkdtemp failed");
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};
}  // namespace

const std::string& scratch_dir() {
  static const ScratchDir dir;
  return dir.path;
}

}  // namespace regnet::fuzz
