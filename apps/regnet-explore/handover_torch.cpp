// regnet-explore's stand-ins for the torch commands (handover.cpp): each execs regnet-explore-torch
// with the same arguments, so `regnet-explore train ...` works while this binary never loads
// libtorch (~0.3 s).
#include "commands.hpp"

namespace regnet::cli {

void add_train_command(CLI::App& app) { add_handover(app, "train"); }
void add_export_command(CLI::App& app) { add_handover(app, "export"); }
void add_bench_command(CLI::App& app) { add_handover(app, "bench-train")->group(""); }
void add_data_command(CLI::App& app) { add_handover(app, "data"); }

}  // namespace regnet::cli
