#pragma once
// Reading JSON with errors that name file, field and value; atomic writes.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace regnet {

// Every file read is bounded: a directory, a device, a pipe, or a file over `limit` bytes is a
// UserError naming it, before anything is read.
constexpr std::uintmax_t kMaxReadBytes = 16u << 20;
std::string read_text_file(const std::string& path, std::uintmax_t limit = kMaxReadBytes);

// Parses a file (read_text_file); a syntax error names the line and column. Throws UserError.
nlohmann::json read_json_file(const std::string& path);
// Parses text; `where` names its origin in errors.
nlohmann::json parse_json_text(const std::string& text, const std::string& where);

// Writes to a temporary file in the same directory (temporary_path), fsyncs, renames over `path`:
// a reader sees the old file or the new one, never half of one. Errors name `path`, never the
// temporary file. Replaces whatever `path` is (a symbolic link too): output_path.hpp decides first.
void write_file_atomic(const std::string& path, const std::string& content);
void write_json_atomic(const std::string& path, const nlohmann::json& j);
// Several files, all or nothing: every one is written to its temporary file first, and only then
// are they renamed into place (a failure before the renames leaves nothing behind).
void write_files_atomic(const std::vector<std::pair<std::string, std::string>>& files);
// DIR/.regnet-tmp-PID-N beside `path`: short, whatever the length of path's own name.
std::string temporary_path(const std::string& path);

// Field accessors: throw UserError("where: field: ...") on a missing field or wrong type/value.
const nlohmann::json& require(const nlohmann::json& j, const std::string& field, const std::string& where);
int get_int(const nlohmann::json& j, const std::string& field, const std::string& where);
int get_int(const nlohmann::json& j, const std::string& field, const std::string& where, int fallback);
double get_double(const nlohmann::json& j, const std::string& field, const std::string& where);
double get_double(const nlohmann::json& j, const std::string& field, const std::string& where, double fallback);
std::string get_string(const nlohmann::json& j, const std::string& field, const std::string& where);
std::string get_string(const nlohmann::json& j, const std::string& field, const std::string& where,
                       const std::string& fallback);
std::vector<int> get_int_array(const nlohmann::json& j, const std::string& field, const std::string& where);
std::vector<double> get_double_array(const nlohmann::json& j, const std::string& field, const std::string& where);

// An integer-valued JSON number (2 or 2.0) as int, else UserError naming field and value.
int as_int(const nlohmann::json& v, const std::string& field, const std::string& where);
double as_double(const nlohmann::json& v, const std::string& field, const std::string& where);

}  // namespace regnet
