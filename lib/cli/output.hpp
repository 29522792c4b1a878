#pragma once
// How a command prints: its result on stdout, as JSON (--json, indented) or as text; notes,
// warnings and progress on stderr (the logger, ProgressLine), none of them with -q.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/base/progress.hpp"

namespace regnet::cli {

// JSON escapes control characters itself; bytes that are not UTF-8 are written as the text \\xNN (json_text).
void print_json(const nlohmann::json& j);
// Text results quote names and text from files: their control characters are shown, not obeyed.
void print_text(const std::string& text);

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
  void operator()(const std::string& line);
  void finish();

 private:
  std::unique_ptr<ProgressDisplay> display_;
};

// A stop signal ended the work: says how to resume, then exits with the signal's code (130, 75).
[[noreturn]] void stop_interrupted(const std::string& kept);

}  // namespace regnet::cli
