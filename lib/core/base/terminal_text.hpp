#pragma once
// Text as it may reach a terminal. Names and text read from files (a pack's class names, a sweep's
// name, --names, paths) end up in results, notes and errors; an ESC or another control character
// in them would clear the screen, retitle the terminal or move the cursor. Every way out to a
// terminal passes its text through terminal_text once: stdout's text results (apps' print_text),
// the logger's lines, progress lines, and main's error line.
#include <string>

namespace regnet {

// `text` with every control character written as \xNN (C0 and DEL) or \uNNNN (C1, U+0080..U+009F
// as UTF-8; U+009B is an 8-bit CSI), except tab and, with keep_newlines, a newline (but one that
// would start a line with "regnet-explore:", which only the program's own lines do).
std::string terminal_text(const std::string& text, bool keep_newlines = true);

// A path or name the user chose, inside a line of a text of several lines (results on stdout): its
// newlines too are shown as \x0a, so that it stays on its line.
inline std::string one_line(const std::string& name) { return terminal_text(name, /*keep_newlines=*/false); }

}  // namespace regnet
