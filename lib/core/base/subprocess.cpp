#include "core/base/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <sstream>
#include <thread>
#include <utility>

#include "core/base/clock.hpp"
#include "core/base/error.hpp"
#include "core/base/text.hpp"

namespace regnet {

std::string shell_quote(const std::string& w) {
  const bool plain = !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("@%_+=:,./-", c) != nullptr;
  });
  if (plain) return w;
  std::string out = "'";
  for (char c : w) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

namespace {

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      close();
      fd_ = o.release();
    }
    return *this;
  }
  ~Fd() { close(); }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void close() {
    if (fd_ >= 0) ::close(fd_);  // never retried: Linux frees the descriptor even on EINTR
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

[[noreturn]] void throw_errno(const std::string& what, int error) {
  throw SpawnError(fmt::format("{}: {}", what, std::strerror(error)), error);
}

// Descriptors 0-2 are the child's to fill: keep ours above them (O_CLOEXEC kept).
int above_stdio(int fd) {
  if (fd < 0 || fd > 2) return fd;
  const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  const int error = errno;
  ::close(fd);
  errno = error;
  return moved;
}

Fd open_file(const std::string& path, int flags) {
  int fd;
  do fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  while (fd < 0 && errno == EINTR);
  fd = above_stdio(fd);
  if (fd < 0) throw_errno(path, errno);
  return Fd(fd);
}

struct Pipe {
  Fd read, write;
};

Pipe make_pipe() {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) throw_errno("pipe", errno);
  Pipe out{Fd(above_stdio(p[0])), Fd(above_stdio(p[1]))};
  if (out.read.get() < 0 || out.write.get() < 0) throw_errno("pipe", errno);
  return out;
}

// One standard stream of the child: the descriptor to put there (-1: leave it as inherited).
struct Stream {
  Fd source;
  bool to_stdout = false;
};

Stream open_stream(const Redirect& r, bool input, Fd* capture_read) {
  using K = Redirect::Kind;
  Stream s;
  switch (r.kind) {
    case K::inherit: break;
    case K::null: s.source = open_file("/dev/null", input ? O_RDONLY : O_WRONLY); break;
    case K::file: s.source = open_file(r.path, input ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC); break;
    case K::append:
      if (input) throw std::invalid_argument("subprocess: stdin cannot be appended to");
      s.source = open_file(r.path, O_WRONLY | O_CREAT | O_APPEND);
      break;
    case K::capture: {
      if (input || !capture_read)
        throw std::invalid_argument("subprocess: capture is for stdout/stderr of run_process");
      Pipe p = make_pipe();
      *capture_read = std::move(p.read);
      s.source = std::move(p.write);
      break;
    }
    case K::to_stdout:
      if (input) throw std::invalid_argument("subprocess: stdin cannot go to stdout");
      s.to_stdout = true;
      break;
  }
  return s;
}

// What the child reports through its error pipe when it cannot exec.
struct ChildFailure {
  int stage = 0;  // 1: redirect, 2: working directory, 3: exec
  int error = 0;
};

// Everything the child needs, prepared before fork(): after it, only async-signal-safe calls.
struct ChildSetup {
  std::string program;
  std::vector<char*> argv;
  const char* cwd = nullptr;
  int sources[3] = {-1, -1, -1};
  bool err_to_stdout = false;
  bool die_with_parent = false;
  pid_t parent = 0;
  int report_fd = -1;
};

[[noreturn]] void child_fail(int report_fd, int stage) {
  const ChildFailure f{stage, errno};
  ssize_t n;
  do n = ::write(report_fd, &f, sizeof f);
  while (n < 0 && errno == EINTR);
  ::_exit(127);
}

bool move_fd(int from, int to) {
  int r;
  do r = ::dup2(from, to);  // the copy has no O_CLOEXEC
  while (r < 0 && errno == EINTR);
  return r >= 0;
}

[[noreturn]] void exec_child(const ChildSetup& c) {
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);  // a blocked signal must not stay blocked in the program
  if (c.die_with_parent) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != c.parent) ::_exit(128 + SIGTERM);  // the parent died before prctl took effect
  }
  for (int k = 0; k < 3; ++k)
    if (c.sources[k] >= 0 && !move_fd(c.sources[k], k)) child_fail(c.report_fd, 1);
  if (c.err_to_stdout && !move_fd(1, 2)) child_fail(c.report_fd, 1);
  if (c.cwd && ::chdir(c.cwd) != 0) child_fail(c.report_fd, 2);
  ::execv(c.program.c_str(), c.argv.data());
  child_fail(c.report_fd, 3);
}

ExitStatus decode(int ws) {
  ExitStatus s;
  if (WIFEXITED(ws)) s.code = WEXITSTATUS(ws);
  if (WIFSIGNALED(ws)) s.signal = WTERMSIG(ws);
  return s;
}

// Reads the child's failure report; an empty read means exec succeeded (the pipe closed on exec).
std::optional<ChildFailure> read_failure(int fd) {
  ChildFailure f;
  ssize_t n;
  do n = ::read(fd, &f, sizeof f);
  while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof f)) return f;
  return std::nullopt;
}

std::string failure_text(const ChildFailure& f, const SpawnOptions& o, const std::string& program) {
  if (f.stage == 2) return fmt::format("cannot run {} in {}: {}", program, o.cwd, std::strerror(f.error));
  if (f.stage == 1) return fmt::format("cannot redirect the streams of {}: {}", program, std::strerror(f.error));
  return fmt::format("cannot run {}: {}", program, std::strerror(f.error));
}

Child spawn_impl(const SpawnOptions& o, Fd* out_read, Fd* err_read) {
  if (o.argv.empty()) throw std::invalid_argument("subprocess: empty argv");
  const auto program = find_program(o.argv.front());
  if (!program) throw SpawnError(fmt::format("cannot run {}: not found on PATH", o.argv.front()), ENOENT);
  Stream streams[3] = {open_stream(o.in, true, nullptr), open_stream(o.out, false, out_read),
                       open_stream(o.err, false, err_read)};
  Pipe report = make_pipe();
  ChildSetup c;
  c.program = *program;
  for (const auto& a : o.argv) c.argv.push_back(const_cast<char*>(a.c_str()));
  c.argv.push_back(nullptr);
  c.cwd = o.cwd.empty() ? nullptr : o.cwd.c_str();
  for (int k = 0; k < 3; ++k) c.sources[k] = streams[k].source.get();
  c.err_to_stdout = streams[2].to_stdout;
  c.die_with_parent = o.die_with_parent;
  c.parent = ::getpid();
  c.report_fd = report.write.get();
  std::fflush(nullptr);  // buffered output must not be written twice
  const pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork", errno);
  if (pid == 0) exec_child(c);
  report.write.close();
  Child child(pid);
  if (const auto f = read_failure(report.read.get())) {
    child.wait();
    throw SpawnError(failure_text(*f, o, o.argv.front()), f->error);
  }
  return child;
}

// Reads both captured streams until they close; false if the deadline came first.
bool drain(Fd* fds, std::string* into[2], double deadline) {
  char buf[4096];
  for (;;) {
    struct pollfd p[2];
    nfds_t n = 0;
    int which[2];
    for (int i = 0; i < 2; ++i)
      if (fds[i].get() >= 0) {
        p[n] = {fds[i].get(), POLLIN, 0};
        which[n++] = i;
      }
    if (n == 0) return true;
    const double left = deadline - steady_seconds();
    if (left <= 0) return false;
    const int ms = left > 1e6 ? -1 : static_cast<int>(std::ceil(left * 1000));
    const int ready = ::poll(p, n, ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return true;
    for (nfds_t k = 0; k < n; ++k) {
      if (!(p[k].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))) continue;
      const ssize_t got = ::read(p[k].fd, buf, sizeof buf);
      if (got > 0)
        into[which[k]]->append(buf, static_cast<size_t>(got));
      else if (got == 0 || errno != EINTR)
        fds[which[k]].close();
    }
  }
}

}  // namespace

Child::Child(Child&& o) noexcept : pid_(std::exchange(o.pid_, -1)), status_(std::move(o.status_)) {}

Child& Child::operator=(Child&& o) noexcept {
  if (this != &o) {
    reap_or_kill();
    pid_ = std::exchange(o.pid_, -1);
    status_ = std::move(o.status_);
  }
  return *this;
}

Child::~Child() { reap_or_kill(); }

void Child::reap_or_kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  wait();
}

std::optional<ExitStatus> Child::poll() {
  if (!running()) return status_;
  int ws = 0;
  pid_t r;
  do r = ::waitpid(pid_, &ws, WNOHANG);
  while (r < 0 && errno == EINTR);
  if (r == pid_)
    status_ = decode(ws);
  else if (r < 0)
    status_ = ExitStatus{-1, 0};  // reaped elsewhere (SIGCHLD ignored): unknown
  return status_;
}

ExitStatus Child::wait() {
  if (!running()) return status_.value_or(ExitStatus{-1, 0});
  int ws = 0;
  pid_t r;
  do r = ::waitpid(pid_, &ws, 0);
  while (r < 0 && errno == EINTR);
  status_ = r == pid_ ? decode(ws) : ExitStatus{-1, 0};
  return *status_;
}

std::optional<ExitStatus> Child::wait_for(double seconds) {
  const double deadline = steady_seconds() + std::max(0.0, seconds);
  for (;;) {
    if (auto s = poll()) return s;
    const double left = deadline - steady_seconds();
    if (left <= 0) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::duration<double>(std::min(left, 0.01)));
  }
}

bool Child::send(int sig) { return running() && ::kill(pid_, sig) == 0; }

double timeout_from_env(const char* variable, double fallback_seconds) {
  const char* env = std::getenv(variable);
  if (!env) return fallback_seconds;
  char* end = nullptr;
  const double t = std::strtod(env, &end);
  if (end == env || *end != '\0' || !(t > 0) || !std::isfinite(t))
    fail(variable, "", "'" + printable(env) + "' is not a positive number of seconds");
  return t;
}

std::optional<std::string> find_program(const std::string& name) {
  auto executable = [](const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) return name;  // exec says why if it is not runnable
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string p = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (executable(p)) return p;
  }
  return std::nullopt;
}

Child spawn(const SpawnOptions& options) { return spawn_impl(options, nullptr, nullptr); }

ProcessResult run_process(const SpawnOptions& options, double timeout_seconds) {
  const double deadline =
      timeout_seconds > 0 ? steady_seconds() + timeout_seconds : std::numeric_limits<double>::infinity();
  Fd fds[2];
  Child child = spawn_impl(options, &fds[0], &fds[1]);
  ProcessResult r;
  std::string* into[2] = {&r.out, &r.err};
  bool ended = drain(fds, into, deadline);
  if (ended) {
    const auto s = timeout_seconds > 0 ? child.wait_for(deadline - steady_seconds()) : child.wait();
    ended = s.has_value();
  }
  if (!ended) {
    child.send(SIGKILL);
    r.timed_out = true;
  }
  r.status = child.wait();
  return r;
}

std::vector<ExitStatus> supervise(std::vector<Child>& children, const Supervision& s) {
  bool forwarded = false;
  auto pending = [&] { return !forwarded && s.stop_signal ? s.stop_signal() : 0; };
  auto any_running = [&] {
    bool any = false;
    for (auto& c : children) {
      c.poll();
      any = c.running() || any;
    }
    return any;
  };
  try {
    while (any_running()) {
      if (s.on_tick) s.on_tick();
      if (const int sig = pending()) {
        for (auto& c : children) c.send(sig);
        forwarded = true;
      }
      // Sleep one period in short steps: a new stop signal is forwarded at once.
      for (double t = 0; t < s.period_seconds; t += 0.05) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (pending() != 0 || !any_running()) break;
      }
    }
  } catch (...) {
    for (auto& c : children) c.send(SIGTERM);
    for (auto& c : children) c.wait();
    throw;
  }
  std::vector<ExitStatus> out;
  for (auto& c : children) out.push_back(c.wait());
  return out;
}

}  // namespace regnet
