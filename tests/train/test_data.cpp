// Datasets read back from small files written in the real formats (IDX, CIFAR-10 binary, JPEG).
#include <torch/torch.h>

#include <catch2/catch.hpp>

#include "core/base/error.hpp"
#include "helpers.hpp"
#include "train/data.hpp"
#include "train/data_impl.hpp"
#include "train/encoded_dataset.hpp"

#ifdef REGNET_WITH_OPENCV
#include <opencv2/imgcodecs.hpp>
#endif

using namespace regnet;
using namespace regnet::train;
using regnet::test::TempDir;

namespace {

std::vector<Batch> all_batches(Dataset& d, BatchOptions o) {
  std::vector<Batch> out;
  auto s = d.batches(o);
  Batch b;
  while (s->next(b)) out.push_back(b);
  CHECK(static_cast<std::int64_t>(out.size()) == s->num_batches());
  return out;
}

// Undo the normalization: pixel values in 0..255.
torch::Tensor pixels(const Batch& b, const DatasetInfo& info) {
  auto m = torch::tensor(info.mean).to(torch::kFloat).view({1, -1, 1, 1});
  auto s = torch::tensor(info.stdev).to(torch::kFloat).view({1, -1, 1, 1});
  return (b.images * s + m) * 255.0;
}

}  // namespace

TEST_CASE("data: IDX files (gzip and plain) read back exactly", "[data]") {
  TempDir dir;
  std::vector<std::uint8_t> px, lb;
  for (int i = 0; i < 10; ++i) {
    lb.push_back(static_cast<std::uint8_t>(i % 3));
    for (int p = 0; p < 4 * 5; ++p) px.push_back(static_cast<std::uint8_t>(i * 20 + p));
  }
  regnet::test::write_idx(dir / "train-images-idx3-ubyte", dir / "train-labels-idx1-ubyte", px, lb, 4, 5);
  regnet::test::write_idx(dir / "t10k-images-idx3-ubyte", dir / "t10k-labels-idx1-ubyte", px, lb, 4, 5);
  REQUIRE(std::system(("gzip -f " + (dir / "train-images-idx3-ubyte")).c_str()) == 0);  // one gz, three plain
  DataConfig cfg;
  cfg.source = "fashion-mnist";
  cfg.root = dir.str();
  auto d = open_dataset(cfg);
  const auto info = dataset_info(*d);
  CHECK(info.num_classes == 3);
  CHECK(info.channels == 1);
  CHECK(info.image_size == 4);  // rows
  CHECK(info.train_size == 10);
  CHECK(info.test_size == 10);
  CHECK(info.in_memory);
  BatchOptions o;
  o.split = Split::test;
  o.batch_size = 4;
  const auto batches = all_batches(*d, o);
  REQUIRE(batches.size() == 3);  // 4 + 4 + 2, test keeps the last partial batch
  CHECK(batches[2].images.sizes() == torch::IntArrayRef({2, 1, 4, 5}));
  auto got = torch::cat({pixels(batches[0], info), pixels(batches[1], info), pixels(batches[2], info)});
  auto want = torch::from_blob(px.data(), {10, 1, 4, 5}, torch::kByte).to(torch::kFloat);
  CHECK(torch::allclose(got, want, 0, 0.01));
  auto labels = torch::cat({batches[0].labels, batches[1].labels, batches[2].labels});
  CHECK(torch::equal(labels, torch::from_blob(lb.data(), {10}, torch::kByte).to(torch::kLong)));
  // Train split: drop_last keeps whole batches only; the shuffle is a permutation fixed by (seed, epoch).
  o.split = Split::train;
  o.shuffle = true;
  o.drop_last = true;
  const auto e0 = all_batches(*d, o);
  CHECK(e0.size() == 2);
  const auto e0_again = all_batches(*d, o);
  CHECK(torch::equal(e0[0].images, e0_again[0].images));
  o.epoch = 1;
  const auto e1 = all_batches(*d, o);
  CHECK(!torch::equal(torch::cat({e0[0].labels, e0[1].labels}), torch::cat({e1[0].labels, e1[1].labels})));
  // Limit: first N images only.
  o.limit = 4;
  o.shuffle = false;
  CHECK(all_batches(*d, o).size() == 1);
}

TEST_CASE("data: missing or corrupt IDX files name the file", "[data]") {
  TempDir dir;
  DataConfig cfg;
  cfg.source = "mnist";
  cfg.root = dir.str();
  CHECK_THROWS_WITH(open_dataset(cfg), Catch::Contains(dir / "train-images-idx3-ubyte.gz"));
  regnet::test::write_synthetic_idx(dir.str(), 8, 4, false);
  // Truncate the test images: the header promises more pixels than the file holds.
  std::filesystem::resize_file(dir / "t10k-images-idx3-ubyte", 16 + 28 * 28 * 3 + 5);
  CHECK_THROWS_AS(open_dataset(cfg), UserError);
  CHECK_THROWS_WITH(open_dataset(cfg), Catch::Contains(dir / "t10k-images-idx3-ubyte") && Catch::Contains("corrupt"));
  regnet::test::write_bytes(dir / "t10k-images-idx3-ubyte.gz", {0x1f, 0x8b, 8, 0, 1, 2, 3});
  CHECK_THROWS_WITH(open_dataset(cfg), Catch::Contains(dir / "t10k-images-idx3-ubyte.gz"));
  cfg.source = dir / "nope";
  CHECK_THROWS_AS(open_dataset(cfg), UserError);
}

TEST_CASE("data: synthetic IDX by path, subsets, resize, flip and crop augmentation", "[data]") {
  TempDir dir;
  regnet::test::write_synthetic_idx(dir.str(), 40, 10);
  DataConfig cfg;
  cfg.source = dir.str();  // a path: the layout is recognised
  auto d = open_dataset(cfg);
  auto info = dataset_info(*d);
  CHECK(info.num_classes == 2);
  CHECK(info.image_size == 28);
  CHECK(info.mean.size() == 1);
  BatchOptions o;
  o.batch_size = 40;
  const auto plain = all_batches(*d, o)[0];
  // flip: every image is the original or its mirror, and both occur.
  o.augment = "flip";
  const auto flipped = all_batches(*d, o)[0];
  int mirrored = 0;
  for (int i = 0; i < 40; ++i) {
    const bool same = torch::equal(flipped.images[i], plain.images[i]);
    const bool mirror = torch::equal(flipped.images[i], plain.images[i].flip({2}));
    CHECK((same || mirror));
    mirrored += mirror && !same;
  }
  CHECK(mirrored > 5);
  CHECK(mirrored < 35);
  // crop_flip: a shifted (zero-padded) copy: some image differs from the original and its mirror.
  o.augment = "crop_flip";
  const auto cropped = all_batches(*d, o)[0];
  CHECK(cropped.images.sizes() == plain.images.sizes());
  int shifted = 0;
  for (int i = 0; i < 40; ++i)
    shifted += !torch::equal(cropped.images[i], plain.images[i]) &&
               !torch::equal(cropped.images[i], plain.images[i].flip({2}));
  CHECK(shifted > 20);
  o.augment = "rrc_flip";
  CHECK(all_batches(*d, o)[0].images.sizes() == plain.images.sizes());
  // Subsets and resize.
  cfg.max_classes = 1;
  cfg.per_class = 7;
  cfg.image_size = 32;
  auto sub = open_dataset(cfg);
  info = dataset_info(*sub);
  CHECK(info.num_classes == 1);
  CHECK(info.train_size == 7);
  CHECK(info.test_size == 5);  // max_classes applies to the test split too, per_class does not
  CHECK(info.image_size == 32);
  o.augment = "none";
  CHECK(all_batches(*sub, o)[0].images.sizes() == torch::IntArrayRef({7, 1, 32, 32}));
}

TEST_CASE("data: CIFAR-10 binary batches read back", "[data]") {
  TempDir dir;
  auto write = [&](const std::string& name, int n, int offset) {
    std::vector<std::uint8_t> b;
    for (int i = 0; i < n; ++i) {
      b.push_back(static_cast<std::uint8_t>((i + offset) % 10));
      for (int p = 0; p < 3072; ++p) b.push_back(static_cast<std::uint8_t>((p / 1024) * 80 + i + offset));
    }
    regnet::test::write_bytes(dir / name, b);
  };
  for (int k = 1; k <= 5; ++k) write("data_batch_" + std::to_string(k) + ".bin", 3, 3 * (k - 1));
  write("test_batch.bin", 4, 0);
  DataConfig cfg;
  cfg.source = "cifar10";
  cfg.root = dir.str();
  auto d = open_dataset(cfg);
  const auto info = dataset_info(*d);
  CHECK(info.train_size == 15);
  CHECK(info.test_size == 4);
  CHECK(info.channels == 3);
  CHECK(info.image_size == 32);
  CHECK(info.num_classes == 10);
  BatchOptions o;
  o.split = Split::train;
  o.batch_size = 15;
  const auto b = all_batches(*d, o)[0];
  const auto px = pixels(b, info);
  // Image i, channel c is the constant c*80 + i (planar R, G, B as in the file).
  for (int i : {0, 7, 14})
    for (int c = 0; c < 3; ++c) CHECK(px[i][c].mean().item<double>() == Approx(c * 80 + i).margin(0.01));
  CHECK(b.labels[14].item<std::int64_t>() == 4);
  std::filesystem::resize_file(dir / "data_batch_3.bin", 3073 * 2 + 100);
  CHECK_THROWS_WITH(open_dataset(cfg), Catch::Contains(dir / "data_batch_3.bin"));
  std::filesystem::remove(dir / "test_batch.bin");
  write("data_batch_3.bin", 3, 6);
  CHECK_THROWS_WITH(open_dataset(cfg), Catch::Contains(dir / "test_batch.bin"));
}

#ifdef REGNET_WITH_OPENCV
TEST_CASE("data: ImageFolder of JPEGs, decoded on threads, subsets, errors", "[data]") {
  TempDir dir;
  const std::vector<std::string> classes{"n01", "n02", "n03"};
  // Flat colours survive JPEG and resizing: class c's images are (40c+20, 200-50c, 90).
  for (size_t c = 0; c < classes.size(); ++c)
    for (const std::string split : {"train", "val"}) {
      std::filesystem::create_directories(dir.path / split / classes[c]);
      const int n = split == "train" ? 4 : 2;
      for (int i = 0; i < n; ++i) {
        cv::Mat img(30 + 7 * i, 45 - 3 * i, CV_8UC3, cv::Scalar(90, 200 - 50 * c, 40 * c + 20));  // BGR
        cv::imwrite((dir.path / split / classes[c] / ("img" + std::to_string(i) + ".JPEG")).string(), img);
      }
    }
  DataConfig cfg;
  cfg.source = "imagefolder";
  cfg.root = dir.str();
  cfg.image_size = 16;
  cfg.loader_threads = 2;
  auto d = open_dataset(cfg);
  const auto info = dataset_info(*d);
  CHECK(info.num_classes == 3);
  CHECK(info.channels == 3);
  CHECK(info.train_size == 12);
  CHECK(info.test_size == 6);
  CHECK(!info.in_memory);
  BatchOptions o;
  o.split = Split::test;
  o.batch_size = 4;
  const auto test = all_batches(*d, o);
  REQUIRE(test.size() == 2);
  CHECK(test[0].images.sizes() == torch::IntArrayRef({4, 3, 16, 16}));
  CHECK(test[0].images.is_contiguous(at::MemoryFormat::ChannelsLast));
  const auto px = pixels(test[0], info);
  CHECK(test[0].labels[2].item<std::int64_t>() == 1);
  CHECK(px[2][0].mean().item<double>() == Approx(60).margin(3));   // R of class 1
  CHECK(px[2][1].mean().item<double>() == Approx(150).margin(3));  // G
  CHECK(px[2][2].mean().item<double>() == Approx(90).margin(3));   // B
  // Train: random-resized crops are deterministic per (seed, epoch).
  o.split = Split::train;
  o.shuffle = true;
  o.augment = "rrc_flip";
  const auto a = all_batches(*d, o), b = all_batches(*d, o);
  REQUIRE(a.size() == 3);
  for (size_t i = 0; i < a.size(); ++i) CHECK(torch::equal(a[i].images, b[i].images));
  // Subset: first 2 classes, 1 image each.
  cfg.max_classes = 2;
  cfg.per_class = 1;
  const auto sub = dataset_info(*open_dataset(cfg));
  CHECK(sub.num_classes == 2);
  CHECK(sub.train_size == 2);
  CHECK(sub.test_size == 4);
  // A corrupt JPEG is skipped and counted (the batch is one short), or under strict an error
  // naming it, raised by the stream, not a crash of a loader thread.
  const std::string bad = (dir.path / "train" / "n01" / "img0.JPEG").string();
  regnet::test::write_bytes(bad, {0xff, 0xd8, 0xff, 0x00, 0x12});
  cfg.max_classes = 0;
  cfg.per_class = 0;
  auto broken = open_dataset(cfg);
  o.shuffle = false;
  const auto skipped = all_batches(*broken, o);
  REQUIRE(skipped.size() == 3);
  CHECK(skipped[0].images.size(0) == 3);
  CHECK(skipped[1].images.size(0) == 4);
  CHECK(unreadable_images(*broken) == 1);
  cfg.strict = true;
  auto strict = open_dataset(cfg);
  auto s = strict->batches(o);
  Batch batch;
  CHECK_THROWS_WITH(s->next(batch), Catch::Contains(bad));
  cfg.root = dir / "missing";
  CHECK_THROWS_WITH(open_dataset(cfg), Catch::Contains("train"));
}
#endif
