#pragma once
// The command line of a `train` run as a value, and the one table of train's options. The `train`
// command binds its options from this table (apps/regnet-explore/train_options.hpp; `launch`,
// `compare` and `audit` bind the TrainingRequest part too), and a parent that runs `train` as a
// child (a --jobs worker, the child runs of compare and audit, a SLURM task) writes the child's
// arguments with to_args() from the same table: lib/ spells train's option names only here.
#include <string>
#include <type_traits>
#include <vector>

#include "core/run/training_plan.hpp"

namespace regnet {

struct TrainArguments {
  TrainingRequest request;    // SWEEP and the options train shares with launch, compare and audit
  bool worker_child = false;  // one worker of a --jobs run: the parent shows and reports (hidden)
  std::string run_id;         // the parent's run, recorded in provenance (hidden)
  bool quiet = false;         // the program's -q/--quiet: errors only

  // "train", SWEEP, then every option of the table that is given: text that is not empty, an
  // integer other than 0 (0 = not given), a set flag, and every number (shortest exact form);
  // "--quiet" last when quiet.
  std::vector<std::string> to_args() const;
};

// One row of the table. `names` as CLI11 takes them ("--jobs,-j"); to_args writes the first.
struct TrainOption {
  const char* names;
  const char* help;
  bool show_default = false;  // --help shows the default value
  bool hidden = false;        // left out of --help
  double lo = 0, hi = 0;      // a number's bounds (the CLI refuses others); jobs x threads fits an int
  bool open_lo = false;       // lo itself is refused: (lo, hi]
  std::string flag() const;   // "--jobs"
};

// The options a TrainingRequest holds, in --help order: visit(option, field) for each, with field
// a std::string&, int&, double& or bool& (a flag). Request is TrainingRequest, const or not.
template <class Request, class Visit>
void visit_request_options(Request& r, Visit&& visit) {
  static_assert(std::is_same_v<std::remove_const_t<Request>, TrainingRequest>);
  visit(TrainOption{"--data",
                    "dataset: fashion-mnist, mnist, cifar10, or a directory (IDX, CIFAR binary, ImageFolder); "
                    "default: the sweep's --preset dataset, else fashion-mnist"},
        r.data);
  visit(TrainOption{"--data-root", "directory holding a named dataset's files (default: its usual place)"},
        r.data_root);
  visit(TrainOption{"--schedule",
                    "training recipe: a name in configs/schedules (e.g. fashion-mnist-short) or a .json file; "
                    "default: DATA-short"},
        r.schedule);
  visit(TrainOption{"--jobs,-j", "worker processes (default 1, or one per --devices entry); each trains its own models",
                    false, false, 1, kMaxJobs},
        r.jobs);
  visit(TrainOption{"--threads", "CPU threads per worker (default: cores / jobs)", false, false, 0, kMaxThreads},
        r.threads);
  visit(TrainOption{"--devices", "cpu, auto, cuda, or a list such as cuda:0,cuda:1 (workers take turns)", true},
        r.devices);
  visit(TrainOption{"--ids", "only these samples, e.g. 0-9,12 (default: all)"}, r.ids);
  visit(TrainOption{"--no-wait",
                    "return when the only samples left are held by other live workers, instead of waiting to take "
                    "over any whose worker dies"},
        r.no_wait);
  visit(TrainOption{"--strict",
                    "an unreadable image (ImageFolder, JPEG pack) stops training with an error naming it "
                    "(default: skipped, counted, one warning)"},
        r.strict_data);
  visit(TrainOption{"--claim-timeout", "seconds without a heartbeat after which another machine's claim is stale", true,
                    false, 0, 1e6, true},
        r.claim_timeout);
  visit(TrainOption{"--heartbeat", "seconds between a worker's claim heartbeats", true, true, 0, 1e5, true},
        r.heartbeat);  // tests
}

// The options only a parent gives its child `train` (hidden), after the request's.
template <class Arguments, class Visit>
void visit_child_options(Arguments& a, Visit&& visit) {
  static_assert(std::is_same_v<std::remove_const_t<Arguments>, TrainArguments>);
  visit(TrainOption{"--worker-child", "", false, true}, a.worker_child);
  visit(TrainOption{"--run-id", "", false, true}, a.run_id);
}

// The arguments that reproduce `plan` in another process (a --jobs worker, a SLURM task, a child
// run of compare or audit), paths absolute: the sweep, data, schedule, `device`, the ids and claim
// timing; --threads when `threads` > 0 (else the process decides), --no-wait when `no_wait`,
// --strict when the plan is strict. The caller adds --jobs, the child options and quiet.
TrainArguments worker_arguments(const TrainingPlan& plan, const std::string& device, int threads, bool no_wait);

}  // namespace regnet
