#include "core/sweep/claims.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "core/base/clock.hpp"
#include "core/base/error.hpp"
#include "core/base/failpoint.hpp"
#include "core/base/json_io.hpp"
#include "core/sweep/directory.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

std::string read_small_file(const std::string& path) {
  std::ifstream in(path);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Fields of /proc/PID/stat after the command name (which may contain spaces and parentheses).
std::vector<std::string> proc_stat_fields(int pid) {
  const std::string text = read_small_file("/proc/" + std::to_string(pid) + "/stat");
  const auto close = text.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream in(text.substr(close + 1));
  std::vector<std::string> fields;
  for (std::string f; in >> f;) fields.push_back(f);
  return fields;  // fields[0] is field 3 (state), fields[19] is field 22 (starttime)
}

std::string sanitized_host(const std::string& host) {
  std::string h = host;
  for (char& c : h)
    if (c == '/' || c == ' ') c = '_';
  return h;
}

// 8 hex digits naming the machine and pid namespace (FNV-1a: the same in every build), so a
// token tells whether its process is one this process can see.
std::string machine_tag(const ProcessIdentity& me) {
  std::uint32_t h = 2166136261u;
  for (char c : me.boot_id + "|" + me.pid_namespace) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return fmt::format("{:08x}", h);
}

// HOST-MACHINE-PID-COUNTER-SALT: unique per claim, and names the process that made it.
std::string make_token(const ProcessIdentity& me) {
  static std::atomic<unsigned> counter{0};
  static const unsigned long long salt = [] {
    std::random_device rd;
    return (static_cast<unsigned long long>(rd()) << 32) ^ rd() ^
           static_cast<unsigned long long>(std::chrono::steady_clock::now().time_since_epoch().count());
  }();
  return fmt::format("{}-{}-{}-{}-{:x}", sanitized_host(me.host), machine_tag(me), me.pid, counter.fetch_add(1),
                     salt & 0xffffffffffULL);
}

// The pid of the process that made `token`, if it ran on this machine (else nullopt).
std::optional<int> local_pid_of_token(const std::string& token) {
  std::vector<std::string> parts;
  size_t end = token.size();
  for (int k = 0; k < 4; ++k) {
    if (end == 0) return std::nullopt;
    const size_t dash = token.rfind('-', end - 1);
    if (dash == std::string::npos) return std::nullopt;
    parts.push_back(token.substr(dash + 1, end - dash - 1));
    end = dash;
  }
  const auto& me = this_process();
  if (token.substr(0, end) != sanitized_host(me.host) || parts[3] != machine_tag(me)) return std::nullopt;
  const std::string& pid = parts[2];
  if (pid.empty() || pid.size() > 9 || pid.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoi(pid);
}

[[noreturn]] void fail_errno(const std::string& path, const std::string& what) {
  fail(path, "", what + ": " + std::strerror(errno));
}

void write_all(int fd, const std::string& content, const std::string& path) {
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_errno(path, "cannot write claim");
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

struct ClaimFile {
  bool exists = false;
  unsigned long long inode = 0;
  double mtime = 0;
  std::optional<ClaimInfo> info;
};

ClaimFile read_claim_file(const std::string& path) {
  ClaimFile f;
  // open() revalidates attributes on NFS (close-to-open), so the mtime we fstat is current.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return f;
  f.exists = true;
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    f.inode = st.st_ino;
    f.mtime = st.st_mtim.tv_sec + st.st_mtim.tv_nsec * 1e-9;
  }
  std::string text;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  try {
    f.info = claim_info_from_json(parse_json_text(text, path), path);
  } catch (const std::exception&) {
    // Half-written (O_EXCL fallback) or corrupt: judged by its mtime alone.
  }
  return f;
}

std::string grave_path(const std::string& path, const ClaimInfo& me) { return path + ".stale." + me.token; }

// `grave` holds a claim we moved aside; if it is not the one we meant (`keep` says so), put it
// back where it was, unless someone has claimed the slot since.
void restore_claim(const std::string& grave, const std::string& path) {
  if (::link(grave.c_str(), path.c_str()) != 0 && errno != EEXIST) {
    // No hard links here: rename back unless the slot was refilled.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) ::rename(grave.c_str(), path.c_str());
  }
  ::unlink(grave.c_str());
}

}  // namespace

nlohmann::json to_json(const ClaimInfo& c) {
  return nlohmann::json{{"id", c.id},           {"host", c.host},
                        {"pid", c.pid},         {"pid_start", c.pid_start},
                        {"boot_id", c.boot_id}, {"pid_namespace", c.pid_namespace},
                        {"worker", c.worker},   {"token", c.token},
                        {"started", c.started}, {"heartbeat", c.heartbeat}};
}

ClaimInfo claim_info_from_json(const nlohmann::json& j, const std::string& where) {
  ClaimInfo c;
  c.id = get_int(j, "id", where);
  c.host = get_string(j, "host", where);
  c.pid = get_int(j, "pid", where);
  const auto& ps = require(j, "pid_start", where);
  if (!ps.is_number_integer()) fail(where, "pid_start", excerpt(ps) + " is not an integer");
  c.pid_start = ps.get<long long>();
  c.boot_id = get_string(j, "boot_id", where, "");
  c.pid_namespace = get_string(j, "pid_namespace", where, "");
  c.worker = get_string(j, "worker", where, "");
  c.token = get_string(j, "token", where);
  c.started = get_double(j, "started", where, 0.0);
  c.heartbeat = get_double(j, "heartbeat", where, 0.0);
  return c;
}

std::optional<long long> process_start_time(int pid) {
  if (pid <= 0) return std::nullopt;
  if (::kill(pid, 0) != 0 && errno == ESRCH) return std::nullopt;
  const auto f = proc_stat_fields(pid);
  if (f.size() < 20) return std::nullopt;
  if (f[0] == "Z" || f[0] == "X" || f[0] == "x") return std::nullopt;  // dead, not yet reaped
  try {
    return std::stoll(f[19]);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

const ProcessIdentity& this_process() {
  // Recomputed after fork(): a child has a new pid and start time.
  static thread_local ProcessIdentity cached;
  const int pid = static_cast<int>(::getpid());
  if (cached.pid != pid) {
    ProcessIdentity p;
    char host[256] = {0};
    ::gethostname(host, sizeof host - 1);
    p.host = host;
    p.boot_id = read_small_file("/proc/sys/kernel/random/boot_id");
    char ns[128] = {0};
    ssize_t n = ::readlink("/proc/self/ns/pid", ns, sizeof ns - 1);
    if (n > 0) p.pid_namespace.assign(ns, static_cast<size_t>(n));
    p.pid = pid;
    p.pid_start = process_start_time(pid).value_or(0);
    cached = p;
  }
  return cached;
}

ClaimInfo make_claim_info(int id, const std::string& worker_name) {
  const auto& me = this_process();
  ClaimInfo c;
  c.id = id;
  c.host = me.host;
  c.pid = me.pid;
  c.pid_start = me.pid_start;
  c.boot_id = me.boot_id;
  c.pid_namespace = me.pid_namespace;
  c.worker = worker_name.empty() ? me.host + "-" + std::to_string(me.pid) : worker_name;
  c.token = make_token(me);
  c.started = c.heartbeat = unix_seconds();
  return c;
}

ClaimObservation judge_claim(const ClaimInfo& info, double heartbeat_age, const ClaimPolicy& policy) {
  ClaimObservation o;
  o.info = info;
  o.heartbeat_age = heartbeat_age;
  o.state = ClaimObservation::State::live;
  const auto& me = this_process();
  const bool same_machine = info.host == me.host && !info.boot_id.empty() && info.boot_id == me.boot_id &&
                            info.pid_namespace == me.pid_namespace;
  if (same_machine) {
    const auto start = process_start_time(info.pid);
    if (!start) {
      o.state = ClaimObservation::State::stale;
      o.reason = "process " + std::to_string(info.pid) + " on " + info.host + " is gone";
    } else if (*start != info.pid_start) {
      o.state = ClaimObservation::State::stale;
      o.reason = "process " + std::to_string(info.pid) + " on " + info.host + " is gone (pid reused)";
    }
    return o;
  }
  if (heartbeat_age > policy.timeout_seconds) {
    o.state = ClaimObservation::State::stale;
    o.reason = "no heartbeat from " + info.worker + " on " + info.host + " for " +
               std::to_string(static_cast<long long>(heartbeat_age)) + " s";
  }
  return o;
}

ClaimObservation observe_claim(const std::string& sweep_dir, int id, const ClaimPolicy& policy) {
  const ClaimFile f = read_claim_file(claim_path(sweep_dir, id));
  if (!f.exists) return {};
  const double age = std::max(0.0, unix_seconds() - f.mtime);
  ClaimObservation o;
  if (f.info) {
    o = judge_claim(*f.info, age, policy);
  } else {
    o.heartbeat_age = age;
    o.state = age > policy.timeout_seconds ? ClaimObservation::State::stale : ClaimObservation::State::live;
    if (o.state == ClaimObservation::State::stale)
      o.reason = "unreadable claim untouched for " + std::to_string(static_cast<long long>(age)) + " s";
  }
  o.inode = f.inode;
  return o;
}

ClaimOutcome try_claim(const std::string& sweep_dir, const ClaimInfo& me) {
  const std::string path = claim_path(sweep_dir, me.id);
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  const std::string content = json_text(to_json(me)) + "\n";

  // Write a private complete file, then link it into place: link() fails with EEXIST if a
  // claim exists, so the claim appears atomically and is never seen half-written.
  const std::string tmp = path + ".new." + me.token;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail_errno(path, "cannot create claim");
  try {
    write_all(fd, content, path);
    if (::fsync(fd) != 0) fail_errno(path, "cannot write claim");
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  ::close(fd);
  failpoint("claim-create");
  if (::link(tmp.c_str(), path.c_str()) == 0) {
    ::unlink(tmp.c_str());
    return ClaimOutcome::claimed;
  }
  const int err = errno;
  if (err == EEXIST) {
    ::unlink(tmp.c_str());
    return ClaimOutcome::held_by_other;
  }
  // NFS may report failure for a link that a retransmitted request made: trust the link count.
  struct stat st {};
  if (::stat(tmp.c_str(), &st) == 0 && st.st_nlink == 2) {
    ::unlink(tmp.c_str());
    return ClaimOutcome::claimed;
  }
  ::unlink(tmp.c_str());
  if (err != EPERM && err != ENOTSUP && err != EOPNOTSUPP && err != EMLINK && err != ENOSYS) {
    errno = err;
    fail_errno(path, "cannot create claim");
  }
  // A filesystem without hard links: exclusive create (a reader may briefly see it empty,
  // which observe_claim treats as live until the timeout).
  fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return ClaimOutcome::held_by_other;
    fail_errno(path, "cannot create claim");
  }
  write_all(fd, content, path);
  ::fsync(fd);
  ::close(fd);
  return ClaimOutcome::claimed;
}

ClaimOutcome take_over_claim(const std::string& sweep_dir, const ClaimObservation& stale, const ClaimInfo& me) {
  if (stale.state != ClaimObservation::State::stale) return ClaimOutcome::held_by_other;
  const std::string path = claim_path(sweep_dir, me.id);
  const std::string grave = grave_path(path, me);
  // Of several recoverers, only one rename finds the file; the others get ENOENT.
  if (::rename(path.c_str(), grave.c_str()) != 0) {
    if (errno == ENOENT) return ClaimOutcome::held_by_other;
    fail_errno(path, "cannot take over stale claim");
  }
  failpoint("takeover");
  // We may have moved a newer claim made after our look (another recoverer was faster):
  // then put it back untouched.
  const ClaimFile moved = read_claim_file(grave);
  const bool same_file =
      moved.inode == stale.inode && (!stale.info || (moved.info && moved.info->token == stale.info->token));
  if (!same_file) {
    restore_claim(grave, path);
    return ClaimOutcome::held_by_other;
  }
  ::unlink(grave.c_str());
  return try_claim(sweep_dir, me);
}

ClaimOutcome acquire_claim(const std::string& sweep_dir, const ClaimInfo& me, const ClaimPolicy& policy) {
  if (try_claim(sweep_dir, me) == ClaimOutcome::claimed) return ClaimOutcome::claimed;
  const ClaimObservation o = observe_claim(sweep_dir, me.id, policy);
  if (o.state == ClaimObservation::State::none) return try_claim(sweep_dir, me);  // released meanwhile
  if (o.state == ClaimObservation::State::stale) return take_over_claim(sweep_dir, o, me);
  return ClaimOutcome::held_by_other;
}

bool owns_claim(const std::string& sweep_dir, const ClaimInfo& me) {
  const std::string path = claim_path(sweep_dir, me.id);
  // A racing recoverer may have moved our claim aside for a moment before putting it back.
  for (int attempt = 0; attempt < 5; ++attempt) {
    const ClaimFile f = read_claim_file(path);
    if (f.exists) return f.info && f.info->token == me.token;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

bool refresh_claim(const std::string& sweep_dir, const ClaimInfo& me) {
  if (!owns_claim(sweep_dir, me)) return false;
  ::utimensat(AT_FDCWD, claim_path(sweep_dir, me.id).c_str(), nullptr, 0);
  return true;
}

void release_claim(const std::string& sweep_dir, const ClaimInfo& me) {
  const std::string path = claim_path(sweep_dir, me.id);
  const std::string grave = grave_path(path, me);
  if (::rename(path.c_str(), grave.c_str()) != 0) return;  // already gone
  failpoint("claim-release");
  const ClaimFile moved = read_claim_file(grave);
  if (moved.info && moved.info->token == me.token)
    ::unlink(grave.c_str());
  else
    restore_claim(grave, path);  // someone else's: leave it as it was
}

namespace {

// A claim's private file (NNNNNN.json.new.TOKEN) or one moved aside (NNNNNN.json.stale.TOKEN) is
// a leftover once the process named by its token is gone, or, from another machine, once it is
// older than the timeout (such files live for milliseconds).
bool is_leftover(const fs::path& p, double now, const ClaimPolicy& policy) {
  const std::string name = p.filename().string();
  size_t at = name.find(".new.");
  const size_t skip = at != std::string::npos ? 5 : 7;
  if (at == std::string::npos) at = name.find(".stale.");
  if (at == std::string::npos) return false;
  if (const auto pid = local_pid_of_token(name.substr(at + skip)))
    if (!process_start_time(*pid)) return true;
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && now - st.st_mtim.tv_sec > policy.timeout_seconds;
}

}  // namespace

int tidy_claims(const std::string& sweep_dir, const ClaimPolicy& policy) {
  const fs::path dir = fs::path(sweep_dir) / "claims";
  std::error_code ec;
  int removed = 0;
  const double now = unix_seconds();
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(dir, ec)) entries.push_back(e.path());
  for (const auto& p : entries) {
    const std::string name = p.filename().string();
    if (name.find(".new.") != std::string::npos || name.find(".stale.") != std::string::npos) {
      if (is_leftover(p, now, policy) && ::unlink(p.c_str()) == 0) ++removed;
      continue;
    }
    if (name.size() != 11 || name.substr(6) != ".json") continue;
    int id = 0;
    try {
      id = std::stoi(name.substr(0, 6));
    } catch (const std::exception&) {
      continue;
    }
    if (!fs::exists(result_path(sweep_dir, id), ec)) continue;
    const ClaimObservation o = observe_claim(sweep_dir, id, policy);
    if (o.state != ClaimObservation::State::stale) continue;
    ClaimInfo me = make_claim_info(id, "tidy");
    if (take_over_claim(sweep_dir, o, me) == ClaimOutcome::claimed) {
      release_claim(sweep_dir, me);
      ++removed;
    }
  }
  return removed;
}

}  // namespace regnet
