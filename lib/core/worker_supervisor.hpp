#pragma once
// The worker processes of a `train --jobs K` run: K copies of this program in worker mode,
// started together, each dying with this process (PR_SET_PDEATHSIG: a kill -9 of the parent
// stops them cleanly), watched until all have ended, a stop signal forwarded to them. Their
// stderr is collected, so that an error every worker meets (a full disk) is one line, not K.
#include <memory>
#include <string>
#include <vector>

#include "core/subprocess.hpp"

namespace regnet {

class WorkerSupervisor {
 public:
  // worker_args[k]: the arguments of worker k, after the program.
  WorkerSupervisor(std::string executable, std::vector<std::vector<std::string>> worker_args);
  ~WorkerSupervisor();
  WorkerSupervisor(const WorkerSupervisor&) = delete;
  WorkerSupervisor& operator=(const WorkerSupervisor&) = delete;
  // Spawns every worker (SpawnError if the program cannot start; those started are stopped).
  void start();
  // Until every worker has ended. Returns one line per worker that did not end cleanly: killed
  // by a signal, or an exit code other than 0, 2 (its error is in errors()), 75 (SIGTERM) and
  // 130 (SIGINT). What a worker wrote on stderr besides error lines is passed on to this
  // process's stderr when it ends.
  std::vector<std::string> wait(const Supervision& supervision);
  // The "regnet-explore: error: " lines of workers that stopped with exit code 2, without the
  // prefix, each message once.
  const std::vector<std::string>& errors() const { return errors_; }
  size_t size() const { return args_.size(); }

 private:
  struct Capture;  // a worker's stderr: an unlinked temporary file
  bool collect(size_t worker, const ExitStatus& end);

  std::string executable_;
  std::vector<std::vector<std::string>> args_;
  std::vector<Child> children_;
  std::vector<std::unique_ptr<Capture>> captures_;
  std::vector<std::string> errors_;
};

}  // namespace regnet
