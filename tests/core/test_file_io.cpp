// Bounded reads and atomic writes (core/json_io.hpp): what is not a small regular file is one
// error naming it; a write leaves the old file or the new one, under the user's name only.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "temp_dir.hpp"

using namespace regnet;
using regnet::test::TempDir;
namespace fs = std::filesystem;

TEST_CASE("file io: reads refuse directories, devices, pipes and files over the limit", "[json_io]") {
  TempDir t;
  CHECK_THROWS_WITH(read_text_file("/dev/zero"), "/dev/zero: is not a regular file (a device, pipe or socket)");
  fs::create_directory(t / "d");
  CHECK_THROWS_WITH(read_json_file(t / "d"), t / "d" + ": is a directory, not a file");
  REQUIRE(::mkfifo((t / "p").c_str(), 0600) == 0);
  CHECK_THROWS_WITH(read_text_file(t / "p"), Catch::Contains("is not a regular file"));  // does not block
  CHECK_THROWS_WITH(read_text_file(t / "missing"), t / "missing" + ": cannot open: No such file or directory");
  std::ofstream(t / "f") << "0123456789";
  CHECK(read_text_file(t / "f") == "0123456789");
  CHECK(read_text_file(t / "f", 10) == "0123456789");
  CHECK_THROWS_WITH(read_text_file(t / "f", 9),
                    t / "f" + ": is 10 bytes, over the limit of 9 bytes for a file this tool reads");
  fs::resize_file(t / "f", kMaxReadBytes + 1);
  CHECK_THROWS_WITH(read_json_file(t / "f"), Catch::Contains("over the limit of 16777216 bytes"));
}

TEST_CASE("file io: a temporary name fits NAME_MAX, whatever the file's name", "[json_io]") {
  TempDir t;
  CHECK(temporary_path(t / "a.json") == t / "a.json" + ".tmp." + std::to_string(::getpid()));
  const std::string name(250, 'n');  // NAME_MAX is 255: "<name>.tmp.<pid>" would not fit
  const std::string path = t / name;
  const std::string tmp = temporary_path(path);
  CHECK(fs::path(tmp).parent_path() == t.path);
  CHECK(fs::path(tmp).filename().string().size() <= 255);
  CHECK(fs::path(tmp).filename().string().rfind(std::string(200, 'n'), 0) == 0);
  CHECK(temporary_path(path + ".json") != tmp);  // two long names that share their first 240 bytes
  write_file_atomic(path, "new");
  CHECK(read_text_file(path) == "new");
  int entries = 0;
  for (const auto& e : fs::directory_iterator(t.path)) entries += e.is_regular_file();
  CHECK(entries == 1);  // no temporary left
}

TEST_CASE("file io: several files are written all or none, errors name the user's file", "[json_io]") {
  TempDir t;
  std::ofstream(t / "a") << "old a";
  // The second cannot be written (its directory does not exist): neither changes, nothing is left.
  CHECK_THROWS_WITH(write_files_atomic({{t / "a", "new a"}, {t / "no/b", "new b"}}),
                    t / "no/b" + ": cannot write: No such file or directory");
  CHECK(read_text_file(t / "a") == "old a");
  int entries = 0;
  for (const auto& e : fs::directory_iterator(t.path)) entries += e.is_regular_file();
  CHECK(entries == 1);
  write_files_atomic({{t / "a", "new a"}, {t / "b", "new b"}});
  CHECK(read_text_file(t / "a") == "new a");
  CHECK(read_text_file(t / "b") == "new b");
}
