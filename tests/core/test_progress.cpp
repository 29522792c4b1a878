// Progress display: durations, bars, in-place redraw on a terminal, sparse plain lines in logs.
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <thread>

#include "core/base/progress.hpp"

using namespace regnet;

namespace {

std::string contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string s;
  char buf[512];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return s;
}

int count(const std::string& s, const std::string& what) {
  int n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
  return n;
}

}  // namespace

TEST_CASE("progress: durations read as a person would say them", "[progress]") {
  CHECK(format_duration(0) == "0s");
  CHECK(format_duration(44.6) == "45s");
  CHECK(format_duration(185) == "3m05s");
  CHECK(format_duration(3600 * 2 + 7 * 60 + 20) == "2h07m");
  CHECK(format_duration(86400 * 3 + 3600 * 4) == "3d04h");
  CHECK(format_duration(-1) == "--");
  CHECK(format_duration(1.0 / 0.0) == "--");
}

TEST_CASE("progress: bars fill in proportion and clamp", "[progress]") {
  CHECK(render_bar(0, 10) == "[..........]");
  CHECK(render_bar(0.5, 10) == "[#####.....]");
  CHECK(render_bar(0.999, 10) == "[#########.]");
  CHECK(render_bar(1, 10) == "[##########]");
  CHECK(render_bar(7, 4) == "[####]");
  CHECK(render_bar(-1, 4) == "[....]");
}

TEST_CASE("progress: the ETA is the work left at the rate so far", "[progress]") {
  CHECK(eta_at_rate(10, 30, 5) == Approx(15));   // 2 units a second
  CHECK(eta_at_rate(1, 3, 120) == Approx(360));  // whole epochs at the last one's time
  CHECK(eta_at_rate(4, 0, 9) == 0);              // nothing left
  CHECK(eta_at_rate(0, 0, 0) == 0);
  CHECK(eta_at_rate(3, 5, 0) == 0);    // instantaneous so far
  CHECK(eta_at_rate(0, 5, 9) == -1);   // nothing done yet: unknown
  CHECK(eta_at_rate(2, 5, -1) == -1);  // a clock gone backwards: unknown
  CHECK(eta_at_rate(2, 5, std::nan("")) == -1);
  CHECK(format_duration(eta_at_rate(0, 5, 9)) == "--");
}

TEST_CASE("progress: plain output prints the block sparingly and every message", "[progress]") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  {
    ProgressDisplay p(f, /*tty=*/false, /*plain_interval_seconds=*/0.5);
    p.update({"sweep 1/4"});  // within the first interval: a short run prints no block
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    p.update({"sweep 2/4"});  // a long run: printed
    p.update({"sweep 3/4"});  // within the interval: not printed now
    p.message("#000001 done");
    p.finish();  // the last state is printed once at the end
  }
  const std::string s = contents(f);
  std::fclose(f);
  CHECK(s == "sweep 2/4\n#000001 done\nsweep 3/4\n");
  CHECK(s.find('\033') == std::string::npos);  // no terminal escapes in logs
}

TEST_CASE("progress: a terminal block is redrawn in place", "[progress]") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  {
    ProgressDisplay p(f, /*tty=*/true);
    p.update({"line a", "line b"});
    p.update({"line c"});  // erases both lines of the previous block first
    p.message("kept");     // erases the block, prints, redraws it
    p.finish();
  }
  const std::string s = contents(f);
  std::fclose(f);
  CHECK(count(s, "\033[1A\033[2K") == 2 + 1 + 1);
  CHECK(count(s, "line c\n") == 2);
  CHECK(s.find("kept\n") != std::string::npos);
  CHECK(s.find("line c") < s.find("kept"));
}

TEST_CASE("progress: a short run prints no block to a log, finished or left by an error", "[progress]") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  {
    ProgressDisplay p(f, /*tty=*/false, /*plain_interval_seconds=*/3600);
    p.update({"sampling 1/4"});
    p.update({"sampling 2/4"});
    p.finish();
    p.message("done");  // messages are always printed
  }
  {
    ProgressDisplay p(f, /*tty=*/false, /*plain_interval_seconds=*/3600);
    p.update({"sampling 3/4"});
  }  // destroyed without finish(): an exception is on its way to its one error line
  {
    ProgressDisplay p(f, /*tty=*/false, /*plain_interval_seconds=*/0);
    p.update({"sampling 4/4"});  // a long run's block is printed ...
    p.update({"sampling 4/4"});
  }  // ... and nothing more when it is left by an error
  const std::string s = contents(f);
  std::fclose(f);
  CHECK(s == "done\nsampling 4/4\n");
}
