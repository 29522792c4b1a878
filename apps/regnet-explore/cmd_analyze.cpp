// Placeholder until the analyze command lands; replaced by its implementation.
#include "commands.hpp"
#include "core/error.hpp"

namespace regnet::cli {

void add_analyze_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("analyze", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] { throw UserError("'analyze' is not available in this build yet"); });
}

}  // namespace regnet::cli
