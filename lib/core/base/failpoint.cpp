#include "core/base/failpoint.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "core/base/error.hpp"
#include "core/base/lists.hpp"

namespace regnet {

namespace detail {
bool g_failpoints_on = std::getenv("REGNET_FAILPOINT") != nullptr;
}  // namespace detail

namespace {

constexpr const char* kVariable = "REGNET_FAILPOINT";

struct Failpoints {
  std::mutex mu;
  bool loaded = false;
  std::map<std::string, FailpointAction> points;
  std::map<std::string, int> reached;
  std::string log_path;
};

Failpoints& failpoints() {
  static Failpoints f;
  return f;
}

[[noreturn]] void bad(const std::string& item, const std::string& why) {
  fail("", kVariable, "'" + item + "': " + why);
}

// "kill", "pause=0.5", either with "@N".
FailpointAction parse_action(const std::string& item, std::string text) {
  FailpointAction a;
  if (const size_t at = text.find('@'); at != std::string::npos) {
    const std::string n = text.substr(at + 1);
    char* end = nullptr;
    const long v = std::strtol(n.c_str(), &end, 10);
    if (n.empty() || *end != '\0' || v < 1 || v > 1000000000) bad(item, "@" + n + " is not a positive count");
    a.nth = static_cast<int>(v);
    text = text.substr(0, at);
  }
  if (text == "kill") {
    a.kind = FailpointAction::Kind::kill;
    return a;
  }
  if (text.rfind("pause=", 0) != 0) bad(item, "the action is pause=SECONDS or kill");
  const std::string s = text.substr(6);
  char* end = nullptr;
  a.seconds = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || !std::isfinite(a.seconds) || a.seconds < 0 || a.seconds > 3600)
    bad(item, "pause=" + s + " is not a number of seconds in [0, 3600]");
  return a;
}

void load_locked(Failpoints& f) {
  if (f.loaded) return;
  const char* text = std::getenv(kVariable);
  const char* log = std::getenv("REGNET_FAILPOINT_LOG");
  f.points = parse_failpoints(text ? text : "");
  f.log_path = log ? log : "";
  f.loaded = true;
}

// One write() on O_APPEND: lines from processes reaching points at once never interleave.
void announce(const std::string& path, const char* name) {
  const std::string line = std::to_string(::getpid()) + " " + name + "\n";
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  if (::write(fd, line.data(), line.size()) < 0) {
    // The driver misses one line; the point still acts.
  }
  ::close(fd);
}

}  // namespace

const std::vector<std::string>& failpoint_names() {
  static const std::vector<std::string> names{
      "claim-create",      // try_claim: the private claim file is written, not yet linked into place
      "takeover",          // take_over_claim: the stale claim is renamed aside, not yet checked or removed
      "claim-release",     // release_claim: the claim is renamed aside, not yet removed
      "checkpoint-write",  // trainer: the epoch's checkpoint is in its temporary file, not yet renamed
      "train-step",        // trainer: before each training step
      "result-write",      // worker: the result is in its temporary file, not yet renamed
      "result-written",    // worker: the result is in place; checkpoint and claim not yet removed
  };
  return names;
}

std::map<std::string, FailpointAction> parse_failpoints(const std::string& text) {
  std::map<std::string, FailpointAction> out;
  const auto& names = failpoint_names();
  for (const std::string& item : split_list(text, ",", EmptyItems::skip)) {
    const size_t colon = item.find(':');
    if (colon == std::string::npos) bad(item, "expected NAME:ACTION, e.g. result-write:pause=0.5");
    const std::string name = item.substr(0, colon);
    if (std::find(names.begin(), names.end(), name) == names.end()) bad(item, "unknown failpoint '" + name + "'");
    out[name] = parse_action(item, item.substr(colon + 1));
  }
  return out;
}

void configure_failpoints(const std::string& text, const std::string& log_path) {
  Failpoints& f = failpoints();
  std::lock_guard<std::mutex> lock(f.mu);
  f.points = parse_failpoints(text);
  f.reached.clear();
  f.log_path = log_path;
  f.loaded = true;
  detail::g_failpoints_on = !f.points.empty();
}

void load_failpoints() {
  if (!detail::g_failpoints_on) return;
  Failpoints& f = failpoints();
  std::lock_guard<std::mutex> lock(f.mu);
  load_locked(f);
}

void detail::reach_failpoint(const char* name) {
  Failpoints& f = failpoints();
  FailpointAction action;
  std::string log;
  {
    std::lock_guard<std::mutex> lock(f.mu);
    try {
      load_locked(f);
    } catch (const UserError& e) {
      std::fprintf(stderr, "regnet-explore: error: %s\n", e.what());
      ::_exit(2);
    }
    const auto it = f.points.find(name);
    if (it == f.points.end()) return;
    const int n = ++f.reached[name];
    if (it->second.nth != 0 && n != it->second.nth) return;
    action = it->second;
    log = f.log_path;
  }
  if (!log.empty()) announce(log, name);
  if (action.kind == FailpointAction::Kind::kill) {
    ::kill(::getpid(), SIGKILL);
    for (;;) ::pause();  // SIGKILL is on its way
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(action.seconds));
}

}  // namespace regnet
