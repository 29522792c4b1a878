#pragma once
// One registration function per subcommand; each lives in its own cmd_*.cpp.
// A command's callback throws regnet::UserError for bad input; main() prints it as one line.
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
void add_bench_command(CLI::App& app);  // hidden: bench-train, for scripts/bench-train.sh
void add_stats_command(CLI::App& app);  // hidden: for checks

}  // namespace regnet::cli
