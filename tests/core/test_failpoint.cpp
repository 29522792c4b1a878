// Failpoints: the REGNET_FAILPOINT syntax, pausing, acting on the N-th time only, killing the
// process at the point, and announcing it to a driver's log.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>

#include "core/base/clock.hpp"
#include "core/base/error.hpp"
#include "core/base/failpoint.hpp"

using namespace regnet;

namespace {

double seconds_of(const char* name) {
  const double t0 = steady_seconds();
  failpoint(name);
  return steady_seconds() - t0;
}

// Turns failpoints off again when a test ends, whatever it configured.
struct FailpointsOff {
  ~FailpointsOff() { configure_failpoints(""); }
};

}  // namespace

TEST_CASE("failpoint: the REGNET_FAILPOINT syntax", "[failpoint]") {
  const auto p = parse_failpoints("result-write:pause=0.5,claim-release:kill,train-step:kill@12,takeover:pause=0@2");
  REQUIRE(p.size() == 4);
  CHECK(p.at("result-write").kind == FailpointAction::Kind::pause);
  CHECK(p.at("result-write").seconds == Approx(0.5));
  CHECK(p.at("result-write").nth == 0);
  CHECK(p.at("claim-release").kind == FailpointAction::Kind::kill);
  CHECK(p.at("train-step").nth == 12);
  CHECK(p.at("takeover").nth == 2);
  CHECK(parse_failpoints("").empty());
  CHECK(parse_failpoints("result-write:kill,").size() == 1);
  for (const auto& n : failpoint_names()) CHECK(parse_failpoints(n + ":kill").count(n) == 1);

  CHECK_THROWS_WITH(parse_failpoints("result-wrte:kill"),
                    "REGNET_FAILPOINT: 'result-wrte:kill': unknown failpoint 'result-wrte'");
  CHECK_THROWS_WITH(parse_failpoints("result-write"), Catch::Contains("expected NAME:ACTION"));
  CHECK_THROWS_WITH(parse_failpoints("result-write:stop"), Catch::Contains("pause=SECONDS or kill"));
  CHECK_THROWS_WITH(parse_failpoints("result-write:pause=x"), Catch::Contains("pause=x is not a number"));
  CHECK_THROWS_WITH(parse_failpoints("result-write:pause=nan"), Catch::Contains("is not a number"));
  CHECK_THROWS_WITH(parse_failpoints("result-write:pause=-1"), Catch::Contains("is not a number"));
  CHECK_THROWS_WITH(parse_failpoints("result-write:kill@0"), Catch::Contains("@0 is not a positive count"));
  CHECK_THROWS_WITH(parse_failpoints("result-write:kill@2x"), Catch::Contains("@2x is not a positive count"));
  CHECK_THROWS_AS(parse_failpoints("result-write:kill,bogus:kill"), UserError);
}

TEST_CASE("failpoint: off by default, pause where configured, on the N-th time if asked", "[failpoint]") {
  FailpointsOff off;
  configure_failpoints("");
  CHECK(seconds_of("result-write") < 0.05);

  configure_failpoints("result-write:pause=0.3,takeover:pause=0.3@2");
  CHECK(seconds_of("result-write") >= 0.29);
  CHECK(seconds_of("result-write") >= 0.29);  // every time
  CHECK(seconds_of("claim-release") < 0.05);  // not configured
  CHECK(seconds_of("takeover") < 0.05);       // the first time: not yet
  CHECK(seconds_of("takeover") >= 0.29);      // the second
  CHECK(seconds_of("takeover") < 0.05);       // and never again

  configure_failpoints("");
  CHECK(seconds_of("result-write") < 0.05);
}

TEST_CASE("failpoint: kill ends the process with SIGKILL at the point, and the log says where", "[failpoint]") {
  char tmpl[] = "/tmp/regnet-failpoint-XXXXXX";
  const std::string dir = ::mkdtemp(tmpl);
  const std::string log = dir + "/failpoints.log", steps = dir + "/steps";
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    configure_failpoints("claim-release:kill@3", log);
    for (int i = 1; i <= 5; ++i) {
      std::ofstream(steps, std::ios::app) << i << "\n";
      failpoint("claim-release");
    }
    ::_exit(0);  // not reached
  }
  int ws = 0;
  REQUIRE(::waitpid(pid, &ws, 0) == pid);
  CHECK(WIFSIGNALED(ws));
  CHECK(WTERMSIG(ws) == SIGKILL);
  std::ifstream in(steps);
  int last = 0;
  for (int i; in >> i;) last = i;
  CHECK(last == 3);  // died at the third time it reached the point
  std::ifstream l(log);
  std::string line;
  std::getline(l, line);
  CHECK(line == std::to_string(pid) + " claim-release");
  CHECK_FALSE(std::getline(l, line));  // announced only when it acted
  std::system(("rm -rf " + dir).c_str());
}
