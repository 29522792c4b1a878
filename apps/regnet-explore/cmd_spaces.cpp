// Placeholder until the spaces command lands; replaced by its implementation.
#include "commands.hpp"
#include "core/error.hpp"

namespace regnet::cli {

void add_spaces_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("spaces", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] { throw UserError("'spaces' is not available in this build yet"); });
}

}  // namespace regnet::cli
