#pragma once
// The subcommands: one add function per command, each in its own cmd_*.cpp, and main()'s table of
// them. A command's callback throws regnet::UserError for bad input; main() prints it as one line.
//
// Two executables share main.cpp's table: regnet-explore (no LibTorch: starts in milliseconds)
// compiles every command but the torch ones, regnet-explore-torch only those. Each links
// stand-ins for the other's commands (handover_torch.cpp, handover_light.cpp) that exec the
// partner binary, so either runs every command.
#include <CLI/CLI.hpp>

namespace regnet::cli {

void add_spaces_command(CLI::App& app);
void add_sample_command(CLI::App& app);
void add_describe_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_launch_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_analyze_command(CLI::App& app);
void add_fit_command(CLI::App& app);
void add_refine_command(CLI::App& app);
void add_compare_command(CLI::App& app);
void add_audit_command(CLI::App& app);
void add_bench_command(CLI::App& app);  // hidden: bench-train, for scripts/bench-train.sh
void add_stats_command(CLI::App& app);  // hidden: for checks
void add_data_command(CLI::App& app);   // data pack, data info

struct Tool {
  const char* name;
  const char* summary;         // the one line of --help
  void (*add)(CLI::App& app);  // registers the subcommand `name`
  bool needs_torch;            // runs in regnet-explore-torch
};

// From main()'s table: the summary of `name` ("" if none), and whether it runs in regnet-explore-torch.
const char* command_summary(const char* name);
bool command_needs_torch(const char* name);

// A command's long help (what it does, examples): docs/commands/NAME.txt, embedded by CMake;
// `data pack` is "data-pack". nullptr if there is none.
const char* command_help(const std::string& name);

// Registers `name` as a stand-in that execs the partner binary with this process's arguments.
CLI::App* add_handover(CLI::App& app, const char* name);

}  // namespace regnet::cli
