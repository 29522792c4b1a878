// What dead workers leave behind, and what tidy_sweep removes: claims and claim leftovers of dead
// processes, checkpoints of done samples, temporary files of samples no live worker holds, status
// files of dead workers here; never anything of a live worker or a resumable checkpoint.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/base/json_io.hpp"
#include "core/sweep/claims.hpp"
#include "core/sweep/tidy.hpp"
#include "core/sweep/worker_status.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using regnet::testing::TempSweep;
namespace fs = std::filesystem;

namespace {

void touch(const fs::path& p) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << "x";
}

// What a worker killed mid-work leaves: a claim on `id`, a claim's private file, a status file
// and its temporary. Returns the dead process's pid.
int leave_dead_worker(const std::string& dir, int id) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const ClaimInfo me = make_claim_info(id, "doomed");
    const bool ok = try_claim(dir, me) == ClaimOutcome::claimed;
    touch(claim_path(dir, id) + ".new." + make_claim_info(id).token);
    WorkerStatus st;
    st.worker = this_process().host + "-" + std::to_string(::getpid());
    st.host = this_process().host;
    st.pid = ::getpid();
    fs::create_directories(fs::path(dir) / "status");
    write_json_atomic(status_path(dir, st.worker), to_json(st));
    touch(status_path(dir, st.worker) + ".tmp." + std::to_string(::getpid()));
    ::_exit(ok ? 0 : 1);
  }
  int ws = 0;
  ::waitpid(pid, &ws, 0);
  REQUIRE(WEXITSTATUS(ws) == 0);
  return pid;
}

bool exists(const std::string& p) { return fs::exists(p); }

}  // namespace

TEST_CASE("sweep tidy: removes what dead workers left and keeps live workers' files", "[sweep_tidy]") {
  TempSweep s(4);
  const std::string d = s.path;
  for (int id : {0, 3}) {
    TrainResult r;
    r.id = id;
    write_result(d, r);
  }
  // 0: done, its worker died after the result: claim, checkpoint, temporaries go.
  leave_dead_worker(d, 0);
  touch(checkpoint_path(d, 0));
  touch(result_path(d, 0) + ".tmp.99999999");
  // 1: held by a live worker (this process): its temporary stays.
  const ClaimInfo live = make_claim_info(1, "live");
  REQUIRE(try_claim(d, live) == ClaimOutcome::claimed);
  touch(checkpoint_path(d, 1) + ".tmp.1");
  // 2: pending, resumable checkpoint stays; a dead write's temporary goes.
  touch(checkpoint_path(d, 2));
  touch(weights_path(d, 2) + ".tmp.5");
  // 3: done, its live owner is about to remove the checkpoint itself.
  const ClaimInfo finishing = make_claim_info(3, "finishing");
  REQUIRE(try_claim(d, finishing) == ClaimOutcome::claimed);
  touch(checkpoint_path(d, 3));
  // A live claimant's private file, and one from another machine (young): both stay.
  touch(claim_path(d, 2) + ".new." + make_claim_info(2).token);
  touch(claim_path(d, 2) + ".stale.node9-0badf00d-123-0-abc");
  // A live worker's status file stays.
  WorkerStatus me;
  me.worker = "me";
  me.host = this_process().host;
  me.pid = ::getpid();
  write_json_atomic(status_path(d, "me"), to_json(me));

  const TidyCount n = tidy_sweep(d);
  CHECK(n.claims == 2);       // sample 0's claim and the dead claimant's private file
  CHECK(n.checkpoints == 1);  // sample 0's
  CHECK(n.temporaries == 2);  // results/000000.json.tmp.*, weights/000002.pt.tmp.*
  CHECK(n.statuses == 2);     // the dead worker's status file and its temporary
  CHECK_FALSE(exists(claim_path(d, 0)));
  CHECK_FALSE(exists(checkpoint_path(d, 0)));
  CHECK(exists(result_path(d, 0)));
  CHECK(owns_claim(d, live));
  CHECK(exists(checkpoint_path(d, 1) + ".tmp.1"));
  CHECK(exists(checkpoint_path(d, 2)));
  CHECK_FALSE(exists(weights_path(d, 2) + ".tmp.5"));
  CHECK(exists(checkpoint_path(d, 3)));
  CHECK(exists(claim_path(d, 2) + ".stale.node9-0badf00d-123-0-abc"));
  CHECK(exists(status_path(d, "me")));
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(fs::path(d) / "status")) left.push_back(e.path().filename().string());
  CHECK(left == std::vector<std::string>{"me.json"});

  CHECK(tidy_sweep(d).total() == 0);            // nothing more to do
  CHECK(remove_sample_temporaries(d, 1) == 1);  // a new owner of sample 1 clears it
}
