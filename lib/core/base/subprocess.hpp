#pragma once
// Child processes without a shell: a program and its argument vector (never a command line),
// a working directory and redirected standard streams. spawn() starts one; run_process() also
// captures its output and waits, with an optional timeout; supervise() watches a set of
// children and forwards a stop signal to them. Every system call is retried on EINTR, so a
// signal handler in this process (SIGINT, SIGTERM, SIGALRM) never breaks a wait or a read.
// Nothing a user names is ever parsed by a shell: gnuplot, sbatch and the worker processes all
// start through here.
#include <sys/types.h>

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace regnet {

// POSIX shell quoting ('...' with embedded quotes escaped) where a word needs it: for command
// lines shown to a user or written into a batch script, never run through a shell here.
std::string shell_quote(const std::string& word);

// Where one of a child's standard streams goes.
struct Redirect {
  enum class Kind { inherit, null, file, append, capture, to_stdout };
  Kind kind = Kind::inherit;
  std::string path;  // for file and append

  static Redirect inherit() { return {Kind::inherit, ""}; }  // this process's stream
  static Redirect null() { return {Kind::null, ""}; }        // /dev/null
  // stdin: read from the file; stdout/stderr: the file, truncated (created 0644).
  static Redirect file(std::string p) { return {Kind::file, std::move(p)}; }
  static Redirect append(std::string p) { return {Kind::append, std::move(p)}; }  // created 0644
  static Redirect capture() { return {Kind::capture, ""}; }                       // stdout/stderr, run_process only
  static Redirect to_stdout() { return {Kind::to_stdout, ""}; }                   // stderr: wherever stdout goes
};

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0]: a path, or a name looked up in PATH
  std::string cwd;                // "" = this process's working directory
  Redirect in = Redirect::null();
  Redirect out = Redirect::inherit();
  Redirect err = Redirect::inherit();
  // PR_SET_PDEATHSIG: the child gets SIGTERM when the thread that spawned it ends (with its
  // process, even by kill -9); spawn from the main thread.
  bool die_with_parent = false;
};

// How a child ended.
struct ExitStatus {
  int code = 0;    // the exit code, when it exited
  int signal = 0;  // the signal that ended it, else 0
  bool success() const { return signal == 0 && code == 0; }
  int shell_code() const { return signal != 0 ? 128 + signal : code; }  // what a shell's $? says
};

// The program could not be started: not found, not executable, no such working directory or
// redirect file. The child never ran.
struct SpawnError : std::runtime_error {
  SpawnError(const std::string& what, int error_number) : std::runtime_error(what), error(error_number) {}
  int error;  // errno
};

// A started child. Move-only. A Child destroyed while its process runs kills it (SIGKILL) and
// reaps it, so no error path leaves a stray process or a zombie behind.
class Child {
 public:
  Child() = default;
  explicit Child(pid_t pid) : pid_(pid) {}
  Child(Child&& other) noexcept;
  Child& operator=(Child&& other) noexcept;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child();

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0 && !status_; }  // started and not yet reaped
  // Reaps the child if it has ended; never blocks.
  std::optional<ExitStatus> poll();
  ExitStatus wait();
  // nullopt when it still runs after `seconds`.
  std::optional<ExitStatus> wait_for(double seconds);
  // Sends `sig` while the child is not reaped (its pid cannot have been reused); false after.
  bool send(int sig);
  const std::optional<ExitStatus>& status() const { return status_; }

 private:
  void reap_or_kill();
  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
};

// Starts the program; SpawnError when it cannot. Redirect::capture is for run_process only.
Child spawn(const SpawnOptions& options);

struct ProcessResult {
  ExitStatus status;
  std::string out, err;    // what the child wrote where the redirect is capture
  bool timed_out = false;  // it ran past the timeout and was killed (SIGKILL)
};
// Runs the program to its end, collecting the captured streams. timeout_seconds > 0: kills it
// once it has run that long. SpawnError when it cannot start.
ProcessResult run_process(const SpawnOptions& options, double timeout_seconds = 0);

// The limit on a helper program's run from the environment: `variable` in seconds, else
// `fallback_seconds`. UserError naming the variable for a value that is not a positive number.
double timeout_from_env(const char* variable, double fallback_seconds);

// `name` looked up in PATH (a name with a '/' is taken as it is); nullopt when no executable
// file is found.
std::optional<std::string> find_program(const std::string& name);

// Watching children until every one has ended: on_tick about every period_seconds, and the
// first non-zero stop_signal() sent once to each child still running (so Ctrl-C or SLURM's
// SIGTERM reaches workers that have their own handlers).
struct Supervision {
  double period_seconds = 1;
  std::function<void()> on_tick;
  std::function<int()> stop_signal;
};
// Returns how each child ended, in order. If on_tick throws, the children get SIGTERM and are
// waited for before the exception goes on.
std::vector<ExitStatus> supervise(std::vector<Child>& children, const Supervision& supervision);

}  // namespace regnet
