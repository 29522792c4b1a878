#include "core/base/json_io.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>

#include "core/base/error.hpp"
#include "core/base/failpoint.hpp"
#include "core/base/text.hpp"

namespace regnet {

namespace fs = std::filesystem;

namespace {

// stat() first: opening a FIFO would block, and /dev/zero never ends.
void check_readable(const std::string& path, std::uintmax_t limit) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail(path, "", std::string("cannot open: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) fail(path, "", "is a directory, not a file");
  if (!S_ISREG(st.st_mode)) fail(path, "", "is not a regular file (a device, pipe or socket)");
  if (static_cast<std::uintmax_t>(st.st_size) > limit)
    fail(path, "",
         fmt::format("is {} bytes, over the limit of {} bytes for a file this tool reads", st.st_size, limit));
}

}  // namespace

std::string read_text_file(const std::string& path, std::uintmax_t limit) {
  check_readable(path, limit);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(path, "", std::string("cannot open: ") + std::strerror(errno));
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      fail(path, "", std::string("cannot read: ") + std::strerror(err));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > limit) {  // grew since stat()
      ::close(fd);
      fail(path, "", fmt::format("is over the limit of {} bytes for a file this tool reads", limit));
    }
  }
  ::close(fd);
  return out;
}

namespace {

// "line L, column C" (1-based) of byte `offset` of `text`.
std::string position_of(const std::string& text, size_t offset) {
  size_t line = 1, col = 1;
  const size_t end = std::min(offset, text.size());
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

// Offset of the bracket that opens nesting level `limit` + 1 (brackets in strings do not count);
// only called once the parser has found one, to say where.
size_t too_deep_offset(const std::string& text, size_t limit) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return text.size();
}

// nlohmann says "[json.exception.parse_error.101] parse error at line L, column C: REASON";
// keep REASON, the position is ours. REASON ends "; last read: 'TOKEN'", and TOKEN can be a
// whole string of the file: cut it.
std::string syntax_reason(const std::string& what) {
  const auto pos = what.find("parse error");
  if (pos == std::string::npos) return shorten(what);
  const auto colon = what.find(": ", pos);
  std::string reason = colon != std::string::npos ? what.substr(colon + 2) : what.substr(pos);
  const std::string mark = "; last read: '";
  const auto at = reason.find(mark);
  if (at == std::string::npos) return reason;
  std::string token = reason.substr(at + mark.size());
  if (!token.empty() && token.back() == '\'') token.pop_back();
  return reason.substr(0, at + mark.size()) + shorten(token) + "'";
}

// Builds the value as nlohmann's own parser does, knowing the field path of the value being read
// (for "base_lr: number 1e400 is out of range") and the nesting depth (bounded).
class Reader final : public nlohmann::json::json_sax_t {
 public:
  Reader(const std::string& text, const std::string& where) : text_(text), where_(where) {}
  nlohmann::json result;

  bool null() override { return put(nullptr); }
  bool boolean(bool v) override { return put(v); }
  bool number_integer(number_integer_t v) override { return put(v); }
  bool number_unsigned(number_unsigned_t v) override { return put(v); }
  bool number_float(number_float_t v, const string_t&) override { return put(v); }
  bool string(string_t& v) override { return put(std::move(v)); }
  bool binary(binary_t& v) override { return put(nlohmann::json::binary(std::move(v))); }
  bool start_object(std::size_t) override { return open(nlohmann::json::object()); }
  bool start_array(std::size_t) override { return open(nlohmann::json::array()); }
  bool key(string_t& k) override {
    key_ = k;
    return true;
  }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool parse_error(std::size_t position, const std::string& token, const nlohmann::json::exception& e) override {
    if (e.id == 406) fail(where_, shorten(field()), "number " + shorten(token) + " is out of range (beyond +-1.8e308)");
    fail(where_, "",
         "invalid JSON at " + position_of(text_, position == 0 ? 0 : position - 1) + ": " + syntax_reason(e.what()));
  }

 private:
  // The path segment of the next value: "[3]" in an array, ".key" in an object.
  std::string segment() const {
    if (open_.empty()) return "";
    const nlohmann::json& top = *open_.back();
    return top.is_array() ? "[" + std::to_string(top.size()) + "]" : "." + key_;
  }
  std::string field() const {
    std::string f;
    for (const auto& s : path_) f += s;
    f += segment();
    return !f.empty() && f[0] == '.' ? f.substr(1) : f;
  }
  // Where the next value goes: the root, the end of the open array, or the open object's key.
  nlohmann::json& slot() {
    if (open_.empty()) return result;
    nlohmann::json& top = *open_.back();
    if (!top.is_array()) return top[key_];
    top.push_back(nullptr);
    return top.back();
  }
  bool put(nlohmann::json v) {
    slot() = std::move(v);
    return true;
  }
  bool open(nlohmann::json empty) {
    if (open_.size() >= static_cast<size_t>(kMaxJsonDepth))
      fail(where_, "",
           "invalid JSON at " + position_of(text_, too_deep_offset(text_, open_.size())) +
               ": arrays/objects nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    path_.push_back(segment());
    nlohmann::json& s = slot();
    s = std::move(empty);
    open_.push_back(&s);  // stays valid: nothing is added to its parent while it is open
    return true;
  }
  bool close() {
    open_.pop_back();
    path_.pop_back();
    return true;
  }

  const std::string& text_;
  const std::string& where_;
  std::vector<nlohmann::json*> open_;  // the arrays and objects being filled, outermost first
  std::vector<std::string> path_;      // the segment of each open one
  std::string key_;
};

}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& where) {
  Reader reader(text, where);
  nlohmann::json::sax_parse(text, &reader);
  return std::move(reader.result);
}

std::string excerpt(const nlohmann::json& v) {
  return shorten(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

nlohmann::json read_json_file(const std::string& path) { return parse_json_text(read_text_file(path), path); }

namespace {

// The length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0.
size_t utf8_length(const std::string& s, size_t i) {
  const auto b = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  const unsigned c = b(0);
  if (c < 0x80) return 1;
  size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (n == 0) return 0;
  const unsigned lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80, hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
  if (b(1) < lo || b(1) > hi) return 0;
  for (size_t k = 2; k < n; ++k)
    if (b(k) < 0x80 || b(k) > 0xbf) return 0;
  return n;
}

int hex_digit(char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; }

// The byte the text \xNN at s[i] stands for, or -1.
int escaped_byte(const std::string& s, size_t i) {
  if (i + 3 >= s.size() || s[i] != '\\' || s[i + 1] != 'x') return -1;
  const int hi = hex_digit(s[i + 2]), lo = hex_digit(s[i + 3]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

bool holds_escape(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i)
    if (escaped_byte(s, i) >= 0) return true;
  return false;
}

// `s` with each byte that is not part of well-formed UTF-8, and each backslash, written as the
// text \xNN; a string that is UTF-8 and holds no such text stays as it is.
std::string utf8_escaped(const std::string& s) {
  if (is_utf8(s) && !holds_escape(s)) return s;
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const size_t n = s[i] == '\\' ? 0 : utf8_length(s, i);
    if (n == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i++]));
      continue;
    }
    out.append(s, i, n);
    i += n;
  }
  return out;
}

nlohmann::json utf8_escaped(const nlohmann::json& j) {
  if (j.is_string()) return utf8_escaped(j.get_ref<const std::string&>());
  if (j.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : j) out.push_back(utf8_escaped(v));
    return out;
  }
  if (!j.is_object()) return j;
  nlohmann::json out = nlohmann::json::object();
  for (auto it = j.begin(); it != j.end(); ++it) out[utf8_escaped(it.key())] = utf8_escaped(it.value());
  return out;
}

}  // namespace

bool is_utf8(const std::string& s) {
  for (size_t i = 0, n; i < s.size(); i += n)
    if ((n = utf8_length(s, i)) == 0) return false;
  return true;
}

std::string json_text(const nlohmann::json& j, int indent) { return utf8_escaped(j).dump(indent); }

std::string stored_text(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const int byte = escaped_byte(s, i);
    if (byte < 0) {
      out += s[i];
      continue;
    }
    out += static_cast<char>(byte);
    i += 3;
  }
  return out;
}

std::string temporary_path(const std::string& path) {
  constexpr size_t kNameMax = 255;  // NAME_MAX: a long name is cut, not refused
  const fs::path p(path);
  const std::string suffix = ".tmp." + std::to_string(::getpid());
  std::string name = p.filename().string();
  if (name.size() + suffix.size() > kNameMax) {  // the hash keeps two long names' temporaries apart
    const std::string hash = fmt::format("-{:016x}", std::hash<std::string>{}(name));
    name = name.substr(0, kNameMax - suffix.size() - hash.size()) + hash;
  }
  return (p.parent_path() / (name + suffix)).string();
}

namespace {

// Writes content to the temporary file of `path` and fsyncs it; returns its name. Errors name `path`.
std::string write_temporary(const std::string& path, const std::string& content) {
  const std::string tmp = temporary_path(path);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "", std::string("cannot write: ") + std::strerror(errno));
  auto give_up = [&](int err) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    fail(path, "", std::string("cannot write: ") + std::strerror(err));
  };
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) give_up(errno);
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) give_up(errno);
  const int closed = ::close(fd);
  fd = -1;
  if (closed != 0) give_up(errno);
  return tmp;
}

}  // namespace

void write_files_atomic(const std::vector<std::pair<std::string, std::string>>& files, const char* failpoint_name) {
  std::vector<std::string> tmps;
  try {
    for (const auto& [path, content] : files) tmps.push_back(write_temporary(path, content));
    if (failpoint_name) failpoint(failpoint_name);
  } catch (...) {
    for (const auto& t : tmps) ::unlink(t.c_str());
    throw;
  }
  for (size_t i = 0; i < files.size(); ++i)
    if (::rename(tmps[i].c_str(), files[i].first.c_str()) != 0) {
      const int err = errno;
      for (size_t k = i; k < tmps.size(); ++k) ::unlink(tmps[k].c_str());
      fail(files[i].first, "", std::string("cannot rename into place: ") + std::strerror(err));
    }
}

void write_file_atomic(const std::string& path, const std::string& content, const char* failpoint_name) {
  write_files_atomic({{path, content}}, failpoint_name);
}

void write_json_atomic(const std::string& path, const nlohmann::json& j, const char* failpoint_name) {
  write_file_atomic(path, json_text(j) + "\n", failpoint_name);
}

void check_known_fields(const nlohmann::json& j, const std::vector<std::string>& known, const std::string& where,
                        const std::string& path) {
  if (!j.is_object()) return;  // the caller's own type check names what it should be
  for (auto it = j.begin(); it != j.end(); ++it)
    if (std::find(known.begin(), known.end(), it.key()) == known.end())
      fail(where, path + shorten(it.key()), "unknown field (known: " + join(known, ", ") + ")");
}

const nlohmann::json& require(const nlohmann::json& j, const std::string& field, const std::string& where) {
  if (!j.is_object()) fail(where, "", "expected a JSON object, got " + excerpt(j));
  auto it = j.find(field);
  if (it == j.end()) fail(where, field, "missing");
  return *it;
}

int as_int(const nlohmann::json& v, const std::string& field, const std::string& where) {
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(std::numeric_limits<int>::max()))
    fail(where, field, excerpt(v) + " is out of range");  // 2^64 - 1 read as long long would be -1
  if (v.is_number_integer()) {
    auto x = v.get<long long>();
    if (x < std::numeric_limits<int>::min() || x > std::numeric_limits<int>::max())
      fail(where, field, excerpt(v) + " is out of range");
    return static_cast<int>(x);
  }
  if (v.is_number_float()) {
    double x = v.get<double>();
    if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 2e9) return static_cast<int>(x);
    fail(where, field, excerpt(v) + " is not an integer");
  }
  fail(where, field, excerpt(v) + " is not an integer");
}

double as_double(const nlohmann::json& v, const std::string& field, const std::string& where) {
  if (!v.is_number()) fail(where, field, excerpt(v) + " is not a number");
  double x = v.get<double>();
  if (!std::isfinite(x)) fail(where, field, excerpt(v) + " is not finite");
  return x;
}

int get_int(const nlohmann::json& j, const std::string& field, const std::string& where) {
  return as_int(require(j, field, where), field, where);
}
std::uint64_t get_uint64(const nlohmann::json& j, const std::string& field, const std::string& where) {
  const nlohmann::json& v = require(j, field, where);
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  // A value built in code ({"seed", 1}) is a signed integer; a parsed 1 is unsigned.
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(v.get<std::int64_t>());
  if (v.is_number_integer()) fail(where, field, excerpt(v) + " must be >= 0");
  fail(where, field, excerpt(v) + " is not a whole number");
}
int get_int(const nlohmann::json& j, const std::string& field, const std::string& where, int fallback) {
  return j.contains(field) ? get_int(j, field, where) : fallback;
}
std::int64_t get_int64(const nlohmann::json& j, const std::string& field, const std::string& where,
                       std::int64_t fallback) {
  if (!j.contains(field)) return fallback;
  const nlohmann::json& v = j.at(field);
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
    fail(where, field, excerpt(v) + " is out of range");
  if (!v.is_number_integer()) fail(where, field, excerpt(v) + " is not an integer");
  return v.get<std::int64_t>();
}
bool get_bool(const nlohmann::json& j, const std::string& field, const std::string& where, bool fallback) {
  if (!j.contains(field)) return fallback;
  if (!j.at(field).is_boolean()) fail(where, field, excerpt(j.at(field)) + " is not true or false");
  return j.at(field).get<bool>();
}
double get_double(const nlohmann::json& j, const std::string& field, const std::string& where) {
  return as_double(require(j, field, where), field, where);
}
double get_double(const nlohmann::json& j, const std::string& field, const std::string& where, double fallback) {
  return j.contains(field) ? get_double(j, field, where) : fallback;
}
std::string get_string(const nlohmann::json& j, const std::string& field, const std::string& where) {
  const auto& v = require(j, field, where);
  if (!v.is_string()) fail(where, field, excerpt(v) + " is not a string");
  return v.get<std::string>();
}
std::string get_string(const nlohmann::json& j, const std::string& field, const std::string& where,
                       const std::string& fallback) {
  return j.contains(field) ? get_string(j, field, where) : fallback;
}

std::vector<int> get_int_array(const nlohmann::json& j, const std::string& field, const std::string& where) {
  const auto& v = require(j, field, where);
  if (!v.is_array()) fail(where, field, excerpt(v) + " is not an array");
  std::vector<int> out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(as_int(v[i], field + "[" + std::to_string(i) + "]", where));
  return out;
}

std::vector<double> get_double_array(const nlohmann::json& j, const std::string& field, const std::string& where) {
  const auto& v = require(j, field, where);
  if (!v.is_array()) fail(where, field, excerpt(v) + " is not an array");
  std::vector<double> out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(as_double(v[i], field + "[" + std::to_string(i) + "]", where));
  return out;
}

}  // namespace regnet
