#pragma once
// Where a command writes (--out, --out-space, --out-specs), checked before any work: nothing is
// overwritten without --force, an output never touches an input, errors name the user's path and
// option (never a temporary name), and filesystem failures (a link loop, a name over 255 bytes)
// are UserErrors naming the path.
#include <filesystem>
#include <string>
#include <vector>

namespace regnet {

// The status of `path` (links followed unless `follow` is false): "not there" is a status, any
// other failure (a link loop, a name over 255 bytes, no permission) a UserError naming `path` and
// `option`, never a filesystem_error (exit 3). Every reader and writer asks the file system this way.
std::filesystem::file_status path_status(const std::string& path, const std::string& option = "", bool follow = true);

// UserError when `path` cannot be created because one of its existing ancestors is not a directory.
void check_output_parent(const std::string& path, const std::string& option);

// The one rule that keeps outputs off inputs, applied by every check below: UserError (`option`) when
// `path` is one of `inputs` (files and directories the command reads), lies inside one, or lies
// inside any sweep directory (one with a sweep.json, read or not: its records are data). Links and
// ".." are resolved first, so no spelling of a path gets around it.
void check_apart_from_inputs(const std::string& path, const std::string& option,
                             const std::vector<std::string>& inputs = {});

// The file to write for the output `path` given as `option`. UserError for an empty path, a name
// ending in '/', a directory, an ancestor that is a file, or, without force, anything already
// there (a symbolic link too, even a dangling one). With force an existing file is replaced, and a
// symbolic link is kept: the file it points to is what is returned and written.
std::string output_file(const std::string& path, const std::string& option, bool force,
                        const std::vector<std::string>& inputs = {});

// A directory to write files into: absent (the caller creates it) or empty; with force, any
// existing directory. UserError otherwise (a file, a non-empty directory, an ancestor that is a file).
void check_output_dir(const std::string& path, const std::string& option, bool force,
                      const std::vector<std::string>& inputs = {});

// Files a command wrote into an output directory it shares with a user's files (DIR/.regnet-files,
// one path relative to DIR a line), so that replacing removes only what the tool wrote. Entries that
// leave DIR (absolute, "..") are ignored; a missing manifest lists nothing.
std::vector<std::string> read_manifest(const std::string& dir);
std::string manifest_text(const std::vector<std::string>& files);
extern const char* const kManifestName;

// Creates the missing directories above `file`; UserError naming `option` when that fails.
void create_parent_dirs(const std::string& file, const std::string& option);

}  // namespace regnet
