// Placeholder until the fit command lands; replaced by its implementation.
#include "commands.hpp"
#include "core/error.hpp"

namespace regnet::cli {

void add_fit_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("fit", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] { throw UserError("'fit' is not available in this build yet"); });
}

}  // namespace regnet::cli
