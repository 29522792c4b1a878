// Child processes: exit codes and signals, captured output, working directory, redirects,
// timeouts, supervision with signal forwarding, death with the parent, and waits that a
// signal handler interrupts (EINTR) many times a second.
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/base/clock.hpp"
#include "core/base/subprocess.hpp"
#include "core/run/process_supervisor.hpp"
#include "core/sweep/claims.hpp"

using namespace regnet;
namespace fs = std::filesystem;

namespace {

SpawnOptions command(std::vector<std::string> argv) {
  SpawnOptions o;
  o.argv = std::move(argv);
  o.out = Redirect::capture();
  o.err = Redirect::capture();
  return o;
}

SpawnOptions shell(const std::string& script) { return command({"sh", "-c", script}); }

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/regnet-subprocess-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Gone, not even a zombie (a zombie's pid still answers kill(pid, 0)).
bool gone_within(pid_t pid, double seconds) {
  const double until = steady_seconds() + seconds;
  while (steady_seconds() < until) {
    if (!process_start_time(pid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

extern "C" void on_alarm(int) {}

// SIGALRM every millisecond with a handler installed without SA_RESTART: every blocking call
// in this process returns EINTR again and again while it lives.
class AlarmStorm {
 public:
  AlarmStorm() {
    struct sigaction sa {};
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGALRM, &sa, &old_);
    itimerval t{{0, 1000}, {0, 1000}};
    setitimer(ITIMER_REAL, &t, nullptr);
  }
  ~AlarmStorm() {
    itimerval off{};
    setitimer(ITIMER_REAL, &off, nullptr);
    sigaction(SIGALRM, &old_, nullptr);
  }

 private:
  struct sigaction old_ {};
};

}  // namespace

TEST_CASE("subprocess: exit codes, and a child killed by a signal", "[subprocess]") {
  const ProcessResult ok = run_process(shell("exit 0"));
  CHECK(ok.status.success());
  const ProcessResult seven = run_process(shell("exit 7"));
  CHECK(seven.status.code == 7);
  CHECK(seven.status.signal == 0);
  CHECK_FALSE(seven.status.success());
  CHECK(seven.status.shell_code() == 7);
  const ProcessResult killed = run_process(shell("kill -KILL $$"));
  CHECK(killed.status.signal == SIGKILL);
  CHECK(killed.status.shell_code() == 128 + SIGKILL);
  CHECK_FALSE(killed.status.success());
  CHECK_FALSE(killed.timed_out);
}

TEST_CASE("subprocess: output is captured, stdout and stderr apart, arguments never parsed", "[subprocess]") {
  const ProcessResult r = run_process(shell("printf 'out\\n'; printf 'err\\n' >&2; exit 3"));
  CHECK(r.out == "out\n");
  CHECK(r.err == "err\n");
  CHECK(r.status.code == 3);
  // An argument with quotes, spaces and $ reaches the program as it is: no shell in between.
  const std::string tricky = "a 'b' \"c\" $HOME; rm -rf x";
  CHECK(run_process(command({"printf", "%s", tricky})).out == tricky);
  // More output than a pipe holds, on both streams at once, without a deadlock.
  const ProcessResult big = run_process(shell("head -c 300000 /dev/zero; head -c 200000 /dev/zero >&2"));
  CHECK(big.out.size() == 300000);
  CHECK(big.err.size() == 200000);
}

TEST_CASE("subprocess: the working directory and file redirects", "[subprocess]") {
  TempDir d;
  SpawnOptions pwd = command({"pwd", "-P"});
  pwd.cwd = d.path.string();
  CHECK(run_process(pwd).out == fs::canonical(d.path).string() + "\n");

  std::ofstream(d.path / "in.txt") << "line one\nline two\n";
  SpawnOptions cat{{"cat"}};
  cat.in = Redirect::file((d.path / "in.txt").string());
  cat.out = Redirect::file((d.path / "out.txt").string());
  CHECK(run_process(cat).status.success());
  CHECK(read_file(d.path / "out.txt") == "line one\nline two\n");

  SpawnOptions twice = shell("echo to-out; echo to-err >&2");
  twice.out = Redirect::append((d.path / "log.txt").string());
  twice.err = Redirect::to_stdout();
  run_process(twice);
  run_process(twice);
  CHECK(read_file(d.path / "log.txt") == "to-out\nto-err\nto-out\nto-err\n");

  // stdin is /dev/null by default: a reader sees its end at once.
  const ProcessResult empty = run_process(command({"cat"}));
  CHECK(empty.status.success());
  CHECK(empty.out.empty());
  SpawnOptions quiet = shell("echo x; echo y >&2");
  quiet.out = Redirect::null();
  quiet.err = Redirect::null();
  CHECK(run_process(quiet).status.success());
}

TEST_CASE("subprocess: a program that cannot start is a SpawnError, not a child", "[subprocess]") {
  CHECK_THROWS_AS(spawn(SpawnOptions{{"regnet-no-such-program"}}), SpawnError);
  CHECK_THROWS_WITH(run_process(command({"/nonexistent/bin/prog"})), Catch::Contains("/nonexistent/bin/prog"));
  SpawnOptions nowhere = command({"true"});
  nowhere.cwd = "/nonexistent-dir";
  CHECK_THROWS_WITH(run_process(nowhere), Catch::Contains("/nonexistent-dir"));
  SpawnOptions bad_in = command({"cat"});
  bad_in.in = Redirect::file("/nonexistent-dir/in.txt");
  CHECK_THROWS_AS(run_process(bad_in), SpawnError);
  CHECK(find_program("sh"));
  CHECK_FALSE(find_program("regnet-no-such-program"));
}

TEST_CASE("subprocess: a timeout kills the child", "[subprocess]") {
  const double t0 = steady_seconds();
  const ProcessResult r = run_process(command({"sleep", "20"}), 0.3);
  CHECK(r.timed_out);
  CHECK(r.status.signal == SIGKILL);
  CHECK(steady_seconds() - t0 < 5);
  const ProcessResult fast = run_process(shell("echo quick"), 10);
  CHECK_FALSE(fast.timed_out);
  CHECK(fast.out == "quick\n");

  Child c = spawn(SpawnOptions{{"sleep", "20"}});
  CHECK_FALSE(c.wait_for(0.1));
  CHECK(c.running());
  CHECK(c.send(SIGTERM));
  const auto s = c.wait_for(5);
  REQUIRE(s);
  CHECK(s->signal == SIGTERM);
  CHECK_FALSE(c.send(SIGTERM));  // reaped: its pid may belong to someone else now
}

TEST_CASE("subprocess: a Child that goes out of scope takes its process with it", "[subprocess]") {
  pid_t pid = 0;
  {
    Child c = spawn(SpawnOptions{{"sleep", "20"}});
    pid = c.pid();
    CHECK(process_start_time(pid));
  }
  CHECK(gone_within(pid, 2));
}

TEST_CASE("subprocess: waits and reads survive a storm of EINTR", "[subprocess]") {
  AlarmStorm storm;
  const ProcessResult r = run_process(shell("sleep 0.2; echo done; echo also >&2"));
  CHECK(r.status.success());
  CHECK(r.out == "done\n");
  CHECK(r.err == "also\n");
  Child c = spawn(SpawnOptions{{"sh", "-c", "sleep 0.2; exit 4"}});
  CHECK(c.wait().code == 4);
  const ProcessResult t = run_process(command({"sleep", "20"}), 0.2);
  CHECK(t.timed_out);
}

TEST_CASE("subprocess: supervise forwards the stop signal once to the children still running", "[subprocess]") {
  std::vector<Child> kids;
  kids.push_back(spawn(SpawnOptions{{"sh", "-c", "exit 0"}}));
  kids.push_back(spawn(SpawnOptions{{"sleep", "20"}}));
  kids.push_back(spawn(SpawnOptions{{"sleep", "20"}}));
  int ticks = 0;
  Supervision s;
  s.period_seconds = 0.05;
  s.on_tick = [&] { ++ticks; };
  s.stop_signal = [&] { return ticks >= 3 ? SIGTERM : 0; };
  const double t0 = steady_seconds();
  const std::vector<ExitStatus> ends = supervise(kids, s);
  REQUIRE(ends.size() == 3);
  CHECK(ends[0].success());
  CHECK(ends[1].signal == SIGTERM);
  CHECK(ends[2].signal == SIGTERM);
  CHECK(ticks >= 3);
  CHECK(steady_seconds() - t0 < 10);
}

TEST_CASE("subprocess: if watching fails, the children are stopped before the error goes on", "[subprocess]") {
  std::vector<Child> kids;
  kids.push_back(spawn(SpawnOptions{{"sleep", "20"}}));
  Supervision s;
  s.period_seconds = 0.05;
  s.on_tick = [] { throw std::runtime_error("display broke"); };
  CHECK_THROWS_WITH(supervise(kids, s), "display broke");
  CHECK_FALSE(kids[0].running());
  REQUIRE(kids[0].status());
  CHECK(kids[0].status()->signal == SIGTERM);
}

TEST_CASE("subprocess: a child spawned with die_with_parent ends when its parent is killed", "[subprocess]") {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  const pid_t parent = ::fork();
  REQUIRE(parent >= 0);
  if (parent == 0) {  // the parent-to-be-killed: spawns, reports the pid, waits to be killed
    ::close(p[0]);
    SpawnOptions o{{"sleep", "30"}};
    o.die_with_parent = true;
    Child c = spawn(o);
    const pid_t pid = c.pid();
    [[maybe_unused]] auto n = ::write(p[1], &pid, sizeof pid);
    ::pause();
    ::_exit(0);
  }
  ::close(p[1]);
  pid_t grandchild = 0;
  REQUIRE(::read(p[0], &grandchild, sizeof grandchild) == static_cast<ssize_t>(sizeof grandchild));
  ::close(p[0]);
  CHECK(process_start_time(grandchild));
  ::kill(parent, SIGKILL);  // no destructor runs: only PR_SET_PDEATHSIG can stop the sleeper
  int ws = 0;
  ::waitpid(parent, &ws, 0);
  CHECK(gone_within(grandchild, 5));
}

TEST_CASE("worker supervisor: says which workers died or failed, and not those stopped by a signal", "[subprocess]") {
  ProcessSupervisor w(
      "/bin/sh", {{"-c", "exit 0"}, {"-c", "exit 3"}, {"-c", "kill -KILL $$"}, {"-c", "exit 75"}, {"-c", "exit 130"}});
  CHECK(w.size() == 5);
  w.start();
  Supervision s;
  s.period_seconds = 0.05;
  const std::vector<std::string> problems = w.wait(s);
  REQUIRE(problems.size() == 2);
  CHECK_THAT(problems[0], Catch::StartsWith("worker 3 (pid ") && Catch::EndsWith(") was killed by signal 9"));
  CHECK(problems[1] == "worker 2 stopped with exit code 3");

  ProcessSupervisor missing("/nonexistent/regnet-explore", {{"train"}});
  CHECK_THROWS_AS(missing.start(), SpawnError);
}

TEST_CASE("subprocess: words are quoted for the shell only where they need it", "[subprocess]") {
  CHECK(shell_quote("/abs/path-1.2/x_y") == "/abs/path-1.2/x_y");
  CHECK(shell_quote("a b") == "'a b'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("$(rm -rf /)") == "'$(rm -rf /)'");
  CHECK(shell_quote("") == "''");
}

TEST_CASE("subprocess: a helper's time limit comes from the environment, a bad one is one line", "[subprocess]") {
  ::setenv("REGNET_TEST_TIMEOUT", "2.5", 1);
  CHECK(timeout_from_env("REGNET_TEST_TIMEOUT", 9) == 2.5);
  for (const char* bad : {"soon", "0", "-1", "inf", "nan", "3s", ""}) {
    ::setenv("REGNET_TEST_TIMEOUT", bad, 1);
    CHECK_THROWS_WITH(timeout_from_env("REGNET_TEST_TIMEOUT", 9),
                      std::string("REGNET_TEST_TIMEOUT: '") + bad + "' is not a positive number of seconds");
  }
  ::setenv("REGNET_TEST_TIMEOUT", "1\n\x1b[2J", 1);
  CHECK_THROWS_WITH(timeout_from_env("REGNET_TEST_TIMEOUT", 9), Catch::Contains("'1\\x0a\\x1b[2J'"));
  ::unsetenv("REGNET_TEST_TIMEOUT");
  CHECK(timeout_from_env("REGNET_TEST_TIMEOUT", 9) == 9);
}
