#include "core/base/logging.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>

#include "core/base/terminal_text.hpp"

#include "core/base/error.hpp"

namespace regnet {

namespace {

struct LevelName {
  LogLevel level;
  const char* name;
  spdlog::level::level_enum spd;
};
constexpr LevelName kLevels[] = {
    {LogLevel::debug, "debug", spdlog::level::debug},    {LogLevel::info, "info", spdlog::level::info},
    {LogLevel::warning, "warning", spdlog::level::warn}, {LogLevel::error, "error", spdlog::level::err},
    {LogLevel::off, "off", spdlog::level::off},
};

std::atomic<LogLevel> g_level{LogLevel::info};

// One line per message; the prefix says how serious it is, so tests and users can grep it.
class PrefixSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit PrefixSink(std::FILE* out) : out_(out) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& m) override {
    const char* prefix = m.level == spdlog::level::info       ? ""
                         : m.level >= spdlog::level::critical ? "regnet-explore: error: "
                         : m.level == spdlog::level::err      ? "regnet-explore: error: "
                         : m.level == spdlog::level::warn     ? "regnet-explore: warning: "
                                                              : "regnet-explore: debug: ";
    // Messages quote paths, names and text from files: shown, never acted on by the terminal. Every
    // message stays one line (info too), so a newline in a path splits no line and cannot start a
    // fake "regnet-explore: error:"; a text of several lines is logged line by line (log_lines).
    const std::string text(m.payload.data(), m.payload.size());
    fmt::print(out_, "{}{}\n", prefix, terminal_text(text, /*keep_newlines=*/false));
    std::fflush(out_);
  }
  void flush_() override { std::fflush(out_); }

 private:
  std::FILE* out_;
};

}  // namespace

LogLevel log_level_from_string(const std::string& text, const std::string& where) {
  if (text == "warn") return LogLevel::warning;
  for (const auto& l : kLevels)
    if (text == l.name) return l.level;
  fail("", where, "'" + text + "' is not a log level (debug, info, warning, error, off)");
}

std::string to_string(LogLevel level) {
  for (const auto& l : kLevels)
    if (l.level == level) return l.name;
  return "info";
}

LogLevel resolve_log_level(const LogSettings& s, const char* env) {
  if (!s.level.empty()) return log_level_from_string(s.level, "--log-level");
  if (s.verbose > 0) return LogLevel::debug;
  if (s.quiet) return LogLevel::error;
  if (env && *env) return log_level_from_string(env, "REGNET_LOG");
  return LogLevel::info;
}

void setup_logging(LogLevel level, std::FILE* stream) {
  auto logger = std::make_shared<spdlog::logger>("regnet-explore", std::make_shared<PrefixSink>(stream));
  for (const auto& l : kLevels)
    if (l.level == level) logger->set_level(l.spd);
  spdlog::set_default_logger(logger);
  g_level = level;
}

LogLevel log_level() { return g_level; }

void log_lines(const std::string& text) {
  for (size_t start = 0; start < text.size();) {
    const size_t end = std::min(text.find('\n', start), text.size());
    spdlog::info("{}", text.substr(start, end - start));
    start = end + 1;
  }
}

bool logs(LogLevel level) {
  return level != LogLevel::off && static_cast<int>(level) >= static_cast<int>(g_level.load());
}

}  // namespace regnet
