#pragma once
// Test-only failpoints: named points in the worker, claims and trainer where a chaos test makes
// the process pause (so that its kill -9 lands in that window) or SIGKILL itself. Configured by
// the environment, read once per process:
//
//   REGNET_FAILPOINT="result-write:pause=0.5,claim-release:kill,train-step:kill@12"
//
// ACTION is pause=SECONDS or kill; @N limits it to the N-th time this process reaches the point
// (else every time). With REGNET_FAILPOINT_LOG=FILE, a point appends "PID NAME" to
// FILE when it acts, so the driver knows where a process is. The names, and where they are, are
// listed in docs/workers.md. When REGNET_FAILPOINT is unset a failpoint is one load and a branch.
#include <map>
#include <string>
#include <vector>

namespace regnet {

struct FailpointAction {
  enum class Kind { pause, kill } kind = Kind::pause;
  double seconds = 0;  // pause
  int nth = 0;         // 0: every time; N: only the N-th time
};

// Every name a failpoint in this program uses (claim-create, takeover, ...).
const std::vector<std::string>& failpoint_names();

// Parses REGNET_FAILPOINT's syntax; a UserError names REGNET_FAILPOINT and the bad item (an
// unknown name, a malformed action).
std::map<std::string, FailpointAction> parse_failpoints(const std::string& text);

// Replaces this process's failpoints (tests); "" turns them off. `log_path` as REGNET_FAILPOINT_LOG.
void configure_failpoints(const std::string& text, const std::string& log_path = "");
// Reads REGNET_FAILPOINT and REGNET_FAILPOINT_LOG unless done already; a UserError for a malformed
// value (commands call it first, so a typo is one line rather than a silently ignored point).
void load_failpoints();

namespace detail {
extern bool g_failpoints_on;
void reach_failpoint(const char* name);
}  // namespace detail

// The point `name` (one of failpoint_names()): does what REGNET_FAILPOINT says for it, if anything.
inline void failpoint(const char* name) {
  if (detail::g_failpoints_on) detail::reach_failpoint(name);
}

}  // namespace regnet
