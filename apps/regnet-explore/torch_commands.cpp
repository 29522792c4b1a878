// The torch commands' names and summaries, and the hand-over from the light binary.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "commands.hpp"
#include "self_exe.hpp"

namespace regnet::cli {

const char* torch_command_summary(const char* name) {
  for (const auto& c : kTorchCommands)
    if (std::strcmp(c.name, name) == 0) return c.summary;
  return "";
}

bool is_torch_command(const char* name) {
  for (const auto& c : kTorchCommands)
    if (std::strcmp(c.name, name) == 0) return true;
  return false;
}

void add_torch_forwarders(CLI::App& app) {
  for (const auto& c : kTorchCommands) {
    auto* cmd = app.add_subcommand(c.name, c.summary);
    if (c.hidden) cmd->group("");
  }
}

int forward_to_torch_binary(char** argv) {
  std::string exe;
  try {
    exe = self_exe();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "regnet-explore: error: %s\n", e.what());
    return 3;
  }
  exe = exe.substr(0, exe.rfind('/') + 1) + "regnet-explore-torch";
  ::execv(exe.c_str(), argv);
  std::fprintf(stderr, "regnet-explore: error: '%s' needs %s: %s (build with LibTorch: scripts/build.sh)\n", argv[1],
               exe.c_str(), std::strerror(errno));
  return 2;
}

}  // namespace regnet::cli
