// Claims: exclusive creation, staleness (dead process, reused pid, silent remote host,
// unreadable file), takeover by exactly one of several concurrent recoverers, tidying.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/sweep/claims.hpp"
#include "core/sweep/directory.hpp"

using namespace regnet;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/regnet-claims-XXXXXX";
    path = ::mkdtemp(tmpl);
    fs::create_directories(fs::path(path) / "claims");
    fs::create_directories(fs::path(path) / "results");
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// Children block on a pipe until the parent closes it, so they race as closely as possible.
struct StartGate {
  int fds[2];
  StartGate() { REQUIRE(::pipe(fds) == 0); }
  void wait_in_child() {
    ::close(fds[1]);
    char c;
    while (::read(fds[0], &c, 1) > 0) {
    }
  }
  void open_in_parent() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
};

// Leaves a claim on `id` by a process that then dies without releasing it (a kill -9).
void leave_dead_claim(const std::string& dir, int id) {
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int rc = try_claim(dir, make_claim_info(id, "doomed")) == ClaimOutcome::claimed ? 0 : 1;
    ::_exit(rc);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
}

void set_mtime_ago(const std::string& path, double seconds) {
  struct timespec ts[2];
  ::clock_gettime(CLOCK_REALTIME, &ts[0]);
  ts[0].tv_sec -= static_cast<time_t>(seconds);
  ts[1] = ts[0];
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), ts, 0) == 0);
}

}  // namespace

TEST_CASE("claims: the first claimant wins, later ones see it held", "[claims]") {
  TempDir d;
  const ClaimInfo a = make_claim_info(7, "a"), b = make_claim_info(7, "b");
  REQUIRE(a.token != b.token);
  CHECK(try_claim(d.path, a) == ClaimOutcome::claimed);
  CHECK(try_claim(d.path, b) == ClaimOutcome::held_by_other);
  CHECK(acquire_claim(d.path, b) == ClaimOutcome::held_by_other);  // live: our own process holds it
  CHECK(owns_claim(d.path, a));
  CHECK_FALSE(owns_claim(d.path, b));

  // The file is complete JSON naming its owner.
  const ClaimInfo read = claim_info_from_json(read_json_file(claim_path(d.path, 7)));
  CHECK(read.pid == ::getpid());
  CHECK(read.worker == "a");
  CHECK(read.token == a.token);
  CHECK(read.pid_start == this_process().pid_start);
  CHECK(read.pid_start > 0);

  const auto o = observe_claim(d.path, 7);
  CHECK(o.state == ClaimObservation::State::live);

  release_claim(d.path, b);  // not b's: untouched
  CHECK(owns_claim(d.path, a));
  release_claim(d.path, a);
  CHECK_FALSE(fs::exists(claim_path(d.path, 7)));
  CHECK(observe_claim(d.path, 7).state == ClaimObservation::State::none);
  // No temporaries left behind.
  CHECK(fs::is_empty(fs::path(d.path) / "claims"));
}

TEST_CASE("claims: of many processes claiming one sample at once exactly one wins", "[claims]") {
  TempDir d;
  for (int round = 0; round < 5; ++round) {
    StartGate gate;
    std::vector<pid_t> kids;
    for (int i = 0; i < 8; ++i) {
      pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        gate.wait_in_child();
        ::_exit(try_claim(d.path, make_claim_info(round)) == ClaimOutcome::claimed ? 0 : 1);
      }
      kids.push_back(pid);
    }
    gate.open_in_parent();
    int winners = 0;
    pid_t winner = 0;
    for (pid_t k : kids) {
      int status = 0;
      ::waitpid(k, &status, 0);
      REQUIRE(WIFEXITED(status));
      if (WEXITSTATUS(status) == 0) {
        ++winners;
        winner = k;
      }
    }
    CHECK(winners == 1);
    CHECK(claim_info_from_json(read_json_file(claim_path(d.path, round))).pid == winner);
  }
}

TEST_CASE("claims: a dead process's claim is stale and taken over", "[claims]") {
  TempDir d;
  leave_dead_claim(d.path, 3);
  const auto o = observe_claim(d.path, 3);
  REQUIRE(o.state == ClaimObservation::State::stale);
  CHECK(o.reason.find("is gone") != std::string::npos);
  REQUIRE(o.info);
  CHECK(o.info->worker == "doomed");

  const ClaimInfo me = make_claim_info(3, "rescuer");
  CHECK(acquire_claim(d.path, me) == ClaimOutcome::claimed);
  CHECK(owns_claim(d.path, me));
  CHECK(observe_claim(d.path, 3).state == ClaimObservation::State::live);
  // The stale claim went away completely (no *.stale.* left).
  int files = 0;
  for (const auto& e : fs::directory_iterator(fs::path(d.path) / "claims")) (void)e, ++files;
  CHECK(files == 1);
}

TEST_CASE("claims: a reused pid (other start time) or a silent remote host makes a claim stale", "[claims]") {
  ClaimPolicy policy;
  policy.timeout_seconds = 60;
  ClaimInfo c = make_claim_info(1);
  CHECK(judge_claim(c, 1000, policy).state == ClaimObservation::State::live);  // same machine: pid decides

  c.pid_start += 1;  // our pid, but a different process start: the claimant is gone
  auto o = judge_claim(c, 0, policy);
  CHECK(o.state == ClaimObservation::State::stale);
  CHECK(o.reason.find("pid reused") != std::string::npos);

  ClaimInfo remote = make_claim_info(1);
  remote.host = "some-other-node";
  CHECK(judge_claim(remote, 30, policy).state == ClaimObservation::State::live);
  o = judge_claim(remote, 61, policy);
  CHECK(o.state == ClaimObservation::State::stale);
  CHECK(o.reason.find("no heartbeat") != std::string::npos);

  // Same host name in another pid namespace (a container): only the heartbeat can tell.
  ClaimInfo container = make_claim_info(1);
  container.pid = 999999;
  container.pid_namespace = "pid:[1]";
  CHECK(judge_claim(container, 10, policy).state == ClaimObservation::State::live);
  CHECK(judge_claim(container, 100, policy).state == ClaimObservation::State::stale);
}

TEST_CASE("claims: the heartbeat is the file's mtime, refreshing keeps a remote-style claim live", "[claims]") {
  TempDir d;
  ClaimInfo remote = make_claim_info(5, "remote");
  remote.host = "some-other-node";
  REQUIRE(try_claim(d.path, remote) == ClaimOutcome::claimed);
  ClaimPolicy policy;
  policy.timeout_seconds = 60;
  set_mtime_ago(claim_path(d.path, 5), 300);
  auto o = observe_claim(d.path, 5, policy);
  CHECK(o.state == ClaimObservation::State::stale);
  CHECK(o.heartbeat_age > 299);
  CHECK(refresh_claim(d.path, remote));  // the owner is alive after all
  o = observe_claim(d.path, 5, policy);
  CHECK(o.state == ClaimObservation::State::live);
  CHECK(o.heartbeat_age < 5);
  // Someone else cannot refresh (and learns it does not own it).
  CHECK_FALSE(refresh_claim(d.path, make_claim_info(5)));
}

TEST_CASE("claims: of several concurrent recoverers of one stale claim exactly one wins", "[claims]") {
  TempDir d;
  for (int round = 0; round < 10; ++round) {
    leave_dead_claim(d.path, round);
    StartGate gate, release;
    int decided[2];
    REQUIRE(::pipe(decided) == 0);
    std::vector<pid_t> kids;
    for (int i = 0; i < 6; ++i) {
      pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        gate.wait_in_child();
        const ClaimInfo me = make_claim_info(round, "recoverer");
        const auto o = observe_claim(d.path, round);
        int rc = 1;
        if (o.state == ClaimObservation::State::stale && take_over_claim(d.path, o, me) == ClaimOutcome::claimed)
          rc = owns_claim(d.path, me) ? 0 : 2;
        // Stay alive until every recoverer has looked: a winner that exited early would leave a
        // stale claim that a slow loser rightly takes over (a flaky count under load, not a bug).
        (void)!::write(decided[1], "x", 1);
        release.wait_in_child();
        ::_exit(rc);
      }
      kids.push_back(pid);
    }
    ::close(decided[1]);
    gate.open_in_parent();
    for (int n = 0; n < 6;) {
      char c[6];
      const ssize_t got = ::read(decided[0], c, sizeof c);
      REQUIRE(got > 0);
      n += static_cast<int>(got);
    }
    ::close(decided[0]);
    release.open_in_parent();
    int winners = 0, confused = 0;
    pid_t winner = 0;
    for (pid_t k : kids) {
      int status = 0;
      ::waitpid(k, &status, 0);
      REQUIRE(WIFEXITED(status));
      if (WEXITSTATUS(status) == 0) ++winners, winner = k;
      if (WEXITSTATUS(status) == 2) ++confused;
    }
    CHECK(winners == 1);
    CHECK(confused == 0);
    CHECK(claim_info_from_json(read_json_file(claim_path(d.path, round))).pid == winner);
  }
  // Nothing but the 10 claim files remains.
  int files = 0;
  for (const auto& e : fs::directory_iterator(fs::path(d.path) / "claims")) (void)e, ++files;
  CHECK(files == 10);
}

TEST_CASE("claims: a takeover of a claim that changed since it was judged disturbs nothing", "[claims]") {
  TempDir d;
  leave_dead_claim(d.path, 2);
  const auto stale = observe_claim(d.path, 2);
  REQUIRE(stale.state == ClaimObservation::State::stale);
  // Someone faster recovers it first ...
  const ClaimInfo fast = make_claim_info(2, "fast");
  REQUIRE(take_over_claim(d.path, stale, fast) == ClaimOutcome::claimed);
  // ... so our takeover, based on the old look, must leave the new claim alone.
  const ClaimInfo slow = make_claim_info(2, "slow");
  CHECK(take_over_claim(d.path, stale, slow) == ClaimOutcome::held_by_other);
  CHECK(owns_claim(d.path, fast));
  CHECK_FALSE(owns_claim(d.path, slow));
}

TEST_CASE("claims: an unreadable claim is live while young and stale when old", "[claims]") {
  TempDir d;
  const std::string path = claim_path(d.path, 4);
  std::ofstream(path) << "{\"id\": 4, \"ho";  // cut short
  ClaimPolicy policy;
  policy.timeout_seconds = 60;
  CHECK(observe_claim(d.path, 4, policy).state == ClaimObservation::State::live);
  set_mtime_ago(path, 120);
  const auto o = observe_claim(d.path, 4, policy);
  CHECK(o.state == ClaimObservation::State::stale);
  CHECK_FALSE(o.info);
  const ClaimInfo me = make_claim_info(4);
  CHECK(acquire_claim(d.path, me, policy) == ClaimOutcome::claimed);
  CHECK(owns_claim(d.path, me));
}

TEST_CASE("claims: tidying removes stale claims of finished samples and keeps the rest", "[claims]") {
  TempDir d;
  leave_dead_claim(d.path, 0);  // finished, owner gone: removed
  leave_dead_claim(d.path, 1);  // not finished: kept for a worker to take over (and resume)
  const ClaimInfo live = make_claim_info(2);
  REQUIRE(try_claim(d.path, live) == ClaimOutcome::claimed);  // finished, owner alive: kept
  for (int id : {0, 2}) {
    TrainResult r;
    r.id = id;
    write_result(d.path, r);
  }
  CHECK(tidy_claims(d.path) == 1);
  CHECK_FALSE(fs::exists(claim_path(d.path, 0)));
  CHECK(fs::exists(claim_path(d.path, 1)));
  CHECK(owns_claim(d.path, live));
}

TEST_CASE("claims: a claim with a field of the wrong type is judged as an unreadable one", "[claims]") {
  // Never thrown out of observe_claim (a worker would stop), never taken while its mtime is young
  // (its owner may be training: no model twice), taken over once old (no sample lost).
  const ClaimInfo real = make_claim_info(6);
  for (const auto& [field, value] :
       std::vector<std::pair<std::string, nlohmann::json>>{{"id", "6"},
                                                           {"pid", nullptr},
                                                           {"pid", 1e300},
                                                           {"pid", 18446744073709551615ull},
                                                           {"pid_start", "123"},
                                                           {"pid_start", 1.5},
                                                           {"host", nlohmann::json::array({1})},
                                                           {"token", 7},
                                                           {"started", "now"},
                                                           {"heartbeat", nlohmann::json::object()}}) {
    INFO(field << " = " << value.dump());
    TempDir d;
    nlohmann::json j = to_json(real);
    j[field] = value;
    CHECK_THROWS_AS(claim_info_from_json(j, "c.json"), UserError);
    const std::string path = claim_path(d.path, 6);
    std::ofstream(path) << j.dump();
    ClaimPolicy policy;
    policy.timeout_seconds = 60;
    CHECK(observe_claim(d.path, 6, policy).state == ClaimObservation::State::live);
    set_mtime_ago(path, 120);
    CHECK(observe_claim(d.path, 6, policy).state == ClaimObservation::State::stale);
  }
}
