#pragma once
// Claims: how several worker processes, on one machine or many sharing a filesystem, train each
// sample of a sweep exactly once (docs/workers.md).
//
// A worker owns sample i while DIR/claims/NNNNNN.json exists and carries its token. The file is
// created atomically and complete (written to a private temporary, then hard-linked into place,
// which fails if the name exists; O_CREAT|O_EXCL where the filesystem has no hard links).
// While training, the owner touches the file's mtime every few seconds (the heartbeat).
//
// A claim is stale when its process is gone: on the same machine (same host, boot and pid
// namespace) when kill(pid, 0) fails or the pid now belongs to a younger process (start time
// from /proc); elsewhere when the heartbeat is older than the timeout. A stale claim is taken
// over by renaming it to a unique name (only one recoverer's rename succeeds), checking that
// the renamed file is the one judged stale, and claiming afresh with the same exclusive create.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace regnet {

// Who holds a claim.
struct ClaimInfo {
  int id = 0;        // the sample
  std::string host;  // gethostname()
  int pid = 0;
  long long pid_start = 0;    // the process's start time in clock ticks after boot (/proc/PID/stat)
  std::string boot_id;        // /proc/sys/kernel/random/boot_id: a pid from before a reboot is dead
  std::string pid_namespace;  // "pid:[4026531836]": containers sharing a hostname are other machines
  std::string worker;         // a readable worker name, e.g. "node7-12345" or "slurm-881_3"
  std::string token;          // unique per claim: tells an owner from a later claimant; names the
                              // process: HOST-MACHINE-PID-COUNTER-SALT (MACHINE: boot id + pid namespace)
  double started = 0;         // unix seconds
  double heartbeat = 0;       // unix seconds at creation; the live heartbeat is the file's mtime
};

struct ClaimPolicy {
  double heartbeat_seconds = 5;  // how often an owner touches its claim
  double timeout_seconds = 120;  // a claim from another machine with an older heartbeat is stale
};

// The calling process as a claimant of `id` (fresh token each call).
ClaimInfo make_claim_info(int id, const std::string& worker_name = "");

// This process's identity, read once.
struct ProcessIdentity {
  std::string host, boot_id, pid_namespace;
  int pid = 0;
  long long pid_start = 0;
};
const ProcessIdentity& this_process();
// Start time (clock ticks after boot) of a live local process; nullopt if it is gone or a zombie.
std::optional<long long> process_start_time(int pid);

// What a look at a claim file found.
struct ClaimObservation {
  enum class State { none, live, stale } state = State::none;
  std::optional<ClaimInfo> info;  // empty when the file could not be parsed (being written, or corrupt)
  unsigned long long inode = 0;   // identity of the file judged (with info->token)
  double heartbeat_age = 0;       // seconds since the mtime
  std::string reason;             // why stale: "process 123 on node7 is gone", "no heartbeat for 300 s"
};

ClaimObservation observe_claim(const std::string& sweep_dir, int id, const ClaimPolicy& policy = {});
// Judges a claim (pure apart from the local process table): exposed for tests.
ClaimObservation judge_claim(const ClaimInfo& info, double heartbeat_age, const ClaimPolicy& policy);

enum class ClaimOutcome { claimed, held_by_other };

// Creates DIR/claims/NNNNNN.json for `me` if no claim exists. Never blocks, never overwrites.
ClaimOutcome try_claim(const std::string& sweep_dir, const ClaimInfo& me);

// Takes over the claim `stale` (as returned by observe_claim) for `me`. Exactly one of several
// concurrent recoverers gets `claimed`; if the file changed since it was judged (released, or
// already taken over), nothing is disturbed and the result is held_by_other.
ClaimOutcome take_over_claim(const std::string& sweep_dir, const ClaimObservation& stale, const ClaimInfo& me);

// Claims `id` if it is free or stale; held_by_other otherwise.
ClaimOutcome acquire_claim(const std::string& sweep_dir, const ClaimInfo& me, const ClaimPolicy& policy = {});

// The owner's heartbeat: touches the claim's mtime and checks it still carries `me.token`.
// Returns false when the claim was lost (removed, or now someone else's).
bool refresh_claim(const std::string& sweep_dir, const ClaimInfo& me);
bool owns_claim(const std::string& sweep_dir, const ClaimInfo& me);

// Removes the claim if (and only if) it is still `me`'s.
void release_claim(const std::string& sweep_dir, const ClaimInfo& me);

// Removes the claim files of samples that are already done and whose owner is gone, and
// leftovers of interrupted claims, takeovers and releases (*.new.TOKEN, *.stale.TOKEN) whose
// process is gone (the token names it) or, from another machine, older than the timeout.
int tidy_claims(const std::string& sweep_dir, const ClaimPolicy& policy = {});

nlohmann::json to_json(const ClaimInfo& c);
ClaimInfo claim_info_from_json(const nlohmann::json& j, const std::string& where = "");

}  // namespace regnet
