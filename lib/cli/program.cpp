#include "cli/program.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>

#include "cli/number_options.hpp"
#include "cli/self_exe.hpp"
#include "core/base/error.hpp"
#include "core/base/logging.hpp"
#include "core/base/terminal_text.hpp"

namespace regnet::cli {

namespace {

// Logging: set once, before any command runs; results and --json stay on stdout.
void add_log_options(CLI::App& app, LogSettings& log) {
  app.add_flag("-v,--verbose", log.verbose, "more detail on stderr (debug lines)");
  app.add_flag("-q,--quiet", log.quiet, "errors only on stderr: no progress, notes or warnings");
  app.add_option("--log-level", log.level, "debug, info, warning, error or off (default: REGNET_LOG, else info)");
  app.parse_complete_callback([&log] { setup_logging(resolve_log_level(log, std::getenv("REGNET_LOG"))); });
}

int input_error(const CLI::App& app, const std::string& what) {
  fmt::print(stderr, "{}\n", input_error_line(app.get_name(), what));
  return 2;
}

int internal_error(const CLI::App& app, const std::string& what) {
  fmt::print(stderr, "{}: internal error: {}\n", app.get_name(), terminal_text(what, false));
  return 3;
}

void add_footers(CLI::App& app, const char* (*help)(const std::string&), const std::string& prefix) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    const std::string name = prefix + sub->get_name();
    if (const char* text = help(name)) sub->footer(text);
    add_footers(*sub, help, name + "-");
  }
}

// A word as typed, safe to print: bytes outside printable ASCII as \xNN, a backslash doubled.
std::string escaped_word(const std::string& word) {
  std::string out;
  for (const unsigned char c : word) {
    if (c == '\\')
      out += "\\\\";
    else if (c >= 0x20 && c < 0x7f)
      out += static_cast<char>(c);
    else
      out += fmt::format("\\x{:02x}", c);
  }
  return out;
}

[[noreturn]] void exec_program(const Tool& tool, std::vector<std::string> args) {
  const std::string self = self_exe();
  const std::string exe = self.substr(0, self.rfind('/') + 1) + tool.program;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv(exe.c_str(), argv.data());
  fail("", tool.name, "needs " + exe + ": " + std::strerror(errno) + " (build with LibTorch: scripts/build.sh)");
}

}  // namespace

void add_tools(CLI::App& app, const std::vector<Tool>& tools, const std::vector<std::string>& argv) {
  for (const Tool& t : tools) {
    CLI::App* cmd = nullptr;
    if (t.add) {
      t.add(app);
      cmd = app.get_subcommand(t.name);
    } else {
      cmd = app.add_subcommand(t.name);
      cmd->fallthrough(false)->prefix_command()->allow_extras()->set_help_flag();
      cmd->callback([t, argv] { exec_program(t, argv); });
    }
    cmd->description(t.summary);  // the table is the one source of summaries
    if (t.hidden) cmd->group("");
  }
}

void add_help_footers(CLI::App& app, const char* (*help)(const std::string& name)) { add_footers(app, help, ""); }

int run_program(CLI::App& app, int argc, const char* const* argv) {
  LogSettings log;
  add_log_options(app, log);
  // An option that takes a number without a bounded check (number_options.hpp) is a bug: say which.
  if (const auto unbounded = unbounded_numbers(app); !unbounded.empty())
    return internal_error(app, "numeric options without a bound: " + fmt::format("{}", fmt::join(unbounded, ", ")));
  name_hidden_numbers(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --help-all, --version
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {  // a command's own exit code
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    if (const auto word = unknown_command(app))
      return input_error(app, "unknown command '" + escaped_word(*word) + "' (see " + app.get_name() + " --help)");
    return input_error(app, e.what());
  } catch (const UserError& e) {
    return input_error(app, e.what());
  } catch (const std::exception& e) {
    return internal_error(app, e.what());
  }
  return 0;
}

std::string input_error_line(const std::string& program, std::string what) {
  if (what.rfind(": ", 0) == 0) what.erase(0, 2);  // a hidden option's (name_hidden_numbers)
  std::replace(what.begin(), what.end(), '\n', ' ');
  return program + ": error: " + terminal_text(what, false);
}

std::optional<std::string> unknown_command(const CLI::App& app) {
  if (!app.get_subcommands().empty()) return std::nullopt;
  const std::vector<std::string> rest = app.remaining();
  if (rest.empty() || (!rest.front().empty() && rest.front()[0] == '-')) return std::nullopt;
  return rest.front();
}

}  // namespace regnet::cli
