#include "core/base/phase_timer.hpp"

#include <sys/resource.h>

#include "core/base/clock.hpp"
#include "core/base/text.hpp"

namespace regnet {

namespace {

double seconds_of(const rusage& u) {
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::string timing_text(const std::string& name, double wall, double cpu) {
  return name + " " + fixed(wall, 2) + " s (CPU " + fixed(cpu, 2) + " s)";
}

}  // namespace

double cpu_seconds() {
  rusage self{}, children{};
  ::getrusage(RUSAGE_SELF, &self);
  ::getrusage(RUSAGE_CHILDREN, &children);
  return seconds_of(self) + seconds_of(children);
}

void PhaseTimer::start(const std::string& name) {
  stop();
  phases_.push_back({name, 0, 0});
  running_ = true;
  wall0_ = steady_seconds();
  cpu0_ = cpu_seconds();
}

void PhaseTimer::stop() {
  if (!running_) return;
  phases_.back().wall = steady_seconds() - wall0_;
  phases_.back().cpu = cpu_seconds() - cpu0_;
  running_ = false;
}

std::string PhaseTimer::text() const {
  std::vector<std::string> parts;
  double wall = 0, cpu = 0;
  for (const auto& p : phases_) {
    parts.push_back(timing_text(p.name, p.wall, p.cpu));
    wall += p.wall;
    cpu += p.cpu;
  }
  parts.push_back(timing_text("total", wall, cpu));
  return join(parts, ", ");
}

}  // namespace regnet
