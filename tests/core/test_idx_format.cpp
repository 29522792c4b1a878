// The IDX format of (Fashion-)MNIST: a file parses to its header and views of its bytes; a wrong
// magic, a short or long file, a count whose product overflows or no images is one UserError
// naming the file.
#include <catch2/catch.hpp>

#include "core/base/error.hpp"
#include "core/formats/idx_format.hpp"

using namespace regnet;

namespace {

void put_be32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
}

std::vector<std::uint8_t> images_file(std::uint32_t count, std::uint32_t rows, std::uint32_t cols, std::size_t bytes) {
  std::vector<std::uint8_t> b;
  for (std::uint32_t v : {idx::kImagesMagic, count, rows, cols}) put_be32(b, v);
  for (std::size_t i = 0; i < bytes; ++i) b.push_back(static_cast<std::uint8_t>(i));
  return b;
}

idx::Images images(const std::vector<std::uint8_t>& b) { return idx::parse_images({b.data(), b.size()}, "x-idx3"); }
idx::Labels labels(const std::vector<std::uint8_t>& b) { return idx::parse_labels({b.data(), b.size()}, "x-idx1"); }

}  // namespace

TEST_CASE("idx format: images and labels parse to views of their bytes", "[idx]") {
  const auto f = images_file(3, 2, 4, 24);
  const idx::Images x = images(f);
  CHECK((x.count == 3 && x.rows == 2 && x.cols == 4));
  REQUIRE(x.pixels.size == 24);
  CHECK(x.pixels.data == f.data() + 16);
  CHECK(x.pixels.data[23] == 23);

  std::vector<std::uint8_t> l;
  for (std::uint32_t v : {idx::kLabelsMagic, 3u}) put_be32(l, v);
  l.insert(l.end(), {7, 0, 9});
  const idx::Labels y = labels(l);
  REQUIRE(y.count == 3);
  CHECK(y.labels.data[0] == 7);
  CHECK(y.labels.data[2] == 9);
}

TEST_CASE("idx format: damage is one error naming the file", "[idx]") {
  auto expect_images = [](const std::vector<std::uint8_t>& f, const std::string& what) {
    CHECK_THROWS_WITH(images(f), Catch::StartsWith("x-idx3") && Catch::Contains(what));
  };
  expect_images({}, "not an IDX image file");
  expect_images(std::vector<std::uint8_t>(10, 0), "not an IDX image file");
  auto labels_magic = images_file(1, 2, 2, 4);
  labels_magic[3] = 0x01;
  expect_images(labels_magic, "magic 0x00000803 expected");
  expect_images(images_file(3, 2, 4, 23), "header says 3 images of 2x4 but the file holds 23 bytes");
  expect_images(images_file(3, 2, 4, 25), "the file holds 25 bytes");
  // 2^32-1 images of 2^32-1 x 2^32-1: the product overflows 64 bits.
  expect_images(images_file(0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 8), "header says 4294967295 images");
  // 4 images of 2^31 x 2^31 = 2^64 pixels wraps to 0: caught as overflow, not read as an empty file.
  expect_images(images_file(4, 1u << 31, 1u << 31, 0), "header says 4 images of 2147483648x2147483648");
  expect_images(images_file(0, 28, 28, 0), "holds no images");
  expect_images(images_file(5, 0, 28, 0), "images of 0x28 pixels");

  std::vector<std::uint8_t> l;
  for (std::uint32_t v : {idx::kLabelsMagic, 4u}) put_be32(l, v);
  l.insert(l.end(), {1, 2, 3});
  CHECK_THROWS_WITH(labels(l), Catch::StartsWith("x-idx1") && Catch::Contains("header says 4 labels, file holds 3"));
  CHECK_THROWS_WITH(labels({0, 0, 8, 1}), Catch::Contains("not an IDX label file"));
  CHECK_THROWS_AS(labels(images_file(1, 1, 1, 1)), UserError);
}
