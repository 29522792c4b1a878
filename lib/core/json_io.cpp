#include "core/json_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/error.hpp"
#include "core/failpoint.hpp"

namespace regnet {

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "", std::string("cannot open: ") + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json parse_json_text(const std::string& text, const std::string& where) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // Byte offset -> line and column.
    size_t line = 1, col = 1;
    size_t end = std::min<size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    for (size_t i = 0; i < end; ++i) {
      if (text[i] == '\n') { ++line; col = 1; } else { ++col; }
    }
    // nlohmann says "[json.exception.parse_error.101] parse error at line L, column C: REASON";
    // keep REASON, the position is ours.
    std::string what = e.what();
    auto pos = what.find("parse error");
    if (pos != std::string::npos) {
      auto colon = what.find(": ", pos);
      what = colon != std::string::npos ? what.substr(colon + 2) : what.substr(pos);
    }
    fail(where, "", "invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(col) + ": " + what);
  }
}

nlohmann::json read_json_file(const std::string& path) { return parse_json_text(read_text_file(path), path); }

void write_file_atomic(const std::string& path, const std::string& content, const char* failpoint_name) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "", std::string("cannot write: ") + std::strerror(errno));
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      fail(path, "", std::string("cannot write: ") + std::strerror(err));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    fail(path, "", std::string("cannot write: ") + std::strerror(err));
  }
  if (failpoint_name) failpoint(failpoint_name);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    fail(path, "", std::string("cannot rename into place: ") + std::strerror(err));
  }
}

void write_json_atomic(const std::string& path, const nlohmann::json& j, const char* failpoint_name) {
  write_file_atomic(path, j.dump(2) + "\n", failpoint_name);
}

const nlohmann::json& require(const nlohmann::json& j, const std::string& field, const std::string& where) {
  if (!j.is_object()) fail(where, "", "expected a JSON object, got " + j.dump());
  auto it = j.find(field);
  if (it == j.end()) fail(where, field, "missing");
  return *it;
}

int as_int(const nlohmann::json& v, const std::string& field, const std::string& where) {
  if (v.is_number_integer()) {
    auto x = v.get<long long>();
    if (x < std::numeric_limits<int>::min() || x > std::numeric_limits<int>::max())
      fail(where, field, v.dump() + " is out of range");
    return static_cast<int>(x);
  }
  if (v.is_number_float()) {
    double x = v.get<double>();
    if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 2e9) return static_cast<int>(x);
    fail(where, field, v.dump() + " is not an integer");
  }
  fail(where, field, v.dump() + " is not an integer");
}

double as_double(const nlohmann::json& v, const std::string& field, const std::string& where) {
  if (!v.is_number()) fail(where, field, v.dump() + " is not a number");
  double x = v.get<double>();
  if (!std::isfinite(x)) fail(where, field, v.dump() + " is not finite");
  return x;
}

int get_int(const nlohmann::json& j, const std::string& field, const std::string& where) {
  return as_int(require(j, field, where), field, where);
}
int get_int(const nlohmann::json& j, const std::string& field, const std::string& where, int fallback) {
  return j.contains(field) ? get_int(j, field, where) : fallback;
}
double get_double(const nlohmann::json& j, const std::string& field, const std::string& where) {
  return as_double(require(j, field, where), field, where);
}
double get_double(const nlohmann::json& j, const std::string& field, const std::string& where, double fallback) {
  return j.contains(field) ? get_double(j, field, where) : fallback;
}
std::string get_string(const nlohmann::json& j, const std::string& field, const std::string& where) {
  const auto& v = require(j, field, where);
  if (!v.is_string()) fail(where, field, v.dump() + " is not a string");
  return v.get<std::string>();
}
std::string get_string(const nlohmann::json& j, const std::string& field, const std::string& where,
                       const std::string& fallback) {
  return j.contains(field) ? get_string(j, field, where) : fallback;
}

std::vector<int> get_int_array(const nlohmann::json& j, const std::string& field, const std::string& where) {
  const auto& v = require(j, field, where);
  if (!v.is_array()) fail(where, field, v.dump() + " is not an array");
  std::vector<int> out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(as_int(v[i], field + "[" + std::to_string(i) + "]", where));
  return out;
}

std::vector<double> get_double_array(const nlohmann::json& j, const std::string& field, const std::string& where) {
  const auto& v = require(j, field, where);
  if (!v.is_array()) fail(where, field, v.dump() + " is not an array");
  std::vector<double> out;
  for (size_t i = 0; i < v.size(); ++i)
    out.push_back(as_double(v[i], field + "[" + std::to_string(i) + "]", where));
  return out;
}

}  // namespace regnet
