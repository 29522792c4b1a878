// Placeholder until the export command lands; replaced by its implementation.
#include "commands.hpp"
#include "core/error.hpp"

namespace regnet::cli {

void add_export_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] { throw UserError("'export' is not available in this build yet"); });
}

}  // namespace regnet::cli
