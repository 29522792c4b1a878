#pragma once
// Progress for long work: a live block of lines redrawn in place on a terminal, or, when the
// output is a file or pipe (CI logs, SLURM output), plain lines only once the work has run for
// the interval, and then at most once an interval, so logs stay readable and a short command that
// fails leaves its one error line alone. Messages (one per finished item) go above the live block
// either way.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace regnet {

// "45s", "3m05s", "2h07m", "3d04h"; "--" for an unknown (negative or not finite) duration.
std::string format_duration(double seconds);
// "[#########.......]" with `width` cells between the brackets; fraction clamped to 0..1.
std::string render_bar(double fraction, int width);

// The one ETA formula (sampler, trainer, sweep monitor): seconds left when `done` units of work
// took `elapsed` seconds and `remaining` units are left, at the same rate. 0 when nothing is left;
// -1 (unknown) while nothing is done.
double eta_at_rate(double done, double remaining, double elapsed);

bool stream_is_tty(std::FILE* stream);
int terminal_columns(std::FILE* stream);  // 80 when unknown

class ProgressDisplay {
 public:
  // tty: redraw in place; else print the block only every `plain_interval_seconds`, the first
  // time that long after the display was made.
  ProgressDisplay(std::FILE* out, bool tty, double plain_interval_seconds = 15);
  explicit ProgressDisplay(std::FILE* out = stderr);  // TTY detected
  ~ProgressDisplay();                                 // clears a terminal block; prints nothing (an error may be next)
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  // Replaces the live block. On a terminal lines are cut to its width.
  void update(const std::vector<std::string>& lines);
  // A permanent line, printed above the live block.
  void message(const std::string& line);
  // The work is done: clears the live block (terminal), or prints its last state (plain) if it
  // changed since it was last printed; a block never printed (a short run) stays unprinted.
  void finish();
  bool tty() const { return tty_; }

 private:
  void clear_block();
  void draw_block();
  std::FILE* out_;
  bool tty_;
  double interval_;
  std::vector<std::string> lines_;
  std::vector<std::string> printed_;
  int drawn_ = 0;                                     // lines of the block on screen (terminal)
  std::chrono::steady_clock::time_point last_plain_;  // plain: the last print, or the start
  bool plain_printed_ = false;
};

}  // namespace regnet
