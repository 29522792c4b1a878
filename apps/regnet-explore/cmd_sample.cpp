// Placeholder until the sample command lands; replaced by its implementation.
#include "commands.hpp"
#include "core/error.hpp"

namespace regnet::cli {

void add_sample_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("sample", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] { throw UserError("'sample' is not available in this build yet"); });
}

}  // namespace regnet::cli
