#include <catch2/catch.hpp>

#include "core/base/terminal_text.hpp"

using namespace regnet;

TEST_CASE("terminal text: control characters are shown, not obeyed", "[terminal_text]") {
  CHECK(terminal_text("plain text, tab\tand newline\n") == "plain text, tab\tand newline\n");
  CHECK(terminal_text("\x1b[2J\x1b]0;title\x07") == "\\x1b[2J\\x1b]0;title\\x07");
  CHECK(terminal_text("del\x7f, nul", true) == "del\\x7f, nul");
  CHECK(terminal_text(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(terminal_text("one\nline", false) == "one\\x0aline");
  CHECK(terminal_text("x\nregnet-explore: error: fake\n") == "x\\x0aregnet-explore: error: fake\n");
  CHECK(terminal_text("csi \xc2\x9b"
                      "31m") == "csi \\u009b31m");                         // U+009B, an 8-bit CSI
  CHECK(terminal_text("caf\xc3\xa9 \xc2\xa0") == "caf\xc3\xa9 \xc2\xa0");  // other UTF-8 as it is
  CHECK(terminal_text("\xff\xfe trailing \xc2") == "\xff\xfe trailing \xc2");
}

TEST_CASE("terminal text: a path inside a line of results stays on it", "[terminal_text]") {
  const std::string text = "wrote " + one_line("a\nb/sweep\x1b[2J") + " (sweep.json)\n";
  CHECK(terminal_text(text) == "wrote a\\x0ab/sweep\\x1b[2J (sweep.json)\n");
}
