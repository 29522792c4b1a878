#pragma once
// The worker processes of a `train --jobs K` run: K copies of this program in worker mode,
// started together, each dying with this process (PR_SET_PDEATHSIG: a kill -9 of the parent
// stops them cleanly), watched until all have ended, a stop signal forwarded to them.
#include <string>
#include <vector>

#include "core/subprocess.hpp"

namespace regnet {

class WorkerSupervisor {
 public:
  // worker_args[k]: the arguments of worker k, after the program.
  WorkerSupervisor(std::string executable, std::vector<std::vector<std::string>> worker_args);
  // Spawns every worker (SpawnError if the program cannot start; those started are stopped).
  void start();
  // Until every worker has ended. Returns one line per worker that did not end cleanly: killed
  // by a signal, or an exit code other than 0, 75 (SIGTERM) and 130 (SIGINT). A worker's own
  // error was printed by that worker; these lines only say which one stopped.
  std::vector<std::string> wait(const Supervision& supervision);
  size_t size() const { return args_.size(); }

 private:
  std::string executable_;
  std::vector<std::vector<std::string>> args_;
  std::vector<Child> children_;
};

}  // namespace regnet
