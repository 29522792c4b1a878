#include "core/base/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "core/base/terminal_text.hpp"

namespace regnet {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--";
  const long long s = std::llround(seconds);
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  if (s < 86400) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
  return fmt::format("{}d{:02}h", s / 86400, (s % 86400) / 3600);
}

std::string render_bar(double fraction, int width) {
  if (!std::isfinite(fraction)) fraction = 0;
  fraction = std::clamp(fraction, 0.0, 1.0);
  width = std::max(1, width);
  const int filled = static_cast<int>(std::floor(fraction * width + 1e-9));
  return "[" + std::string(static_cast<size_t>(filled), '#') + std::string(static_cast<size_t>(width - filled), '.') +
         "]";
}

double eta_at_rate(double done, double remaining, double elapsed) {
  if (!(remaining > 0)) return 0;
  if (!(done > 0) || !(elapsed >= 0)) return -1;
  return remaining * (elapsed / done);
}

bool stream_is_tty(std::FILE* stream) { return stream && ::isatty(::fileno(stream)) == 1; }

int terminal_columns(std::FILE* stream) {
  struct winsize ws {};
  if (stream && ::ioctl(::fileno(stream), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

ProgressDisplay::ProgressDisplay(std::FILE* out, bool tty, double plain_interval_seconds)
    : out_(out), tty_(tty), interval_(plain_interval_seconds), last_plain_(std::chrono::steady_clock::now()) {}

ProgressDisplay::ProgressDisplay(std::FILE* out) : ProgressDisplay(out, stream_is_tty(out)) {}

// Not finish(): a display destroyed without it was left by an exception, whose one error line
// follows; a log must not get a last progress block before it.
ProgressDisplay::~ProgressDisplay() {
  if (tty_) finish();
}

void ProgressDisplay::update(const std::vector<std::string>& lines) {
  if (tty_ && lines == lines_ && drawn_ == static_cast<int>(lines.size())) return;  // unchanged: no flicker
  lines_ = lines;
  if (tty_) {
    clear_block();
    draw_block();
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - last_plain_).count() < interval_) return;  // short runs: never
  if (lines_ == printed_) return;                                                    // nothing new to say
  for (const auto& l : lines_) fmt::print(out_, "{}\n", terminal_text(l, false));
  std::fflush(out_);
  printed_ = lines_;
  last_plain_ = now;
  plain_printed_ = true;
}

void ProgressDisplay::message(const std::string& line) {
  if (tty_) clear_block();
  fmt::print(out_, "{}\n", terminal_text(line, false));
  if (tty_) draw_block();
  std::fflush(out_);
}

void ProgressDisplay::finish() {
  if (tty_) {
    clear_block();
  } else if (plain_printed_ && !lines_.empty() && lines_ != printed_) {
    for (const auto& l : lines_) fmt::print(out_, "{}\n", terminal_text(l, false));
    printed_ = lines_;
  }
  lines_.clear();
  if (out_) std::fflush(out_);
}

void ProgressDisplay::clear_block() {
  for (; drawn_ > 0; --drawn_) std::fputs("\033[1A\033[2K", out_);
  std::fputs("\r", out_);
}

void ProgressDisplay::draw_block() {
  // One column short of the width, so no line wraps and the cursor arithmetic holds.
  const size_t cols = static_cast<size_t>(std::max(10, terminal_columns(out_) - 1));
  for (const auto& l : lines_) {
    fmt::print(out_, "{}\n", terminal_text(l, false).substr(0, cols));
    ++drawn_;
  }
  std::fflush(out_);
}

}  // namespace regnet
