#pragma once
// Running a program of subcommands (ninja's driver: the program is a table of tools, this is the
// rest): the logging options, each command's long help, every numeric option bounded, and one
// contract for how it ends: 0 done; 2 bad input, as one line on stderr; 3 a bug; or a command's own
// code (train: 130 on SIGINT, 75 on SIGTERM).
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace regnet::cli {

// One subcommand: a row of the program's table of tools, in --help order.
struct Tool {
  const char* name;
  const char* summary;         // the one line of --help
  void (*add)(CLI::App& app);  // registers the subcommand `name`; null in a binary that lacks it
  const char* program;         // the binary that has it: a stand-in in another execs that one
  bool hidden = false;         // left out of the main --help
};

// Registers each tool (with its summary, hidden ones out of --help). A tool this binary lacks is a
// stand-in that execs its program, from this binary's folder, with `argv` unchanged (every word
// after the name goes over unparsed, --help and -v included).
void add_tools(CLI::App& app, const std::vector<Tool>& tools, const std::vector<std::string>& argv);

// Sets each subcommand's footer (recursively) to help(NAME), when there is one; a subcommand's
// NAME joins its parents' with '-' ("data pack" is "data-pack").
void add_help_footers(CLI::App& app, const char* (*help)(const std::string& name));

// Adds -v, -q and --log-level to `app`, parses the command line and runs the command it names;
// returns the exit code. Once per `app`, after its subcommands are registered.
int run_program(CLI::App& app, int argc, const char* const* argv);

// What a bad input prints: "NAME: error: WHAT", on one line, every control character of what the
// user named (a path, a value, a name from a file) as \xNN so that it cannot act on the terminal.
std::string input_error_line(const std::string& program, std::string what);

// The first word, when it names no command (CLI11 says only "A subcommand is required").
std::optional<std::string> unknown_command(const CLI::App& app);

}  // namespace regnet::cli
