#include "core/base/output_path.hpp"

#include <filesystem>
#include <fstream>

#include "core/base/error.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

// Where the symbolic link `link` finally points (relative targets are relative to the link's folder).
fs::path resolve_link(fs::path link, const std::string& option) {
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(link, ec))) return link;
    const fs::path target = fs::read_symlink(link, ec);
    if (ec) fail(link.string(), option, "cannot read the symbolic link: " + ec.message());
    link = target.is_absolute() ? target : link.parent_path() / target;
  }
  fail(link.string(), option, "too many levels of symbolic links");
}

void check_not_empty(const std::string& path, const std::string& option) {
  if (path.empty()) fail("", option, "is empty: give a path");
}

// fs::status of `p`, whose failures other than "not there" (a link loop, a name over 255 bytes, no
// permission) are UserErrors naming `path`: such a path can be neither checked nor written.
fs::file_status status_of(const fs::path& p, const std::string& path, const std::string& option, bool follow = true) {
  std::error_code ec;
  const fs::file_status st = follow ? fs::status(p, ec) : fs::symlink_status(p, ec);
  // status() sets ec for "not there" too (ENOENT, ENOTDIR), with the type not_found: not an error here.
  if (ec && st.type() != fs::file_type::not_found)
    fail(path, option, "cannot use '" + p.string() + "': " + ec.message());
  return st;
}

}  // namespace

fs::file_status path_status(const std::string& path, const std::string& option, bool follow) {
  return status_of(path, path, option, follow);
}

namespace {

// `p` absolute with links and ".." resolved as far as it exists; lexically normal where even that fails.
fs::path resolved(const fs::path& p) {
  std::error_code ec;
  const fs::path a = fs::absolute(p, ec);
  if (ec) return p.lexically_normal();
  const fs::path c = fs::weakly_canonical(a, ec);
  return ec ? a.lexically_normal() : c;
}

bool lies_in(const fs::path& inner, const fs::path& outer) {
  const fs::path rel = inner.lexically_relative(outer);
  return !rel.empty() && *rel.begin() != "..";
}

bool is_sweep(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "sweep.json", ec);
}

// The sweep directory `path` is or lies inside, as the user spelled it where possible, or "".
std::string enclosing_sweep(const std::string& path) {
  for (fs::path p = fs::path(path).lexically_normal(); !p.empty(); p = p.parent_path()) {
    if (is_sweep(p)) return p.string();
    if (p == p.parent_path()) break;
  }
  for (fs::path p = resolved(path); !p.empty(); p = p.parent_path()) {
    if (is_sweep(p)) return p.string();
    if (p == p.parent_path()) break;
  }
  return "";
}

}  // namespace

void check_apart_from_inputs(const std::string& path, const std::string& option,
                             const std::vector<std::string>& inputs) {
  const std::string sweep = enclosing_sweep(path);
  if (!sweep.empty())
    fail(path, option, "is inside the sweep directory " + sweep + ": write outside it (its records are data)");
  const fs::path out = resolved(path);
  for (const auto& in : inputs) {
    if (in.empty()) continue;
    const fs::path input = resolved(in);
    if (out == input) fail(path, option, "is the input " + in + ": write the output elsewhere");
    if (lies_in(out, input)) fail(path, option, "is inside the input " + in + ": write the output elsewhere");
  }
}

void check_output_parent(const std::string& path, const std::string& option) {
  for (fs::path p = fs::path(path).parent_path(); !p.empty(); p = p.parent_path()) {
    const fs::file_status st = status_of(p, path, option);
    if (fs::exists(st)) {
      if (!fs::is_directory(st)) fail(path, option, "'" + p.string() + "' is not a directory");
      return;
    }
    if (p == p.parent_path()) return;
  }
}

std::string output_file(const std::string& path, const std::string& option, bool force,
                        const std::vector<std::string>& inputs) {
  check_not_empty(path, option);
  if (path.back() == '/') fail(path, option, "names a directory; give a file name");
  const fs::file_status link = status_of(path, path, option, false);
  fs::path target = path;
  if (fs::is_symlink(link)) {
    target = resolve_link(path, option);
    if (!force)
      fail(path, option,
           "already exists as a symbolic link to '" + target.string() + "' (give --force to write to that file)");
  }
  const fs::file_status st = status_of(target, path, option);
  if (fs::is_directory(st)) fail(path, option, "is a directory; give a file name");
  if (fs::exists(st) && !force) fail(path, option, "already exists (give --force to replace it)");
  if (fs::exists(st) && !fs::is_regular_file(st)) fail(path, option, "exists and is not a regular file");
  check_output_parent(target.string(), option);
  check_apart_from_inputs(target.string() == path ? path : target.string(), option, inputs);
  return target.string();
}

void check_output_dir(const std::string& path, const std::string& option, bool force,
                      const std::vector<std::string>& inputs) {
  check_not_empty(path, option);
  check_apart_from_inputs(path, option, inputs);
  std::error_code ec;
  const fs::file_status st = status_of(path, path, option);
  if (!fs::exists(st)) {
    if (fs::is_symlink(fs::symlink_status(path, ec))) fail(path, option, "is a dangling symbolic link");
    check_output_parent(fs::path(path).lexically_normal().string(), option);
    return;
  }
  if (!fs::is_directory(st)) fail(path, option, "exists and is not a directory");
  if (!force && !fs::is_empty(path, ec))
    fail(path, option, "is a directory that is not empty (give --force to write into it)");
}

const char* const kManifestName = ".regnet-files";

std::vector<std::string> read_manifest(const std::string& dir) {
  std::ifstream in(fs::path(dir) / kManifestName);
  std::vector<std::string> files;
  for (std::string line; std::getline(in, line);) {
    const fs::path p = fs::path(line).lexically_normal();
    // Only names inside DIR: a manifest edited to say "../x" or "/etc/x" removes nothing there.
    if (line.empty() || p.is_absolute() || p.empty() || *p.begin() == ".." || p == ".") continue;
    files.push_back(p.string());
  }
  return files;
}

std::string manifest_text(const std::vector<std::string>& files) {
  std::string text;
  for (const auto& f : files) text += f + "\n";
  return text;
}

void create_parent_dirs(const std::string& file, const std::string& option) {
  const fs::path parent = fs::path(file).parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) fail(file, option, "cannot create directory '" + parent.string() + "': " + ec.message());
}

}  // namespace regnet
