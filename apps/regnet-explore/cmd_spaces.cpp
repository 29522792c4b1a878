// regnet-explore spaces: list the design spaces (configs/spaces/*.json) with their parameters.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "core/space/space.hpp"

namespace regnet::cli {

namespace {

struct Options {
  std::vector<std::string> names;
  bool json = false;
};

void run(const Options& o) {
  const std::vector<DesignSpace> spaces = load_spaces(o.names);
  if (o.json) {
    std::cout << spaces_json(spaces).dump(2) << "\n";
    return;
  }
  for (size_t i = 0; i < spaces.size(); ++i) std::cout << (i ? "\n" : "") << to_text(spaces[i]);
}

}  // namespace

void add_spaces_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("spaces", command_summary("spaces"));
  cmd->add_option("names", o->names, "only these spaces (names or .json paths)");
  cmd->add_flag("--json", o->json, "print JSON: {spaces_dir, spaces: [complete space definitions with file]}");
  cmd->footer(
      "Spaces are JSON files in $REGNET_CONFIG_DIR/spaces (default: <source>/configs/spaces); add one by dropping a\n"
      "file there or pass --space PATH.json to sample. Schema: docs/spaces.md.\n\n"
      "Examples:\n"
      "  regnet-explore spaces\n"
      "  regnet-explore spaces RegNetX AnyNetXE\n"
      "  regnet-explore spaces --json\n");
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
