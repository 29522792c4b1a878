// regnet-explore: explore AnyNet/RegNet design spaces (Radosavovic et al., CVPR 2020).
#include <malloc.h>

#include <climits>
#include <vector>

#include "cli/program.hpp"
#include "commands.hpp"

namespace regnet::cli {

// Every subcommand, in --help order (ninja's driver style: one row per tool). Each binary has the
// commands of its program; the other's are stand-ins that exec it (commands.hpp).
constexpr const char* kLight = "regnet-explore";
constexpr const char* kTorch = "regnet-explore-torch";
const std::vector<Tool> kTools = {
    {"spaces", "List design spaces with their parameters, constraints and network defaults", add_spaces_command,
     kLight},
    {"sample", "Draw N models from a design space into a complexity window; write a sweep", add_sample_command, kLight},
    {"describe", "Show a model's stages, block widths and flops/params/acts", add_describe_command, kLight},
    {"train", "Train every pending sample of a sweep (resumable, shareable)", add_train_command, kTorch},
    {"launch", "Train a sweep as a SLURM job array (the same work as `train`)", add_launch_command, kLight},
    {"export", "Write a model's weights as a PyTorch state dict (pycls names) + spec JSON", add_export_command, kTorch},
    {"analyze", "Compare sweeps: error EDFs, KS tests, bootstrap trends, width fits, HTML report", add_analyze_command,
     kLight},
    {"fit", "Fit the linear width curve (w0, wa, wm, e_fit) to a sweep's best models", add_fit_command, kLight},
    {"refine", "Propose restrictions of a sweep's space (ties, orders, ranges); confirm them on fresh models",
     add_refine_command, kLight},
    {"compare", "Train sweeps interleaved until a group-sequential test tells them apart (--until decided)",
     add_compare_command, kLight},
    {"audit", "Retrain k models with a longer schedule; rank agreement of short vs long errors", add_audit_command,
     kLight},
    {"bench-train", "Train one model and print its throughput (for scripts/bench-train.sh)", add_bench_command, kTorch,
     true},
    {"data", "Pack an ImageFolder into one file, or describe a pack (data pack, data info)", add_data_command, kTorch},
    {"stats", "Statistics on numbers given inline (for checks; hidden)", add_stats_command, kLight, true},
};

}  // namespace regnet::cli

int main(int argc, char** argv) {
  // glibc would mmap/munmap every large tensor each step (~1.4x slower training): keep them.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);

  CLI::App app{"regnet-explore " REGNET_VERSION
               ": sample, train, compare and fit AnyNet/RegNet design spaces\n"
               "(Radosavovic et al., \"Designing Network Design Spaces\", CVPR 2020).\n\n"
               "Examples:\n"
               "  regnet-explore spaces\n"
               "  regnet-explore sample --space AnyNetXE -n 500 --flops 360M:400M --seed 1 --out sweeps/xe\n"
               "  regnet-explore describe RegNetX-400MF\n"
               "  regnet-explore train sweeps/xe --data fashion-mnist\n"
               "  regnet-explore compare sweeps/xa sweeps/xe --until decided\n"
               "  regnet-explore analyze sweeps/xa sweeps/xe --out report/\n"
               "  regnet-explore fit sweeps/xe --top 20\n",
               "regnet-explore"};
  app.set_version_flag("--version", REGNET_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  regnet::cli::add_tools(app, regnet::cli::kTools, {argv, argv + argc});
  regnet::cli::add_help_footers(app, regnet::cli::command_help);
  return regnet::cli::run_program(app, argc, argv);
}
