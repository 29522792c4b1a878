// Placeholder until the train command lands; replaced by its implementation.
#include "commands.hpp"
#include "core/error.hpp"

namespace regnet::cli {

void add_train_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("train", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] { throw UserError("'train' is not available in this build yet"); });
}

}  // namespace regnet::cli
