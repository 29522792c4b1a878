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

TEST_CASE("output path: an output is never an input, nor inside one or inside any sweep", "[output_path]") {
  TempDir t;
  fs::create_directories(t / "sweep/samples");
  std::ofstream(t / "sweep/sweep.json") << "{}";
  fs::create_directories(t / "images/train");
  std::ofstream(t / "images/train/a.jpg") << "x";
  // Inside a sweep, read or not, however spelled (a link, ".."), and whether forced or not.
  CHECK_THROWS_WITH(check_output_dir(t / "sweep/samples", "--out-specs", true),
                    Catch::Contains("--out-specs: is inside the sweep directory"));
  CHECK_THROWS_WITH(output_file(t / "sweep/sweep.json", "--out-space", true),
                    Catch::Contains("is inside the sweep directory"));
  CHECK_THROWS_WITH(output_file(t / "images/../sweep/new.json", "--out", false), Catch::Contains("sweep directory"));
  fs::create_directory_symlink(t / "sweep", t / "link");
  CHECK_THROWS_WITH(check_apart_from_inputs(t / "link/results/x", "--out"), Catch::Contains("sweep directory"));
  // An input folder or file: the output is neither it nor inside it.
  CHECK_THROWS_WITH(
      output_file(t / "images/train/a.jpg", "--out", true, {t / "images"}),
      t / "images/train/a.jpg" + ": --out: is inside the input " + t / "images" + ": write the output elsewhere");
  CHECK_THROWS_WITH(output_file(t / "images/train/a.jpg", "--out", true, {t / "images/train/a.jpg"}),
                    Catch::Contains("is the input"));
  CHECK(output_file(t / "beside.pack", "--out", false, {t / "images"}) == t / "beside.pack");
}

TEST_CASE("output path: a link loop or a name over 255 bytes is one line naming the path", "[output_path]") {
  TempDir t;
  fs::create_symlink(t / "loop", t / "loop");
  CHECK_THROWS_AS(output_file(t / "loop/x.json", "--out", false), UserError);
  CHECK_THROWS_WITH(check_output_dir(t / "loop", "--out", false), Catch::Contains(": --out: cannot use"));
  const std::string long_name = t / std::string(300, 'n');
  CHECK_THROWS_WITH(path_status(long_name, "--out"), Catch::Contains("File name too long"));
  CHECK_THROWS_AS(output_file(long_name + "/x", "--out", false), UserError);
}

TEST_CASE("output path: a manifest lists only names inside its directory", "[output_path]") {
  TempDir t;
  std::ofstream(t / kManifestName) << manifest_text({"index.html", "figures/a.csv"}) << "../x\n/etc/passwd\n\n.\n";
  CHECK(read_manifest(t.path.string()) == std::vector<std::string>{"index.html", "figures/a.csv"});
  CHECK(read_manifest(t / "none").empty());
}
