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
void add_compare_command(CLI::App& app);
void add_audit_command(CLI::App& app);
void add_bench_command(CLI::App& app);  // hidden: bench-train, for scripts/bench-train.sh
void add_stats_command(CLI::App& app);  // hidden: for checks

// Commands that need LibTorch live in regnet-explore-torch. The plain regnet-explore starts in
// milliseconds instead of paying ~0.3 s to load libtorch, and hands these commands over.
struct TorchCommand {
  const char* name;
  const char* summary;
  bool hidden;
};
inline constexpr TorchCommand kTorchCommands[] = {
    {"train", "Train every pending sample of a sweep (resumable, shareable)", false},
    {"export", "Write a model's weights as a PyTorch state dict (pycls names) + spec JSON", false},
    {"bench-train", "Train one model and print its throughput (for scripts/bench-train.sh)", true},
};
const char* torch_command_summary(const char* name);
bool is_torch_command(const char* name);
// Lists the torch commands in --help of the light binary.
void add_torch_forwarders(CLI::App& app);
// Execs regnet-explore-torch (beside this binary) with the same arguments; returns an exit code
// only when that fails.
int forward_to_torch_binary(char** argv);

}  // namespace regnet::cli
