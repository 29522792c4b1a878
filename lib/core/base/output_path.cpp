#include "core/base/output_path.hpp"

#include <filesystem>

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

}  // namespace

void check_output_parent(const std::string& path, const std::string& option) {
  std::error_code ec;
  for (fs::path p = fs::path(path).parent_path(); !p.empty(); p = p.parent_path()) {
    const fs::file_status st = fs::status(p, ec);
    if (fs::exists(st)) {
      if (!fs::is_directory(st)) fail(path, option, "'" + p.string() + "' is not a directory");
      return;
    }
    if (p == p.parent_path()) return;
  }
}

std::string output_file(const std::string& path, const std::string& option, bool force) {
  check_not_empty(path, option);
  if (path.back() == '/') fail(path, option, "names a directory; give a file name");
  std::error_code ec;
  const fs::file_status link = fs::symlink_status(path, ec);
  fs::path target = path;
  if (fs::is_symlink(link)) {
    target = resolve_link(path, option);
    if (!force)
      fail(path, option,
           "already exists as a symbolic link to '" + target.string() + "' (give --force to write to that file)");
  }
  const fs::file_status st = fs::status(target, ec);
  if (fs::is_directory(st)) fail(path, option, "is a directory; give a file name");
  if (fs::exists(st) && !force) fail(path, option, "already exists (give --force to replace it)");
  if (fs::exists(st) && !fs::is_regular_file(st)) fail(path, option, "exists and is not a regular file");
  check_output_parent(target.string(), option);
  return target.string();
}

void check_output_dir(const std::string& path, const std::string& option, bool force) {
  check_not_empty(path, option);
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st)) {
    if (fs::is_symlink(fs::symlink_status(path, ec))) fail(path, option, "is a dangling symbolic link");
    check_output_parent(fs::path(path).lexically_normal().string(), option);
    return;
  }
  if (!fs::is_directory(st)) fail(path, option, "exists and is not a directory");
  if (!force && !fs::is_empty(path, ec))
    fail(path, option, "is a directory that is not empty (give --force to write into it)");
}

void create_parent_dirs(const std::string& file, const std::string& option) {
  const fs::path parent = fs::path(file).parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) fail(file, option, "cannot create directory '" + parent.string() + "': " + ec.message());
}

}  // namespace regnet
