#pragma once
// Child processes of this program run together: the K workers of `train --jobs K`, and the
// child `train` runs of compare and audit (core/run/batch_training). Started together, each dying
// with this process (PR_SET_PDEATHSIG: a kill -9 of the parent
// stops them cleanly), watched until all have ended, a stop signal forwarded to them. Their
// stderr is collected, so that an error every worker meets (a full disk) is one line, not K.
#include <memory>
#include <string>
#include <vector>

#include "core/base/subprocess.hpp"

namespace regnet {

class ProcessSupervisor {
 public:
  // child_args[k]: the arguments of child k, after the program.
  ProcessSupervisor(std::string executable, std::vector<std::vector<std::string>> child_args);
  ~ProcessSupervisor();
  ProcessSupervisor(const ProcessSupervisor&) = delete;
  ProcessSupervisor& operator=(const ProcessSupervisor&) = delete;
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
