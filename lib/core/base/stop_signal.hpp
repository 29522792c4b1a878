#pragma once
// SIGINT and SIGTERM as a request to stop cleanly: the handler only records the first signal;
// workers poll stop_requested() between steps, keep their checkpoint, release their claim and
// exit with stop_exit_code(): 75 after SIGTERM (EX_TEMPFAIL: SLURM's RequeueExit=75 requeues a
// preempted task), 130 after SIGINT (128 + 2, as shells report an interrupt).

namespace regnet {

constexpr int kExitTerminated = 75;
constexpr int kExitInterrupted = 130;

// escalate: a second SIGINT ends the process at once (an interactive run's second Ctrl-C).
void install_stop_handlers(bool escalate);
// The first SIGINT or SIGTERM received since install (or clear), else 0.
int stop_signal();
bool stop_requested();
int stop_exit_code();      // for the signal received
void clear_stop_signal();  // forget it (tests)

}  // namespace regnet
