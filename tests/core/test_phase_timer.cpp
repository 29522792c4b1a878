// Wall and CPU time per phase (core/phase_timer.hpp): a busy phase has CPU time, a sleeping one
// has wall time only, the total is their sum, and children that were waited for count.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <regex>
#include <string>
#include <thread>

#include "core/base/phase_timer.hpp"

using namespace regnet;

namespace {

struct Timing {
  double wall = -1, cpu = -1;
};

// The "NAME W s (CPU C s)" entry of PhaseTimer::text().
Timing timing_of(const std::string& text, const std::string& name) {
  std::smatch m;
  const std::regex re("(?:^|, )" + name + " ([0-9]+\\.[0-9]{2}) s \\(CPU ([0-9]+\\.[0-9]{2}) s\\)");
  if (!std::regex_search(text, m, re)) return {};
  return {std::stod(m[1]), std::stod(m[2])};
}

void burn_cpu(double seconds) {
  const double start = cpu_seconds();
  volatile double x = 0;
  while (cpu_seconds() - start < seconds)
    for (int i = 0; i < 10000; ++i) x = x + i * 1e-9;
}

}  // namespace

TEST_CASE("phase timer: a busy phase and a sleeping phase, in order, with their total", "[phase_timer]") {
  PhaseTimer t;
  t.start("read");
  burn_cpu(0.15);
  t.start("numbers");  // ends "read"
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  t.stop();
  t.stop();  // a second stop changes nothing
  const std::string text = t.text();
  INFO(text);
  CHECK(text.find("read ") == 0);
  CHECK(text.find("read ") < text.find(", numbers "));
  CHECK(text.find(", numbers ") < text.find(", total "));
  const Timing read = timing_of(text, "read"), numbers = timing_of(text, "numbers"), total = timing_of(text, "total");
  REQUIRE(read.wall >= 0);
  REQUIRE(numbers.wall >= 0);
  REQUIRE(total.wall >= 0);
  CHECK(read.cpu >= 0.14);              // it burned 0.15 s of CPU
  CHECK(read.wall >= read.cpu - 0.02);  // one thread: no more CPU than wall time
  CHECK(numbers.wall >= 0.19);          // it slept 0.2 s
  CHECK(numbers.cpu < 0.1);             // sleeping costs (almost) no CPU
  CHECK(total.wall == Approx(read.wall + numbers.wall).margin(0.011));
  CHECK(total.cpu == Approx(read.cpu + numbers.cpu).margin(0.011));
}

TEST_CASE("phase timer: no phase is a zero total; a running phase reads 0 until stopped", "[phase_timer]") {
  PhaseTimer t;
  CHECK(t.text() == "total 0.00 s (CPU 0.00 s)");
  t.start("figures");
  CHECK(t.text() == "figures 0.00 s (CPU 0.00 s), total 0.00 s (CPU 0.00 s)");
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  t.stop();
  CHECK(timing_of(t.text(), "figures").wall >= 0.02);
}

TEST_CASE("phase timer: CPU time includes children that were waited for", "[phase_timer]") {
  const double before = cpu_seconds();
  // A child that burns CPU in a shell loop (about 0.2 s or more), waited for by std::system.
  REQUIRE(std::system("i=0; while [ $i -lt 200000 ]; do i=$((i + 1)); done") == 0);
  const double after = cpu_seconds();
  CHECK(after - before >= 0.05);
  CHECK(cpu_seconds() >= after);  // never decreases
}
