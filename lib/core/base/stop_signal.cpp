#include "core/base/stop_signal.hpp"

#include <csignal>

namespace regnet {

namespace {

volatile std::sig_atomic_t g_signal = 0;
volatile std::sig_atomic_t g_escalate = 0;

extern "C" void on_stop_signal(int sig) {
  if (g_signal != 0 && g_escalate && sig == SIGINT) {  // a second Ctrl-C: stop now
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
  if (g_signal == 0) g_signal = sig;
}

}  // namespace

void install_stop_handlers(bool escalate) {
  g_escalate = escalate ? 1 : 0;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

int stop_signal() { return g_signal; }

bool stop_requested() { return g_signal != 0; }

int stop_exit_code() { return g_signal == SIGTERM ? kExitTerminated : kExitInterrupted; }

void clear_stop_signal() { g_signal = 0; }

}  // namespace regnet
