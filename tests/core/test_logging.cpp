#include <spdlog/spdlog.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "core/base/error.hpp"
#include "core/base/logging.hpp"

using namespace regnet;

namespace {
std::string captured(LogLevel level, void (*emit)()) {
  std::FILE* f = std::tmpfile();
  setup_logging(level, f);
  emit();
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, f)) out += buf;
  std::fclose(f);
  setup_logging(LogLevel::info, stderr);
  return out;
}
void emit_all() {
  spdlog::debug("d {}", 1);
  spdlog::info("note {}", 2);
  spdlog::warn("careful: {}", "x");
  spdlog::error("broken");
}
}  // namespace

TEST_CASE("logging: one prefixed line per message, filtered by level", "[logging]") {
  CHECK(captured(LogLevel::info, emit_all) ==
        "note 2\nregnet-explore: warning: careful: x\nregnet-explore: error: broken\n");
  CHECK(captured(LogLevel::debug, emit_all) ==
        "regnet-explore: debug: d 1\nnote 2\nregnet-explore: warning: careful: x\nregnet-explore: error: broken\n");
  CHECK(captured(LogLevel::error, emit_all) == "regnet-explore: error: broken\n");
  CHECK(captured(LogLevel::off, emit_all).empty());
}

TEST_CASE("logging: --log-level wins over -v/-q, which win over REGNET_LOG", "[logging]") {
  CHECK(resolve_log_level({}, nullptr) == LogLevel::info);
  CHECK(resolve_log_level({}, "") == LogLevel::info);
  CHECK(resolve_log_level({}, "warning") == LogLevel::warning);
  CHECK(resolve_log_level({1, false, ""}, "error") == LogLevel::debug);
  CHECK(resolve_log_level({0, true, ""}, "debug") == LogLevel::error);
  CHECK(resolve_log_level({1, true, "warn"}, "debug") == LogLevel::warning);
  CHECK_THROWS_AS(resolve_log_level({0, false, "loud"}, nullptr), UserError);
  CHECK_THROWS_WITH(resolve_log_level({}, "chatty"), Catch::Contains("REGNET_LOG") && Catch::Contains("chatty"));
}

TEST_CASE("logging: logs() tells commands whether to show progress", "[logging]") {
  setup_logging(LogLevel::warning, stderr);
  CHECK_FALSE(logs(LogLevel::info));
  CHECK(logs(LogLevel::warning));
  CHECK(logs(LogLevel::error));
  setup_logging(LogLevel::info, stderr);
  CHECK(logs(LogLevel::info));
  CHECK_FALSE(logs(LogLevel::off));
}

TEST_CASE("logging: a newline in a message (a path) splits no line; log_lines logs a text line by line", "[logging]") {
  CHECK(captured(LogLevel::info, [] { spdlog::info("training 3 samples of {}", "/tmp/a\nb/sweep"); }) ==
        "training 3 samples of /tmp/a\\x0ab/sweep\n");
  CHECK(captured(LogLevel::info, [] { spdlog::warn("{}: left out", "x\nregnet-explore: error: fake"); }) ==
        "regnet-explore: warning: x\\x0aregnet-explore: error: fake: left out\n");
  CHECK(captured(LogLevel::info, [] { log_lines("one\ntwo\n"); }) == "one\ntwo\n");
  CHECK(captured(LogLevel::warning, [] { log_lines("one\ntwo\n"); }).empty());
}
