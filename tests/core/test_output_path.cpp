// Output paths (core/output_path.hpp): nothing is overwritten without --force, a symbolic link is
// kept, and every error names the user's path and option.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/base/error.hpp"
#include "core/base/output_path.hpp"
#include "temp_dir.hpp"

using namespace regnet;
using regnet::test::TempDir;
namespace fs = std::filesystem;

TEST_CASE("output path: a new file is fine, what exists needs --force", "[output_path]") {
  TempDir t;
  CHECK(output_file(t / "new.pt", "--out", false) == t / "new.pt");
  CHECK(output_file(t / "sub/new.pt", "--out", false) == t / "sub/new.pt");  // parents are created later
  std::ofstream(t / "old.pt") << "keep";
  CHECK_THROWS_WITH(output_file(t / "old.pt", "--out", false),
                    t / "old.pt" + ": --out: already exists (give --force to replace it)");
  CHECK(output_file(t / "old.pt", "--out", true) == t / "old.pt");
  CHECK_THROWS_WITH(output_file("", "--out", true), "--out: is empty: give a path");
  fs::create_directory(t / "dir");
  CHECK_THROWS_WITH(output_file(t / "dir", "--out", true), t / "dir" + ": --out: is a directory; give a file name");
  CHECK_THROWS_WITH(output_file(t / "dir/", "--out", true), Catch::Contains("names a directory; give a file name"));
  CHECK_THROWS_WITH(output_file(t / "old.pt/x.pt", "--out", true),
                    t / "old.pt/x.pt" + ": --out: '" + t / "old.pt" + "' is not a directory");
  CHECK_THROWS_WITH(output_file("/dev/null", "--out", true), Catch::Contains("exists and is not a regular file"));
}

TEST_CASE("output path: a symbolic link is refused, or with --force its target is written", "[output_path]") {
  TempDir t;
  fs::create_symlink("target.pt", t / "link.pt");  // dangling, relative to the link's folder
  CHECK_THROWS_WITH(output_file(t / "link.pt", "--out", false),
                    t / "link.pt" + ": --out: already exists as a symbolic link to '" + t / "target.pt" +
                        "' (give --force to write to that file)");
  CHECK(output_file(t / "link.pt", "--out", true) == t / "target.pt");
  fs::create_symlink(t / "link.pt", t / "link2.pt");  // a chain
  CHECK(output_file(t / "link2.pt", "--out", true) == t / "target.pt");
  fs::create_symlink("loop", t / "loop");
  CHECK_THROWS_WITH(output_file(t / "loop", "--out", true), Catch::Contains("too many levels of symbolic links"));
}

TEST_CASE("output path: a directory of outputs must be new or empty unless --force", "[output_path]") {
  TempDir t;
  check_output_dir(t / "new", "--out-specs", false);
  fs::create_directory(t / "empty");
  check_output_dir(t / "empty", "--out-specs", false);
  fs::create_directory(t / "full");
  std::ofstream(t / "full/keep") << "keep";
  CHECK_THROWS_WITH(check_output_dir(t / "full", "--out-specs", false),
                    t / "full" + ": --out-specs: is a directory that is not empty (give --force to write into it)");
  check_output_dir(t / "full", "--out-specs", true);
  CHECK_THROWS_WITH(check_output_dir(t / "full/keep", "--out-specs", true),
                    t / "full/keep" + ": --out-specs: exists and is not a directory");
  CHECK_THROWS_WITH(check_output_dir(t / "full/keep/sub", "--out-specs", false),
                    Catch::Contains("' is not a directory"));
  CHECK_THROWS_WITH(check_output_dir("", "--out-specs", false), "--out-specs: is empty: give a path");
  CHECK_THROWS_WITH(create_parent_dirs(t / "full/keep/sub/x", "--out"), Catch::Contains("cannot create directory"));
}
