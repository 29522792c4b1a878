#pragma once
// Reading JSON with errors that name file, field and value; atomic writes.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace regnet {

// Arrays and objects nest at most this deep in what we read: nlohmann::json copies, compares and
// prints recursively, so 100,000 nested '[' would overflow the stack.
constexpr int kMaxJsonDepth = 256;

// Parses a file; a syntax error names the line and column, a number beyond double range (1e400)
// names the field, deeper nesting than kMaxJsonDepth is an error. Throws UserError.
nlohmann::json read_json_file(const std::string& path);
// Parses text; `where` names its origin in errors.
nlohmann::json parse_json_text(const std::string& text, const std::string& where);

// A value as an error line shows it: compact JSON, cut after 60 bytes (at a character boundary)
// with "..." appended, so that a 3 MB value gives a short line.
std::string excerpt(const nlohmann::json& v);

// Writes to `path`.tmp.<pid> in the same directory, fsyncs, renames over `path`:
// a reader sees the old file or the new one, never half of one. `failpoint` (core/failpoint.hpp)
// names the moment between the complete temporary file and the rename, for chaos tests.
void write_file_atomic(const std::string& path, const std::string& content, const char* failpoint = nullptr);
void write_json_atomic(const std::string& path, const nlohmann::json& j, const char* failpoint = nullptr);
std::string read_text_file(const std::string& path);

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
