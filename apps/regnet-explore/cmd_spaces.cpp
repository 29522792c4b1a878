// regnet-explore spaces: list the design spaces (configs/spaces/*.json) with their parameters.
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "core/space.hpp"

namespace regnet::cli {

namespace {

void print_space(const DesignSpace& s) {
  std::printf("%s  (%s, ", s.name.c_str(), to_string(s.type).c_str());
  if (s.min_stages == s.max_stages) std::printf("%d stages", s.min_stages);
  else std::printf("%d-%d stages", s.min_stages, s.max_stages);
  if (s.type == SpaceType::regnet) std::printf(" generated, width quantum %d", s.width_quantum);
  std::printf(")  %s\n", s.file.c_str());
  if (!s.description.empty()) std::printf("  %s\n", s.description.c_str());
  for (const auto& p : s.parameters)
    std::printf("    %-17s %-10s %s\n", p.name.c_str(), p.per_stage ? "per stage" : "shared", describe(p.dist).c_str());
  if (s.constraints.empty()) std::printf("    constraints: none\n");
  for (const auto& c : s.constraints) std::printf("    constraint: %s\n", describe(c).c_str());
  const NetworkOptions& n = s.network;
  std::printf("    network: %d px, %d channels, %d classes, stem %s width %d, stage stride %d\n", n.input_size,
              n.input_channels, n.num_classes, to_string(n.stem_type).c_str(), n.stem_width, n.stride);
}

}  // namespace

void add_spaces_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("spaces", "List design spaces with their parameters, constraints and network defaults");
  auto names = std::make_shared<std::vector<std::string>>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("names", *names, "only these spaces (names or .json paths)");
  cmd->add_flag("--json", *json, "print JSON: {spaces_dir, spaces: [complete space definitions with file]}");
  cmd->footer(
      "Spaces are JSON files in $REGNET_CONFIG_DIR/spaces (default: <source>/configs/spaces); add one by dropping a\n"
      "file there or pass --space PATH.json to sample. Schema: docs/spaces.md.\n\n"
      "Examples:\n"
      "  regnet-explore spaces\n"
      "  regnet-explore spaces RegNetX AnyNetXE\n"
      "  regnet-explore spaces --json\n");
  cmd->callback([names, json] {
    std::vector<DesignSpace> spaces;
    if (names->empty()) {
      spaces = load_all_spaces();
    } else {
      for (const auto& n : *names) spaces.push_back(load_space(n));
    }
    if (*json) {
      nlohmann::json out{{"spaces_dir", spaces_dir()}, {"spaces", nlohmann::json::array()}};
      for (const auto& s : spaces) {
        nlohmann::json j = to_json(s);
        j["file"] = s.file;
        out["spaces"].push_back(j);
      }
      std::cout << out.dump(2) << "\n";
      return;
    }
    for (size_t i = 0; i < spaces.size(); ++i) {
      if (i) std::printf("\n");
      print_space(spaces[i]);
    }
  });
}

}  // namespace regnet::cli
