#include "core/worker_supervisor.hpp"

#include <fmt/format.h>

#include <csignal>

#include "core/stop_signal.hpp"

namespace regnet {

WorkerSupervisor::WorkerSupervisor(std::string executable, std::vector<std::vector<std::string>> worker_args)
    : executable_(std::move(executable)), args_(std::move(worker_args)) {}

void WorkerSupervisor::start() {
  for (const auto& a : args_) {
    SpawnOptions o;
    o.argv = {executable_};
    o.argv.insert(o.argv.end(), a.begin(), a.end());
    o.die_with_parent = true;
    try {
      children_.push_back(spawn(o));
    } catch (...) {
      for (auto& c : children_) c.send(SIGTERM);
      for (auto& c : children_) c.wait();
      throw;
    }
  }
}

std::vector<std::string> WorkerSupervisor::wait(const Supervision& supervision) {
  const std::vector<ExitStatus> ends = supervise(children_, supervision);
  std::vector<std::string> killed, failed;
  for (size_t i = 0; i < ends.size(); ++i) {
    const ExitStatus& e = ends[i];
    if (e.signal != 0)
      killed.push_back(
          fmt::format("worker {} (pid {}) was killed by signal {}", i + 1, children_[i].pid(), e.signal));
    else if (e.code != 0 && e.code != kExitTerminated && e.code != kExitInterrupted && e.code < 128)
      failed.push_back(fmt::format("worker {} stopped with exit code {}", i + 1, e.code));
  }
  killed.insert(killed.end(), failed.begin(), failed.end());
  return killed;
}

}  // namespace regnet
