#pragma once
// How a command prints: its result on stdout, as JSON (--json, indented) or as text; notes,
// warnings and progress on stderr (the logger, ProgressLine), none of them with -q.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/base/json_io.hpp"
#include "core/base/logging.hpp"
#include "core/base/progress.hpp"
#include "core/base/stop_signal.hpp"
#include "core/base/terminal_text.hpp"

namespace regnet::cli {

// JSON escapes control characters itself; bytes that are not UTF-8 are written as the text \\xNN (json_text).
inline void print_json(const nlohmann::json& j) { std::cout << json_text(j) << "\n"; }
// Text results quote names and text from files: their control characters are shown, not obeyed.
inline void print_text(const std::string& text) { std::cout << terminal_text(text) << std::flush; }

// --json: `j`, else `text` (ending in a newline).
inline void print_result(bool json, const nlohmann::json& j, const std::string& text) {
  json ? print_json(j) : print_text(text);
}

// The same for a library result with to_json(result) and to_text(result).
template <typename Result>
void print_result(bool json, const Result& result) {
  json ? print_json(to_json(result)) : print_text(to_text(result));
}

// One live progress line on stderr: redrawn in place on a terminal, a plain line now and then
// in logs; nothing with -q.
class ProgressLine {
 public:
  void operator()(const std::string& line) {
    if (!logs(LogLevel::info)) return;
    if (!display_) display_ = std::make_unique<ProgressDisplay>(stderr);
    display_->update({line});
  }
  void finish() {
    if (display_) display_->finish();
  }

 private:
  std::unique_ptr<ProgressDisplay> display_;
};

// A stop signal ended the work: says how to resume, then exits with the signal's code (130, 75).
[[noreturn]] inline void stop_interrupted(const std::string& kept) {
  spdlog::info("interrupted: run the same command to resume ({})", kept);
  throw CLI::RuntimeError(stop_exit_code());
}

}  // namespace regnet::cli
