// lib/cli: the driver's exit codes and error lines (program.hpp), the tool table and its
// stand-ins, option tables, the shared option groups, and result output.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cli/launch_options.hpp"
#include "cli/network_options.hpp"
#include "cli/number_options.hpp"
#include "cli/option_table.hpp"
#include "cli/output.hpp"
#include "cli/program.hpp"
#include "cli/self_exe.hpp"
#include "core/base/error.hpp"

using namespace regnet;
using namespace regnet::cli;

namespace {

// What run_program returns and prints on stderr for `args` (after the program name).
struct Ended {
  int code = 0;
  std::string err;
};

Ended run(CLI::App& app, std::vector<std::string> args) {
  args.insert(args.begin(), "prog");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::fflush(stderr);
  const int saved = ::dup(2);
  std::FILE* tmp = std::tmpfile();
  ::dup2(::fileno(tmp), 2);
  Ended e;
  e.code = run_program(app, static_cast<int>(argv.size()), argv.data());
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  std::rewind(tmp);
  for (int c; (c = std::fgetc(tmp)) != EOF;) e.err += static_cast<char>(c);
  std::fclose(tmp);
  return e;
}
Ended run(CLI::App&& app, std::vector<std::string> args) { return run(app, std::move(args)); }

// A program with one command, `go`, whose callback does `what` (and counts its runs).
struct Program {
  CLI::App app{"a test program", "prog"};
  int n = 1, hidden = 1, runs = 0;
  std::function<void()> what = [] {};
  Program() {
    app.require_subcommand(1);
    app.fallthrough();
    auto* go = app.add_subcommand("go", "does it");
    go->add_option("-n", n)->transform(whole_number<int>(1, 9));
    go->add_option("--hidden", hidden)->transform(whole_number<int>(1, 9))->group("");
    go->callback([this] {
      ++runs;
      what();
    });
  }
};

std::string printed(const std::function<void()>& print) {
  std::ostringstream out;
  auto* old = std::cout.rdbuf(out.rdbuf());
  print();
  std::cout.rdbuf(old);
  return out.str();
}

}  // namespace

TEST_CASE("cli program: exit codes and one error line", "[cli]") {
  Program ok;  // run_program runs a program once: a fresh one each time
  CHECK(run(ok.app, {"go", "-n", "3"}).code == 0);
  CHECK(ok.n == 3);
  CHECK(ok.runs == 1);

  const Ended unknown = run(Program().app, {"fr\x1bob"});
  CHECK(unknown.code == 2);
  CHECK(unknown.err == "prog: error: unknown command 'fr\\x1bob' (see prog --help)\n");

  const Ended bound = run(Program().app, {"go", "-n", "10"});
  CHECK(bound.code == 2);
  CHECK(bound.err == "prog: error: -n: 10 must be in [1, 9]\n");
  // A hidden option's error names it too (CLI11 alone would print ": 0 must be ...").
  CHECK(run(Program().app, {"go", "--hidden", "0"}).err == "prog: error: --hidden: 0 must be in [1, 9]\n");

  Program user;
  user.what = [] { fail("some/file", "field", "two\nlines and \x07 a bell"); };
  const Ended e = run(user.app, {"go"});
  CHECK(e.code == 2);
  CHECK(std::count(e.err.begin(), e.err.end(), '\n') == 1);
  CHECK_THAT(e.err, Catch::StartsWith("prog: error: some/file") && Catch::Contains("two lines and \\x07 a bell"));

  Program bug, stopped;
  bug.what = [] { throw std::runtime_error("a bug"); };
  CHECK(run(bug.app, {"go"}).code == 3);
  stopped.what = [] { throw CLI::RuntimeError(75); };  // a command's own code (train on SIGTERM)
  CHECK(run(stopped.app, {"go"}).code == 75);
}

TEST_CASE("cli program: a numeric option without a bound stops the program before it parses", "[cli]") {
  Program p;
  int loose = 0;
  p.app.get_subcommand("go")->add_option("--loose", loose);
  const Ended e = run(p.app, {"go"});
  CHECK(e.code == 3);
  CHECK(e.err == "prog: internal error: numeric options without a bound: go --loose\n");
  CHECK(p.runs == 0);
}

TEST_CASE("cli program: words and error lines are safe for a terminal", "[cli]") {
  Program p;
  CHECK(run(p.app, {"a\\b\x1b[2J\n\xff"}).err ==
        "prog: error: unknown command 'a\\\\b\\x1b[2J\\x0a\\xff' (see prog --help)\n");
  CHECK(input_error_line("prog", "x\ny") == "prog: error: x y");
  CHECK(input_error_line("prog", ": --hidden: 0") == "prog: error: --hidden: 0");
}

TEST_CASE("cli program: the tool table, stand-ins and long help", "[cli]") {
  CLI::App app{"", "prog"};
  static int added = 0;
  const std::vector<Tool> tools = {
      {"here", "runs in this binary", [](CLI::App& a) { a.add_subcommand("here")->add_subcommand("deep"); }, "prog"},
      {"there", "runs in the partner", nullptr, "prog-partner", true},
  };
  add_tools(app, tools, {"prog", "there", "--help"});
  add_help_footers(app, [](const std::string& name) -> const char* {
    ++added;
    return name == "here-deep" ? "the long help of here deep" : nullptr;
  });
  CHECK(app.get_subcommand("here")->get_description() == "runs in this binary");
  CHECK(app.get_subcommand("here")->get_subcommand("deep")->get_footer() == "the long help of here deep");
  CHECK(added == 3);  // here, here-deep, there
  CLI::App* there = app.get_subcommand("there");
  CHECK(there->get_description() == "runs in the partner");
  CHECK(there->get_group().empty());   // hidden
  CHECK(there->get_prefix_command());  // every word after it goes to the partner unparsed
}

TEST_CASE("cli options: a table binds fields, bounds, flags and lists", "[cli]") {
  CLI::App app;
  int n = 0;
  bool on = false;
  std::vector<std::string> names;
  std::string hidden = "x";
  add_options(&app, {
                        {"-n", n, "a bounded count", whole_number<int>(1, 100), kRequired | kShowDefault},
                        {"--on", on, "a flag"},
                        {"--names", names, "a list", kCommaList},
                        {"--hidden", hidden, "hidden", kHidden},
                    });
  CHECK_THROWS_AS(app.parse(std::vector<std::string>{}), CLI::RequiredError);
  app.parse(std::vector<std::string>{"b,c", "--names", "010", "-n", "--on"});  // reversed, as CLI11 takes it
  CHECK(n == 10);                                                              // canonical: "010" is ten, not octal
  CHECK(on);
  CHECK(names == std::vector<std::string>{"b", "c"});
  CHECK(app.get_option("--hidden")->get_group().empty());
  CHECK(unbounded_numbers(app).empty());
}

TEST_CASE("cli options: the network and SLURM groups are bounded and bound", "[cli]") {
  CLI::App app;
  NetworkOverrides net;
  BatchOptions batch;
  add_network_options(&app, net);
  add_batch_options(&app, batch, "no training", "on SLURM");
  CHECK(unbounded_numbers(app).empty());
  CHECK_THROWS_WITH(app.parse(std::vector<std::string>{"0", "--input-size"}),
                    "--input-size: 0 must be in [1, 2147483647]");
  app.parse(std::vector<std::string>{"--no-train", "3", "--tasks", "--slurm", "2", "--stride", "cifar10", "--preset"});
  CHECK(net.preset == "cifar10");
  CHECK(net.stride == 2);
  CHECK(batch.slurm);
  CHECK(batch.launch.tasks == 3);
  CHECK(batch.no_train);
  CHECK_FALSE(sweeps_trainer(batch));  // --no-train: nothing is trained
}

TEST_CASE("cli output: text results show control characters, JSON is one document", "[cli]") {
  CHECK(printed([] { print_result(false, nlohmann::json{{"a", 1}}, "name\x1b[31m\n"); }) == "name\\x1b[31m\n");
  CHECK(nlohmann::json::parse(printed([] { print_result(true, nlohmann::json{{"a", "\x1b"}}, ""); }))["a"] == "\x1b");
  CHECK_THROWS_AS(stop_interrupted("kept"), CLI::RuntimeError);
}

TEST_CASE("cli self_exe: this program's own path", "[cli]") {
  const std::string exe = self_exe();
  CHECK(exe.front() == '/');
  CHECK(exe.substr(exe.rfind('/') + 1) == "test_core");
}
