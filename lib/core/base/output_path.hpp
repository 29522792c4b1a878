#pragma once
// Where a command writes (--out, --out-space, --out-specs), checked before any work: nothing is
// overwritten without --force, errors name the user's path and option (never a temporary name).
#include <string>

namespace regnet {

// UserError when `path` cannot be created because one of its existing ancestors is not a directory.
void check_output_parent(const std::string& path, const std::string& option);

// The file to write for the output `path` given as `option`. UserError for an empty path, a name
// ending in '/', a directory, an ancestor that is a file, or, without force, anything already
// there (a symbolic link too, even a dangling one). With force an existing file is replaced, and a
// symbolic link is kept: the file it points to is what is returned and written.
std::string output_file(const std::string& path, const std::string& option, bool force);

// A directory to write files into: absent (the caller creates it) or empty; with force, any
// existing directory. UserError otherwise (a file, a non-empty directory, an ancestor that is a file).
void check_output_dir(const std::string& path, const std::string& option, bool force);

// Creates the missing directories above `file`; UserError naming `option` when that fails.
void create_parent_dirs(const std::string& file, const std::string& option);

}  // namespace regnet
