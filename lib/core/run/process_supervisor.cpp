#include "core/run/process_supervisor.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include "core/base/stop_signal.hpp"

namespace regnet {

namespace {
constexpr const char* kErrorPrefix = "regnet-explore: error: ";
constexpr int kExitUserError = 2;  // main()'s exit code for a UserError
}  // namespace

// The file is unlinked once the worker holds it open, so nothing stays behind if this process
// is killed; where no temporary file can be made, the worker writes to this process's stderr.
struct ProcessSupervisor::Capture {
  int fd = -1;
  std::string path;
  Capture() {
    std::error_code ec;
    std::string t = (std::filesystem::temp_directory_path(ec) / "regnet-worker-XXXXXX").string();
    fd = ::mkostemp(t.data(), O_CLOEXEC);
    if (fd >= 0) path = t;
  }
  ~Capture() {
    detach();
    if (fd >= 0) ::close(fd);
  }
  Redirect redirect() const { return path.empty() ? Redirect::inherit() : Redirect::file(path); }
  void detach() {
    if (!path.empty()) ::unlink(path.c_str());
    path.clear();
  }
  std::string text() const {
    std::string out;
    if (fd < 0) return out;
    char buf[4096];
    for (off_t at = 0;;) {
      const ssize_t n = ::pread(fd, buf, sizeof buf, at);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
      at += n;
    }
    return out;
  }
};

ProcessSupervisor::ProcessSupervisor(std::string executable, std::vector<std::vector<std::string>> child_args)
    : executable_(std::move(executable)), args_(std::move(child_args)) {}

ProcessSupervisor::~ProcessSupervisor() {
  children_.clear();  // kills and reaps any still running before their files go
}

void ProcessSupervisor::start() {
  for (const auto& a : args_) {
    SpawnOptions o;
    o.argv = {executable_};
    o.argv.insert(o.argv.end(), a.begin(), a.end());
    o.die_with_parent = true;
    captures_.push_back(std::make_unique<Capture>());
    o.err = captures_.back()->redirect();
    try {
      children_.push_back(spawn(o));
      captures_.back()->detach();
    } catch (...) {
      for (auto& c : children_) c.send(SIGTERM);
      for (auto& c : children_) c.wait();
      throw;
    }
  }
}

// Error lines of a worker that refused become errors(); anything else it said goes to stderr.
// Returns whether it said why it refused.
bool ProcessSupervisor::collect(size_t worker, const ExitStatus& end) {
  const std::string text = captures_[worker]->text();
  std::string other;
  bool said_why = false;
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    const std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (end.code == kExitUserError && end.signal == 0 && line.rfind(kErrorPrefix, 0) == 0) {
      const std::string message = line.substr(std::string(kErrorPrefix).size());
      said_why = true;
      if (std::find(errors_.begin(), errors_.end(), message) == errors_.end()) errors_.push_back(message);
    } else if (!line.empty()) {
      other += line + "\n";
    }
  }
  if (!other.empty()) std::fputs(other.c_str(), stderr);
  return said_why;
}

std::vector<std::string> ProcessSupervisor::wait(const Supervision& supervision) {
  const std::vector<ExitStatus> ends = supervise(children_, supervision);
  std::vector<std::string> killed, failed;
  for (size_t i = 0; i < ends.size(); ++i) {
    const ExitStatus& e = ends[i];
    const bool said_why = collect(i, e);
    if (e.signal != 0)
      killed.push_back(fmt::format("worker {} (pid {}) was killed by signal {}", i + 1, children_[i].pid(), e.signal));
    else if (e.code != 0 && e.code != kExitTerminated && e.code != kExitInterrupted && e.code < 128 && !said_why)
      failed.push_back(fmt::format("worker {} stopped with exit code {}", i + 1, e.code));
  }
  killed.insert(killed.end(), failed.begin(), failed.end());
  return killed;
}

}  // namespace regnet
