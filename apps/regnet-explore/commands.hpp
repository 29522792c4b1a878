#pragma once
// The subcommands: one add function per command, each in its own cmd_*.cpp, and main()'s table of
// them. A command's callback throws regnet::UserError for bad input; the driver (cli/program.hpp)
// prints it as one line.
//
// Two executables share main.cpp's table: regnet-explore (no LibTorch: starts in milliseconds)
// compiles every command but the torch ones, regnet-explore-torch only those. The add functions
// are weak: in the binary that lacks a command its address is null, and add_tools registers a
// stand-in instead that execs the partner binary, so either runs every command.
#include <CLI/CLI.hpp>

#include <string>

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

// A command's long help (what it does, examples): docs/commands/NAME.txt, embedded by CMake;
// `data pack` is "data-pack". nullptr if there is none.
const char* command_help(const std::string& name);

}  // namespace regnet::cli
