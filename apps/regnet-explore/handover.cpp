// The hand-over between the two executables: a stand-in subcommand that execs the partner binary
// (beside this one) with this process's own arguments.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "commands.hpp"
#include "core/base/error.hpp"
#include "self_exe.hpp"

namespace regnet::cli {

namespace {

[[noreturn]] void exec_partner(const char* command, std::vector<std::string> args) {
  const std::string self = self_exe();
  const std::string exe =
      self.substr(0, self.rfind('/') + 1) + (command_needs_torch(command) ? "regnet-explore-torch" : "regnet-explore");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv(exe.c_str(), argv.data());
  fail("", command, "needs " + exe + ": " + std::strerror(errno) + " (build with LibTorch: scripts/build.sh)");
}

}  // namespace

void add_handover(CLI::App& app, const char* name, const std::vector<std::string>& args) {
  auto* cmd = app.add_subcommand(name, command_summary(name));
  // Every argument after the name goes over unparsed (--help and -v included).
  cmd->fallthrough(false)->prefix_command()->allow_extras()->set_help_flag();
  cmd->callback([name, args] { exec_partner(name, args); });
}

}  // namespace regnet::cli
