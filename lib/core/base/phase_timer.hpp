#pragma once
// Wall and CPU time of a command's consecutive phases (analyze: read, numbers, figures, page),
// the CPU time including the children waited for (gnuplot), for `-v` and the benchmarks.
#include <string>
#include <vector>

namespace regnet {

// User + system seconds of this process (all its threads) and of its children that were waited for.
double cpu_seconds();

class PhaseTimer {
 public:
  // Ends the running phase, if any, and starts `name`.
  void start(const std::string& name);
  // Ends the running phase.
  void stop();
  // "read 0.41 s (CPU 0.40 s), numbers 1.20 s (CPU 2.31 s), total 1.61 s (CPU 2.71 s)"
  std::string text() const;

 private:
  struct Phase {
    std::string name;
    double wall = 0, cpu = 0;
  };
  std::vector<Phase> phases_;
  bool running_ = false;
  double wall0_ = 0, cpu0_ = 0;
};

}  // namespace regnet
