#pragma once
// The one logger. Warnings, notes and progress lines go through spdlog to stderr
// ("regnet-explore: warning: ..."); stdout carries only results, tables and --json, so a
// piped --json is never mixed with log lines. Call sites use spdlog::warn/info/debug directly;
// main() sets the level once from -v/--verbose, -q/--quiet, --log-level or REGNET_LOG.
#include <cstdio>
#include <string>

namespace regnet {

enum class LogLevel { debug, info, warning, error, off };

// "debug", "info", "warning" (or "warn"), "error", "off"; anything else is a UserError naming `where`.
LogLevel log_level_from_string(const std::string& text, const std::string& where);
std::string to_string(LogLevel level);

struct LogSettings {
  int verbose = 0;     // -v: debug
  bool quiet = false;  // -q: errors only
  std::string level;   // --log-level: wins over -v/-q
};

// --log-level, else -v / -q, else the environment's REGNET_LOG (`env`, may be null), else info.
LogLevel resolve_log_level(const LogSettings& settings, const char* env);

// Installs the default spdlog logger: one line per message on `stream`, prefixed
// "regnet-explore: warning: " / "error: " / "debug: " (info lines are printed as they are). A
// newline in a message is shown as \x0a: a path or name never splits a line.
void setup_logging(LogLevel level, std::FILE* stream = stderr);
// Logs each line of `text` (a report of several lines) as an info message of its own.
void log_lines(const std::string& text);
// The level set by setup_logging (info before it is called).
LogLevel log_level();
// Whether messages at `level` are printed (commands ask before drawing progress).
bool logs(LogLevel level);

}  // namespace regnet
