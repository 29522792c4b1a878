#include "core/run/batch_script.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "core/base/error.hpp"
#include "core/base/subprocess.hpp"
#include "core/base/text.hpp"

namespace regnet {

namespace {

bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }
bool is_printable_ascii(char c) { return c >= 0x20 && c < 0x7f; }

// What sbatch's tokenizer takes as it is; any other byte (whitespace, quotes, backslash, '#',
// bytes above 0x7f, which a locale may call space) goes inside double quotes.
bool sbatch_bare(const std::string& w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("@%_+=:,./-", c) != nullptr;
  });
}

// Inside "...", a backslash escapes the next byte: only '"' and '\' need one.
std::string sbatch_word(const std::string& w) {
  if (sbatch_bare(w)) return w;
  std::string out = "\"";
  for (char c : w) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

void check_sbatch_value(const std::string& option, const std::string& value) {
  if (std::any_of(value.begin(), value.end(), is_control))
    fail("", option,
         "'" + printable(value) +
             "' holds a control character (an #SBATCH line cannot carry it; a line break "
             "would end the line)");
}

void check_sbatch_argument(const std::string& option, const std::string& argument) {
  check_sbatch_value(option, argument);
  if (argument.empty() || argument.front() != '-')
    fail("", option,
         "'" + printable(argument) + "' is not an sbatch option (one option with its value, e.g. --constraint=a100)");
}

std::string sbatch_option(const std::string& name, const std::string& value) {
  check_sbatch_value("--" + name, value);
  return "#SBATCH " + sbatch_word("--" + name + "=" + value);
}

std::string sbatch_argument(const std::string& option, const std::string& argument) {
  check_sbatch_argument(option, argument);
  return "#SBATCH " + sbatch_word(argument);
}

std::optional<std::string> sbatch_filename(const std::string& path) {
  if (std::any_of(path.begin(), path.end(), [](char c) { return is_control(c) || c == '\\'; })) return std::nullopt;
  std::string out;
  for (char c : path) out += c == '%' ? std::string("%%") : std::string(1, c);
  return out;
}

std::string bash_word(const std::string& word) {
  if (std::all_of(word.begin(), word.end(), is_printable_ascii)) return shell_quote(word);
  std::string out = "$'";
  for (char c : word) {
    if (c == '\'' || c == '\\')
      out += std::string("\\") + c;
    else if (is_printable_ascii(c))
      out += c;
    else
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));  // always two digits: bash reads at most two
  }
  return out + "'";
}

std::string bash_command(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + bash_word(w);
  return out;
}

std::string bash_export(const std::string& name, const std::string& value) {
  const bool identifier = !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front())) &&
                          std::all_of(name.begin(), name.end(),
                                      [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
  if (!identifier) throw std::invalid_argument("bash_export: '" + printable(name) + "' is not a shell identifier");
  return "export " + name + "=" + bash_word(value);
}

std::string comment_line(const std::string& text) { return "# " + printable(text, std::string::npos); }

}  // namespace regnet
