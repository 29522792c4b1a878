// The ImageFolder layout scanned (train/image_folder.hpp): classes in sorted order with their
// labels, images sorted within a class, files without an image extension left out, the class and
// per-class limits, and the layouts it refuses. Scanning reads no image, so it needs no OpenCV.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "helpers.hpp"
#include "train/image_folder.hpp"

using namespace regnet;
using namespace regnet::train;
namespace fs = std::filesystem;

namespace {

void touch(const std::string& path) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << "x";
}

}  // namespace

TEST_CASE("image folder: image extensions in any case, nothing else", "[image_folder]") {
  for (const char* p : {"a.jpg", "a.JPEG", "dir.x/b.Png", "c.ppm", "d.bmp", "e.pgm", "f.tif", "g.TIFF", "h.webp"})
    CHECK(has_image_extension(p));
  for (const char* p : {"a.txt", "a.jpg.bak", "jpg", "noext", "a.gif", ".jpg/x", "a.svg"})
    CHECK_FALSE(has_image_extension(p));
}

TEST_CASE("image folder: classes sorted, labels their indices, images sorted, other files left out", "[image_folder]") {
  regnet::test::TempDir t;
  const std::string root = t.str();
  for (const char* f :
       {"train/n02/b.JPEG", "train/n02/a.png", "train/n01/z.jpg", "train/n01/notes.txt", "train/n03/1.jpeg",
        "train/n03/2.jpeg", "train/n03/3.jpeg", "val/n01/v.JPEG", "val/n03/w.jpg", "val/other/x.jpg"})
    touch(t / f);
  const ImageFolder f = scan_image_folder(root);
  CHECK(f.root == root);
  CHECK(f.classes == std::vector<std::string>{"n01", "n02", "n03"});
  CHECK(f.train.paths == std::vector<std::string>{t / "train/n01/z.jpg", t / "train/n02/a.png", t / "train/n02/b.JPEG",
                                                  t / "train/n03/1.jpeg", t / "train/n03/2.jpeg",
                                                  t / "train/n03/3.jpeg"});
  CHECK(f.train.labels == std::vector<std::int64_t>{0, 1, 1, 2, 2, 2});
  // val/ of a class that is not a training class is left out (with a warning); n02 has no val images.
  CHECK(f.val.paths == std::vector<std::string>{t / "val/n01/v.JPEG", t / "val/n03/w.jpg"});
  CHECK(f.val.labels == std::vector<std::int64_t>{0, 2});
  CHECK(f.ignored == std::vector<std::string>{t / "train/n01/notes.txt"});

  const ImageFolder limited = scan_image_folder(root, /*max_classes=*/2, /*per_class=*/1);
  CHECK(limited.classes == std::vector<std::string>{"n01", "n02"});
  CHECK(limited.train.paths == std::vector<std::string>{t / "train/n01/z.jpg", t / "train/n02/a.png"});
  CHECK(limited.val.paths == std::vector<std::string>{t / "val/n01/v.JPEG"});
}

TEST_CASE("image folder: layouts it cannot use are one error naming the directory", "[image_folder]") {
  regnet::test::TempDir t;
  const std::string root = t.str();
  CHECK_THROWS_WITH(scan_image_folder(root), Catch::StartsWith(t / "train") && Catch::Contains("no such directory"));
  fs::create_directories(t / "train");
  CHECK_THROWS_WITH(scan_image_folder(root), Catch::StartsWith(t / "val") && Catch::Contains("no such directory"));
  fs::create_directories(t / "val");
  CHECK_THROWS_WITH(scan_image_folder(root), Catch::Contains("holds no class directories"));
  touch(t / "train/a/readme.txt");
  CHECK_THROWS_AS(scan_image_folder(root), UserError);
  CHECK_THROWS_WITH(scan_image_folder(root), Catch::StartsWith(t / "train/a") && Catch::Contains("holds no images"));
  touch(t / "train/a/1.jpg");
  CHECK_THROWS_WITH(scan_image_folder(root),
                    Catch::StartsWith(t / "val") && Catch::Contains("holds no images of the training classes"));
  touch(t / "val/a/1.jpg");
  CHECK(scan_image_folder(root).val.paths.size() == 1);
}
