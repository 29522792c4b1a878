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
#include "number_options.hpp"

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
    if constexpr (std::is_same_v<T, int>)
      opt->transform(whole_number<int>(static_cast<std::int64_t>(o.lo), static_cast<std::int64_t>(o.hi)));
    if constexpr (std::is_same_v<T, double>) opt->transform(real_number(o.lo, o.hi, o.open_lo));
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

}  // namespace regnet::cli
