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

// Arrays and objects nest at most this deep in what we read: nlohmann::json copies, compares and
// prints recursively, so 100,000 nested '[' would overflow the stack.
constexpr int kMaxJsonDepth = 256;

// Parses a file (read_text_file); a syntax error names the line and column, a number beyond
// double range (1e400) names the field, deeper nesting than kMaxJsonDepth is an error. Throws UserError.
nlohmann::json read_json_file(const std::string& path);
// Parses text; `where` names its origin in errors.
nlohmann::json parse_json_text(const std::string& text, const std::string& where);

// A value as an error line shows it: compact JSON, cut after 60 bytes (at a character boundary)
// with "..." appended, so that a 3 MB value gives a short line.
std::string excerpt(const nlohmann::json& v);

// `j` as JSON text (indent as nlohmann's dump): every writer's one way to it. A string or key that
// is not UTF-8 (a file name in Latin-1, which the file system allows) is stored escaped, each such
// byte as the text \xNN, so that writing never fails on a name the user was allowed to choose.
// An escaped string has its backslashes as \x5c too, and a UTF-8 string that holds the text \xNN
// is escaped so: stored_text undoes it exactly.
std::string json_text(const nlohmann::json& j, int indent = 2);
// A string as json_text wrote it, back to the bytes it stood for (a path to follow again): every
// \xNN (lowercase hex) is that byte; a string with none is as it is.
std::string stored_text(const std::string& s);
// Whether `s` is well-formed UTF-8 (what JSON text can hold as it is).
bool is_utf8(const std::string& s);

// Writes to the temporary file of `path` (temporary_path), fsyncs, renames over `path`: a reader
// sees the old file or the new one, never half of one. Errors name `path`, never the temporary
// file. Replaces whatever `path` is (a symbolic link too): output_path.hpp decides first.
// `failpoint` (core/failpoint.hpp) names the moment between the complete temporary file and the
// rename, for chaos tests.
void write_file_atomic(const std::string& path, const std::string& content, const char* failpoint = nullptr);
void write_json_atomic(const std::string& path, const nlohmann::json& j, const char* failpoint = nullptr);
// Several files, all or nothing: every one is written to its temporary file first, and only then
// are they renamed into place (a failure before the renames leaves nothing behind).
void write_files_atomic(const std::vector<std::pair<std::string, std::string>>& files, const char* failpoint = nullptr);
// PATH.tmp.PID beside `path` (what sweep/tidy and sweep/worker_status recognise as a killed write's
// leftover); a name that would pass NAME_MAX (255 bytes) is cut and given a hash of the whole name,
// never refused.
std::string temporary_path(const std::string& path);

// Every key of the object `j` must be one of `known`: else UserError "where: PATH.KEY: unknown field
// (known: a, b, c)", the key shortened (text.hpp's shorten) and `path` ("parameters.", or "")
// put before it. The one check of every JSON reader that refuses fields it does not know.
void check_known_fields(const nlohmann::json& j, const std::vector<std::string>& known, const std::string& where,
                        const std::string& path = "");

// Field accessors: throw UserError("where: field: ...") on a missing field or wrong type/value.
const nlohmann::json& require(const nlohmann::json& j, const std::string& field, const std::string& where);
int get_int(const nlohmann::json& j, const std::string& field, const std::string& where);
// A whole number in [0, 2^64 - 1] (a seed): nothing else, not 2.0, "7" or -1.
std::uint64_t get_uint64(const nlohmann::json& j, const std::string& field, const std::string& where);
int get_int(const nlohmann::json& j, const std::string& field, const std::string& where, int fallback);
// A whole number in [-2^63, 2^63 - 1] (a step count): not 2.5, "7", null or 2^64 - 1.
std::int64_t get_int64(const nlohmann::json& j, const std::string& field, const std::string& where,
                       std::int64_t fallback);
double get_double(const nlohmann::json& j, const std::string& field, const std::string& where);
double get_double(const nlohmann::json& j, const std::string& field, const std::string& where, double fallback);
std::string get_string(const nlohmann::json& j, const std::string& field, const std::string& where);
std::string get_string(const nlohmann::json& j, const std::string& field, const std::string& where,
                       const std::string& fallback);
bool get_bool(const nlohmann::json& j, const std::string& field, const std::string& where, bool fallback);
std::vector<int> get_int_array(const nlohmann::json& j, const std::string& field, const std::string& where);
std::vector<double> get_double_array(const nlohmann::json& j, const std::string& field, const std::string& where);

// An integer-valued JSON number (2 or 2.0) as int, else UserError naming field and value.
int as_int(const nlohmann::json& v, const std::string& field, const std::string& where);
double as_double(const nlohmann::json& v, const std::string& field, const std::string& where);

}  // namespace regnet
