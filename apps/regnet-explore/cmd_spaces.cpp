// regnet-explore spaces: list the design spaces (configs/spaces/*.json) with their parameters.
#include <memory>

#include "cli/output.hpp"
#include "commands.hpp"
#include "core/base/text.hpp"
#include "core/space/space.hpp"

namespace regnet::cli {

namespace {

struct Options {
  std::vector<std::string> names;
  bool json = false;
};

void run(const Options& o) {
  const std::vector<DesignSpace> spaces = load_spaces(o.names);
  std::vector<std::string> texts;
  for (const auto& s : spaces) texts.push_back(to_text(s));
  print_result(o.json, spaces_json(spaces), join(texts, "\n"));
}

}  // namespace

void add_spaces_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("spaces");
  cmd->add_option("names", o->names, "only these spaces (names or .json paths)");
  cmd->add_flag("--json", o->json, "print JSON: {spaces_dir, spaces: [complete space definitions with file]}");
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
