// The hand-over between the two executables: a stand-in subcommand that execs the partner binary
// (beside this one) with this process's own arguments.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "commands.hpp"
#include "core/base/error.hpp"
#include "self_exe.hpp"

namespace regnet::cli {

namespace {

// This process's arguments as main() got them (NUL-separated in /proc/self/cmdline).
std::vector<std::string> own_arguments() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string all{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::vector<std::string> args;
  for (size_t b = 0; b < all.size();) {
    const size_t e = all.find('\0', b);
    args.push_back(all.substr(b, e == std::string::npos ? std::string::npos : e - b));
    b = e == std::string::npos ? all.size() : e + 1;
  }
  return args;
}

[[noreturn]] void exec_partner(const char* command) {
  const std::string self = self_exe();
  const std::string exe =
      self.substr(0, self.rfind('/') + 1) + (command_needs_torch(command) ? "regnet-explore-torch" : "regnet-explore");
  std::vector<std::string> args = own_arguments();
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv(exe.c_str(), argv.data());
  fail("", command, "needs " + exe + ": " + std::strerror(errno) + " (build with LibTorch: scripts/build.sh)");
}

}  // namespace

void add_handover(CLI::App& app, const char* name) {
  auto* cmd = app.add_subcommand(name, command_summary(name));
  // Every argument after the name goes over unparsed (--help and -v included).
  cmd->fallthrough(false)->prefix_command()->allow_extras()->set_help_flag();
  cmd->callback([name] { exec_partner(name); });
}

}  // namespace regnet::cli
