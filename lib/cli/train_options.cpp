#include "cli/train_options.hpp"

#include <type_traits>

#include "cli/number_options.hpp"

namespace regnet::cli {

namespace {

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

}  // namespace

void add_train_options(CLI::App* cmd, TrainingRequest& o) { visit_request_options(o, TrainOptionBinder{cmd}); }

void add_train_arguments(CLI::App* cmd, TrainArguments& a) {
  cmd->add_option("SWEEP", a.request.sweep_dir, "sweep directory (from `regnet-explore sample`)")->required();
  add_train_options(cmd, a.request);
  visit_child_options(a, TrainOptionBinder{cmd});
}

}  // namespace regnet::cli
