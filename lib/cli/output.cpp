#include "cli/output.hpp"

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "core/base/json_io.hpp"
#include "core/base/logging.hpp"
#include "core/base/stop_signal.hpp"
#include "core/base/terminal_text.hpp"

namespace regnet::cli {

void print_json(const nlohmann::json& j) { std::cout << json_text(j) << "\n"; }

void print_text(const std::string& text) { std::cout << terminal_text(text) << std::flush; }

void ProgressLine::operator()(const std::string& line) {
  if (!logs(LogLevel::info)) return;
  if (!display_) display_ = std::make_unique<ProgressDisplay>(stderr);
  display_->update({line});
}

void ProgressLine::finish() {
  if (display_) display_->finish();
}

void stop_interrupted(const std::string& kept) {
  spdlog::info("interrupted: run the same command to resume ({})", kept);
  throw CLI::RuntimeError(stop_exit_code());
}

}  // namespace regnet::cli
