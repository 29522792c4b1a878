// regnet-explore-torch's stand-ins for the commands that need no LibTorch (handover.cpp): each
// execs regnet-explore with the same arguments, so this binary compiles only the torch commands.
// A new light command needs a line here too (the link fails without it).
#include "commands.hpp"

namespace regnet::cli {

void add_spaces_command(CLI::App& app) { add_handover(app, "spaces"); }
void add_sample_command(CLI::App& app) { add_handover(app, "sample"); }
void add_describe_command(CLI::App& app) { add_handover(app, "describe"); }
void add_launch_command(CLI::App& app) { add_handover(app, "launch"); }
void add_analyze_command(CLI::App& app) { add_handover(app, "analyze"); }
void add_fit_command(CLI::App& app) { add_handover(app, "fit"); }
void add_compare_command(CLI::App& app) { add_handover(app, "compare"); }
void add_audit_command(CLI::App& app) { add_handover(app, "audit"); }
void add_stats_command(CLI::App& app) { add_handover(app, "stats")->group(""); }

}  // namespace regnet::cli
