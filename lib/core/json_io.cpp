#include "core/json_io.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include "core/error.hpp"

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
    fail(path, "", fmt::format("is {} bytes, over the limit of {} bytes for a file this tool reads", st.st_size, limit));
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

std::string temporary_path(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  const fs::path parent = fs::path(path).parent_path();
  const std::string name = fmt::format(".regnet-tmp-{}-{}", ::getpid(), counter++);
  return (parent / name).string();
}

namespace {

// Writes content to a new temporary file beside `path` and fsyncs it; returns its name. Errors name `path`.
std::string write_temporary(const std::string& path, const std::string& content) {
  const std::string tmp = temporary_path(path);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
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

void write_files_atomic(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::string> tmps;
  try {
    for (const auto& [path, content] : files) tmps.push_back(write_temporary(path, content));
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

void write_file_atomic(const std::string& path, const std::string& content) { write_files_atomic({{path, content}}); }

void write_json_atomic(const std::string& path, const nlohmann::json& j) { write_file_atomic(path, j.dump(2) + "\n"); }

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
