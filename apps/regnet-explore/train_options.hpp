#pragma once
// The options of `train`, bound from the one table in core/run/train_arguments.hpp: `train` binds
// all of them (TrainArguments), `launch`, `compare` and `audit` the TrainingRequest part (which
// they pass on to their child `train` runs); core/run/training_plan.hpp decides what they mean.
#include <CLI/CLI.hpp>

#include <string>
#include <type_traits>

#include "core/base/error.hpp"
#include "core/run/train_arguments.hpp"
#include "core/run/training_plan.hpp"

namespace regnet::cli {

// One row of the table as a CLI11 option (a bool field as a flag).
struct TrainOptionBinder {
  CLI::App* cmd;
  template <class T>
  void operator()(const TrainOption& o, T& field) const {
    CLI::Option* opt = nullptr;
    if constexpr (std::is_same_v<T, bool>)
      opt = cmd->add_flag(o.names, field, o.help);
    else
      opt = cmd->add_option(o.names, field, o.help);
    if (o.show_default) opt->capture_default_str();
    if (o.hidden) opt->group("");
  }
};

inline void add_train_options(CLI::App* cmd, TrainingRequest& o) { visit_request_options(o, TrainOptionBinder{cmd}); }

// SWEEP, the request's options and the hidden ones a parent gives its child: what `train` parses,
// and what TrainArguments::to_args() writes (the program's -q/--quiet is main's).
inline void add_train_arguments(CLI::App* cmd, TrainArguments& a) {
  cmd->add_option("SWEEP", a.request.sweep_dir, "sweep directory (from `regnet-explore sample`)")->required();
  add_train_options(cmd, a.request);
  visit_child_options(a, TrainOptionBinder{cmd});
}

// An option whose 0 means "not given" (the default) refuses a 0 that was given.
inline void refuse_given_zero(const CLI::App& cmd, const std::string& option, int value, const std::string& why) {
  if (value == 0 && cmd.count(option) > 0) fail("", option, "0 must be >= 1 (" + why + ")");
}

inline void check_train_options(const CLI::App& cmd, const TrainingRequest& o) {
  refuse_given_zero(cmd, "--jobs", o.jobs, "leave it out for one worker per device");
}

}  // namespace regnet::cli
