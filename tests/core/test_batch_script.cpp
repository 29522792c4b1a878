// Batch scripts are data: hostile values (line breaks, spaces, quotes, '%', '#', $(...), backticks,
// bytes that are not UTF-8) go into a script and are read back by the script's two readers, each
// as it reads: sbatch's #SBATCH tokenizer (mirrored below from SLURM 22.05, and measured against
// the real sbatch in tests/cli/slurm_launch.sh) and the real bash.
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base/error.hpp"
#include "core/base/subprocess.hpp"
#include "core/run/batch_script.hpp"
#include "core/run/slurm.hpp"
#include "temp_dir.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using regnet::test::TempDir;
using regnet::testing::ScopedEnv;
namespace fs = std::filesystem;

namespace {

// The words sbatch takes from one #SBATCH line (src/sbatch/opt.c, _get_argument): whitespace
// splits, "..." and '...' group, a backslash escapes the next byte (inside quotes too), an
// unquoted '#' ends the line.
std::vector<std::string> sbatch_words(const std::string& rest) {
  std::vector<std::string> words;
  size_t i = 0;
  const auto space = [&](size_t k) { return std::isspace(static_cast<unsigned char>(rest[k])) != 0; };
  while (i < rest.size()) {
    while (i < rest.size() && space(i)) ++i;
    std::string w;
    bool quoted = false, escaped = false, any = false;
    char q = 0;
    for (; i < rest.size() && (quoted || !space(i)); ++i) {
      const char c = rest[i];
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
        continue;
      } else if (quoted) {
        if (c == q) {
          quoted = false;
          continue;
        }
      } else if (c == '"' || c == '\'') {
        quoted = true;
        q = c;
        continue;
      } else if (c == '#') {
        i = rest.size();  // the rest of the line is a comment
        break;
      }
      w += c;
      any = true;
    }
    REQUIRE_FALSE(quoted);  // sbatch: "Unmatched quote"
    if (any) words.push_back(w);
  }
  return words;
}

// The arguments sbatch reads from a script (_opt_batch_script): those of the #SBATCH lines above
// the first command.
std::vector<std::string> sbatch_reads(const std::string& script) {
  std::vector<std::string> argv;
  std::istringstream in(script);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("#SBATCH", 0) == 0) {
      for (auto& w : sbatch_words(line.substr(7))) argv.push_back(std::move(w));
      continue;
    }
    const size_t first = line.find_first_not_of(" \t");
    if (first != std::string::npos && line[first] != '#') break;
  }
  return argv;
}

// What the real bash makes of `command` (printf '%s\0' over the words), run in `cwd`.
std::string bash_reads(const std::string& words, const std::string& cwd) {
  SpawnOptions o;
  o.argv = {"bash", "-c", "printf '%s\\0' " + words};
  o.cwd = cwd;
  o.out = Redirect::capture();
  const ProcessResult r = run_process(o, 30);
  REQUIRE(r.status.success());
  return r.out;
}

bool has_control(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Neither a line break nor anything else in here may become code.
const std::vector<std::string> kHostile = {"a b",
                                           "it's",
                                           "\"dq\"",
                                           "50%",
                                           "%x-%A_%a",
                                           "#hash",
                                           "a#b",
                                           "back\\s",
                                           "$(touch P1)",
                                           "`touch P2`",
                                           "${HOME}",
                                           "a;touch P3",
                                           "*",
                                           "\xff\xfe bad utf-8",
                                           "caf\xc3\xa9",
                                           "-",
                                           "--output=/x",
                                           "a\nb",
                                           "x\n#SBATCH --output=/tmp/evil",
                                           "\r\n",
                                           "t\tab",
                                           "\x1b[31mred",
                                           "\x7f"};

}  // namespace

TEST_CASE("batch script: an #SBATCH value reaches sbatch as one word, exactly", "[slurm]") {
  for (const auto& v : kHostile) {
    CAPTURE(v);
    if (has_control(v)) {
      CHECK_THROWS_WITH(sbatch_option("partition", v),
                        Catch::StartsWith("--partition: '") && Catch::Contains("' holds a control character"));
      CHECK_THROWS_AS(check_sbatch_value("--qos", v), UserError);
      continue;
    }
    const std::string line = sbatch_option("partition", v);
    CHECK(line.find('\n') == std::string::npos);
    CHECK(sbatch_reads(line + "\n") == std::vector<std::string>{"--partition=" + v});
    if (v.front() == '-') CHECK(sbatch_reads(sbatch_argument("--sbatch-arg", v) + "\n") == std::vector<std::string>{v});
  }
  CHECK(sbatch_option("time", "1:00:00") == "#SBATCH --time=1:00:00");  // plain values stay plain
  CHECK(sbatch_option("partition", "gpu --output=/tmp/x") == "#SBATCH \"--partition=gpu --output=/tmp/x\"");
  CHECK(sbatch_option("comment", "x\"y\\z") == "#SBATCH \"--comment=x\\\"y\\\\z\"");  // measured: x"y\z
}

TEST_CASE("batch script: an --sbatch-arg is one option, never a bare word", "[slurm]") {
  CHECK(sbatch_argument("--sbatch-arg", "--constraint=a100") == "#SBATCH --constraint=a100");
  CHECK_THROWS_WITH(
      sbatch_argument("--sbatch-arg", "hetjob"),
      "--sbatch-arg: 'hetjob' is not an sbatch option (one option with its value, e.g. --constraint=a100)");
  CHECK_THROWS_WITH(check_sbatch_argument("--sbatch-arg", ""), Catch::Contains("is not an sbatch option"));
  CHECK_THROWS_WITH(check_sbatch_argument("--sbatch-arg", "--constraint=a100\nrm -rf /"),
                    "--sbatch-arg: '--constraint=a100\\x0arm -rf /' holds a control character (an #SBATCH line cannot "
                    "carry it; a line break would end the line)");
}

TEST_CASE("batch script: an output path is a filename pattern: % doubled, the unsayable refused", "[slurm]") {
  CHECK(sbatch_filename("/s/50% a#b 'q'/") == "/s/50%% a#b 'q'/");
  CHECK(sbatch_filename("/s/%x/") == "/s/%%x/");
  CHECK(sbatch_filename("/s/caf\xc3\xa9/") == "/s/caf\xc3\xa9/");
  CHECK_FALSE(sbatch_filename("/s/a\nb/"));
  CHECK_FALSE(sbatch_filename("/s/a\tb/"));
  CHECK_FALSE(sbatch_filename("/s/back\\slash/"));  // a backslash turns every pattern off
}

TEST_CASE("batch script: a bash word is one line and reads back as the same bytes", "[slurm]") {
  TempDir dir;
  for (const auto& v : kHostile) {
    CAPTURE(v);
    const std::string w = bash_word(v);
    CHECK_FALSE(has_control(w));
    CHECK(std::all_of(w.begin(), w.end(), [](char c) { return c >= 0x20 && c < 0x7f; }));  // ASCII on screen
    CHECK(bash_reads(w, dir.path.string()) == v + std::string(1, '\0'));
  }
  CHECK(bash_reads(bash_command(kHostile), dir.path.string()) == [] {
    std::string all;
    for (const auto& v : kHostile) all += v + std::string(1, '\0');
    return all;
  }());
  CHECK(fs::is_empty(dir.path));  // no $(...) or `...` ran
  CHECK(bash_word("/plain/path-1.2") == "/plain/path-1.2");
  CHECK(bash_word("a\nb") == "$'a\\x0ab'");
  CHECK(bash_export("REGNET_DATA_ROOT", "/d/a b") == "export REGNET_DATA_ROOT='/d/a b'");
  CHECK_THROWS_AS(bash_export("A B", "x"), std::invalid_argument);
  CHECK_THROWS_AS(bash_export("1A", "x"), std::invalid_argument);
}

TEST_CASE("batch script: a comment stays one line", "[slurm]") {
  CHECK(comment_line("sweep /s/a\n#SBATCH --output=/tmp/evil") == "# sweep /s/a\\x0a#SBATCH --output=/tmp/evil");
  CHECK(comment_line("\x1b[31m") == "# \\x1b[31m");
}

namespace {

// A stand-in worker that writes its arguments (NUL after each) and REGNET_CONFIG_DIR to $ARGS_OUT.
std::string fake_worker(const TempDir& dir) {
  const fs::path bin = dir.path / "bin dir 'x' $(touch P4)";
  fs::create_directories(bin);
  const fs::path exe = bin / "regnet-explore";
  std::ofstream(exe) << "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > \"$ARGS_OUT\"\n"
                        "printf '%s' \"$REGNET_CONFIG_DIR\" > \"$ARGS_OUT.env\"\n";
  fs::permissions(exe, fs::perms::owner_all);
  return exe.string();
}

// Runs the script with bash as a SLURM task would (task 2 of job 7), in `cwd`.
void run_as_task(const std::string& script, const TempDir& dir, const std::string& job_name) {
  std::ofstream(dir.path / "job.sbatch") << script;
  ScopedEnv a("SLURM_ARRAY_JOB_ID", "7"), t("SLURM_ARRAY_TASK_ID", "2"), n("SLURM_JOB_NAME", job_name),
      o("ARGS_OUT", (dir.path / "args").string());
  SpawnOptions opt;
  opt.argv = {"bash", (dir.path / "job.sbatch").string()};
  opt.cwd = dir.path.string();
  opt.out = Redirect::capture();
  opt.err = Redirect::capture();
  const ProcessResult r = run_process(opt, 30);
  INFO(r.err);
  REQUIRE(r.status.success());
}

SlurmJob hostile_job(const std::string& sweep_dir, const std::string& executable) {
  SlurmJob j;
  j.sweep_dir = sweep_dir;
  j.executable = executable;
  j.train_args = {"train", sweep_dir, "--schedule", sweep_dir + "/x $(touch P5).json", "--no-wait", "--quiet"};
  j.tasks = 4;
  j.array_parallel = 2;
  j.cpus_per_task = 3;
  j.partition = "gpu --output=/tmp/x --export=ALL";
  j.gres = "gpu:1 $(touch P6)";
  j.time_limit = "1:00:00 #c";
  j.mem = "4G\\";
  j.account = "a'b";
  j.qos = "q\"#x";
  j.job_name = "my job #1 %j 'q' \xff";
  j.extra = {"--comment=a b # c \\ \" '"};
  j.env = {{"REGNET_CONFIG_DIR", sweep_dir + "/cfg `touch P7`"}};
  return j;
}

std::string nul_joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += w + std::string(1, '\0');
  return out;
}

}  // namespace

TEST_CASE("batch script: hostile values in every field stay data for sbatch and bash", "[slurm]") {
  TempDir dir;
  const std::string sweep = (dir.path / "sp ace 'q' \"d\" 50% #h $(touch P8) `touch P9` \xff\xfe/sweep").string();
  const SlurmJob j = hostile_job(sweep, fake_worker(dir));
  const std::string script = sbatch_script(j);

  // sbatch reads exactly these options, each one word, and nothing from below the first command.
  CHECK(sbatch_reads(script) ==
        std::vector<std::string>{"--output=" + *sbatch_filename(sweep + "/slurm/") + "%x-%A_%a.out",
                                 "--job-name=" + j.job_name, "--array=0-3%2", "--open-mode=append", "--requeue",
                                 "--cpus-per-task=3", "--partition=" + j.partition, "--gres=" + j.gres,
                                 "--time=" + j.time_limit, "--mem=" + j.mem, "--account=" + j.account, "--qos=" + j.qos,
                                 j.extra[0]});
  // Hostile values add no line: as many as a plain job's, none with a control character.
  SlurmJob plain = j;
  plain.sweep_dir = "/s/sweep";
  plain.partition = plain.gres = plain.time_limit = plain.mem = plain.account = plain.qos = plain.job_name = "x";
  plain.extra = {"--comment=x"};
  CHECK(lines_of(script).size() == lines_of(sbatch_script(plain)).size());
  for (const auto& l : lines_of(script)) CHECK_FALSE(has_control(l));

  // bash runs the worker with exactly the arguments and environment given, and nothing else.
  run_as_task(script, dir, j.job_name);
  CHECK(read_text(dir.path / "args") == nul_joined(j.train_args));
  CHECK(read_text(dir.path / "args.env") == j.env.at("REGNET_CONFIG_DIR"));
  for (const char* p : {"P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9"}) CHECK_FALSE(fs::exists(dir.path / p));
}

TEST_CASE("batch script: a sweep path sbatch cannot name gets its log from the task itself", "[slurm]") {
  TempDir dir;
  // A line break that would start an #SBATCH line of its own, and a backslash.
  const std::string sweep = (dir.path / "a\n#SBATCH --output=/tmp/evil\\x %A/sweep").string();
  fs::create_directories(sweep + "/slurm");
  SlurmJob j = hostile_job(sweep, fake_worker(dir));
  j.job_name = "regnet-sweep";
  const std::string script = sbatch_script(j);
  const auto argv = sbatch_reads(script);
  REQUIRE(!argv.empty());
  CHECK(argv.front() == "--output=/dev/null");
  CHECK(std::count_if(argv.begin(), argv.end(), [](const std::string& a) { return a.rfind("--output", 0) == 0; }) == 1);
  for (const auto& l : lines_of(script)) CHECK_FALSE(has_control(l));

  run_as_task(script, dir, j.job_name);
  const fs::path log = sweep + "/slurm/regnet-sweep-7_2.out";
  REQUIRE(fs::exists(log));
  CHECK_THAT(read_text(log), Catch::StartsWith("regnet-explore: task 2 of job 7 on "));
  CHECK(read_text(dir.path / "args") == nul_joined(j.train_args));
  run_as_task(script, dir, j.job_name);  // a requeued task appends
  CHECK(lines_of(read_text(log)).size() == 2);
}
