#pragma once
// The subcommands: one add function per command, each in its own cmd_*.cpp, and main()'s table of
// them. A command's callback throws regnet::UserError for bad input; main() prints it as one line.
//
// Two executables share main.cpp's table: regnet-explore (no LibTorch: starts in milliseconds)
// compiles every command but the torch ones, regnet-explore-torch only those. The add functions
// are weak: in the binary that lacks a command its address is null, and main() registers a
// stand-in instead (handover.cpp) that execs the partner binary, so either runs every command.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace regnet::cli {

[[gnu::weak]] void add_spaces_command(CLI::App& app);
[[gnu::weak]] void add_sample_command(CLI::App& app);
[[gnu::weak]] void add_describe_command(CLI::App& app);
[[gnu::weak]] void add_train_command(CLI::App& app);
[[gnu::weak]] void add_launch_command(CLI::App& app);
[[gnu::weak]] void add_export_command(CLI::App& app);
[[gnu::weak]] void add_analyze_command(CLI::App& app);
[[gnu::weak]] void add_fit_command(CLI::App& app);
[[gnu::weak]] void add_refine_command(CLI::App& app);
[[gnu::weak]] void add_compare_command(CLI::App& app);
[[gnu::weak]] void add_audit_command(CLI::App& app);
[[gnu::weak]] void add_bench_command(CLI::App& app);  // bench-train, for scripts/bench-train.sh
[[gnu::weak]] void add_stats_command(CLI::App& app);  // for checks
[[gnu::weak]] void add_data_command(CLI::App& app);   // data pack, data info

struct Tool {
  const char* name;
  const char* summary;         // the one line of --help
  void (*add)(CLI::App& app);  // registers the subcommand `name`; null in the binary that lacks it
  bool needs_torch;            // runs in regnet-explore-torch
  bool hidden = false;         // left out of the main --help
};

// From main()'s table: the summary of `name` ("" if none), and whether it runs in regnet-explore-torch.
const char* command_summary(const char* name);
bool command_needs_torch(const char* name);

// A command's long help (what it does, examples): docs/commands/NAME.txt, embedded by CMake;
// `data pack` is "data-pack". nullptr if there is none.
const char* command_help(const std::string& name);

// Registers `name` as a stand-in that execs the partner binary with `args`, main()'s argv.
void add_handover(CLI::App& app, const char* name, const std::vector<std::string>& args);

}  // namespace regnet::cli
