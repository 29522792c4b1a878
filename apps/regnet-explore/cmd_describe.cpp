// Placeholder until the describe command lands; replaced by its implementation.
#include "commands.hpp"
#include "core/error.hpp"

namespace regnet::cli {

void add_describe_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("describe", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] { throw UserError("'describe' is not available in this build yet"); });
}

}  // namespace regnet::cli
