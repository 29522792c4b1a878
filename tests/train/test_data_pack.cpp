// Packs made from small ImageFolders read back with the folder's classes, labels and pixels;
// raw packs; subsets; unreadable images counted or refused; nothing half-written.
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "core/base/error.hpp"
#include "core/base/mapped_file.hpp"
#include "core/formats/pack_format.hpp"
#include "helpers.hpp"
#include "train/batching.hpp"
#include "train/data.hpp"
#include "train/data_impl.hpp"
#include "train/encoded_dataset.hpp"
#include "train/pack_writer.hpp"

#ifdef REGNET_WITH_OPENCV
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace regnet;
using namespace regnet::train;
using regnet::test::TempDir;
namespace fs = std::filesystem;

namespace {

// Three classes of flat-coloured JPEGs (class c: RGB (40c+20, 200-50c, 90)) with a texture
// stripe, sizes varying, so crops, bounds and labels all show.
void write_folder(const fs::path& root, int train_per_class = 4, int val_per_class = 2) {
  for (int c = 0; c < 3; ++c)
    for (const std::string split : {"train", "val"}) {
      const fs::path dir = root / split / ("class" + std::to_string(c));
      fs::create_directories(dir);
      for (int i = 0; i < (split == "train" ? train_per_class : val_per_class); ++i) {
        cv::Mat img(40 + 9 * i, 60 - 5 * i, CV_8UC3, cv::Scalar(90, 200 - 50 * c, 40 * c + 20));  // BGR
        cv::line(img, {0, 5}, {img.cols - 1, 5}, cv::Scalar(255, 255, 255), 2);
        cv::imwrite((dir / ("img" + std::to_string(i) + ".JPEG")).string(), img);
      }
    }
}

std::vector<Batch> pass(Dataset& d, Split split, int batch = 4) {
  BatchOptions o;
  o.split = split;
  o.batch_size = batch;
  std::vector<Batch> out;
  auto s = d.batches(o);
  Batch b;
  while (s->next(b)) out.push_back(b);
  return out;
}

torch::Tensor cat_images(const std::vector<Batch>& v) {
  std::vector<torch::Tensor> t;
  for (const auto& b : v) t.push_back(b.images);
  return torch::cat(t);
}

torch::Tensor cat_labels(const std::vector<Batch>& v) {
  std::vector<torch::Tensor> t;
  for (const auto& b : v) t.push_back(b.labels);
  return torch::cat(t);
}

pack::Index read_index(const std::string& path) {
  MappedFile f(path);
  return pack::parse_pack(f.bytes(), path);
}

PackOptions options(const TempDir& dir, const std::string& out) {
  PackOptions o;
  o.folder = dir / "folder";
  o.out = dir / out;
  o.threads = 2;
  return o;
}

}  // namespace

TEST_CASE("data pack: a JPEG pack reads back with the folder's classes, labels and pixels", "[data]") {
  TempDir dir;
  write_folder(dir.path / "folder");
  PackOptions po = options(dir, "big.pack");
  po.max_side = 1000;  // every image within the bound: stored byte for byte
  const PackReport r = pack_folder(po);
  CHECK(r.train == 12);
  CHECK(r.val == 6);
  CHECK(r.copied == 18);
  CHECK(r.skipped == 0);
  CHECK(r.bytes == fs::file_size(po.out));
  const pack::Index x = read_index(po.out);
  CHECK(x.meta.classes == std::vector<std::string>{"class0", "class1", "class2"});
  CHECK(x.meta.source == po.folder);
  DataConfig fc;
  fc.source = dir / "folder";
  fc.image_size = 24;
  fc.loader_threads = 2;
  DataConfig pc = fc;
  pc.source = po.out;  // a .pack path
  auto folder = open_dataset(fc), packed = open_dataset(pc);
  const auto fi = dataset_info(*folder), pi = dataset_info(*packed);
  CHECK(pi.name == "big.pack");
  CHECK(pi.num_classes == fi.num_classes);
  CHECK(pi.train_size == fi.train_size);
  CHECK(pi.test_size == fi.test_size);
  CHECK(pi.image_size == 24);
  CHECK(pi.mean == fi.mean);
  for (Split s : {Split::train, Split::test}) {
    const auto a = pass(*folder, s), b = pass(*packed, s);
    CHECK(torch::equal(cat_labels(a), cat_labels(b)));
    CHECK(torch::equal(cat_images(a), cat_images(b)));  // the same bytes, decoded alike
  }
  // Training passes: the same crops too (same seeds, same image sizes).
  BatchOptions o;
  o.batch_size = 5;
  o.shuffle = true;
  o.augment = "rrc_flip";
  o.epoch = 3;
  Batch ba, bb;
  auto sa = folder->batches(o), sb = packed->batches(o);
  while (sa->next(ba)) {
    REQUIRE(sb->next(bb));
    CHECK(torch::equal(ba.images, bb.images));
    CHECK(torch::equal(ba.labels, bb.labels));
  }
  // Subsets: the same images as the folder's.
  fc.max_classes = pc.max_classes = 2;
  fc.per_class = pc.per_class = 3;
  const auto fs2 = dataset_info(*open_dataset(fc)), ps2 = dataset_info(*open_dataset(pc));
  CHECK(ps2.num_classes == 2);
  CHECK(ps2.train_size == 6);
  CHECK(ps2.train_size == fs2.train_size);
  CHECK(ps2.test_size == fs2.test_size);
  // `pack` names the file as root; an existing file is not replaced without force.
  DataConfig named;
  named.source = "pack";
  named.root = po.out;
  CHECK(dataset_info(*open_dataset(named)).train_size == 12);
  CHECK_THROWS_WITH(pack_folder(po), Catch::Contains("exists"));
  po.force = true;
  CHECK(pack_folder(po).train == 12);
}

TEST_CASE("data pack: bounded JPEG payloads and raw packs", "[data]") {
  TempDir dir;
  write_folder(dir.path / "folder");
  PackOptions po = options(dir, "small.pack");
  po.max_side = 24;
  const PackReport r = pack_folder(po);
  CHECK(r.copied == 0);
  const pack::Index x = read_index(po.out);
  CHECK(x.header.bound == pack::Bound::max_side);
  CHECK(x.header.quality == 90);
  for (const auto& rec : x.records) CHECK(std::max(rec.width, rec.height) == 24);
  po.out = dir / "short.pack";
  po.max_side = 0;
  po.short_side = 30;
  pack_folder(po);
  for (const auto& rec : read_index(po.out).records) CHECK(std::min(rec.width, rec.height) <= 30);
  // Raw: 16x16 RGB of the centred square; test pixels keep each class's flat colour.
  po.out = dir / "raw.pack";
  po.short_side = 0;
  po.size = 16;
  pack_folder(po);
  const pack::Index raw = read_index(po.out);
  CHECK(raw.header.encoding == pack::Encoding::raw);
  for (const auto& rec : raw.records) CHECK(rec.size == 16 * 16 * 3);
  DataConfig rc;
  rc.source = po.out;
  auto d = open_dataset(rc);
  const auto info = dataset_info(*d);
  CHECK(info.image_size == 16);
  CHECK(!info.in_memory);
  const auto test = pass(*d, Split::test, 6);
  const auto labels = cat_labels(test);
  auto px =
      (cat_images(test) * torch::tensor(info.stdev).view({1, 3, 1, 1}) + torch::tensor(info.mean).view({1, 3, 1, 1})) *
      255.0;
  for (int i = 0; i < 6; ++i) {
    const auto c = labels[i].item<std::int64_t>();
    const auto centre = px[i].slice(1, 10, 16);  // below the stripe
    CHECK(centre[0].mean().item<double>() == Approx(40 * c + 20).margin(3));
    CHECK(centre[1].mean().item<double>() == Approx(200 - 50 * c).margin(3));
  }
  // Training augmentations on the device; another size is resized there.
  BatchOptions o;
  o.batch_size = 12;
  for (const char* aug : {"flip", "crop_flip", "rrc_flip"}) {
    o.augment = aug;
    Batch b;
    REQUIRE(d->batches(o)->next(b));
    CHECK(b.images.sizes() == torch::IntArrayRef({12, 3, 16, 16}));
  }
  rc.image_size = 20;
  Batch b;
  REQUIRE(open_dataset(rc)->batches(o)->next(b));
  CHECK(b.images.sizes() == torch::IntArrayRef({12, 3, 20, 20}));
}

TEST_CASE("data pack: unreadable images are counted and skipped, or refused under strict", "[data]") {
  TempDir dir;
  write_folder(dir.path / "folder");
  const fs::path bad = dir.path / "folder" / "train" / "class1" / "img2.JPEG";
  regnet::test::write_bytes(bad.string(), {0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F'});
  regnet::test::write_bytes((dir.path / "folder" / "train" / "class1" / "README.txt").string(), {'h', 'i'});
  // Grayscale and RGBA PNG images are fine.
  cv::imwrite((dir.path / "folder" / "train" / "class0" / "gray.jpg").string(),
              cv::Mat(20, 30, CV_8UC1, cv::Scalar(77)));
  cv::imwrite((dir.path / "folder" / "train" / "class2" / "rgba.png").string(),
              cv::Mat(20, 30, CV_8UC4, cv::Scalar(1, 2, 3, 4)));
  PackOptions po = options(dir, "skip.pack");
  const PackReport r = pack_folder(po);
  CHECK(r.train == 13);  // 12 + 2 new - 1 corrupt; the .txt is no image
  CHECK(r.skipped == 1);
  const pack::Index x = read_index(po.out);
  CHECK(x.meta.skipped == 1);
  REQUIRE(x.meta.skipped_examples.size() == 1);
  CHECK_THAT(x.meta.skipped_examples[0], Catch::Contains(bad.string()));
  // Strict: an error naming the image, and no file (nor a temporary one) left behind.
  po.out = dir / "strict.pack";
  po.strict = true;
  CHECK_THROWS_AS(pack_folder(po), UserError);
  CHECK_THROWS_WITH(pack_folder(po), Catch::Contains(bad.string()));
  CHECK(!fs::exists(po.out));
  for (const auto& e : fs::directory_iterator(dir.path))
    CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
  // A class whose only images are unreadable cannot be packed; an empty class not even scanned.
  for (const auto& e : fs::directory_iterator(dir.path / "folder" / "train" / "class2"))
    regnet::test::write_bytes(e.path().string(), {1, 2, 3});
  po.strict = false;
  CHECK_THROWS_WITH(pack_folder(po), Catch::Contains("class2") && Catch::Contains("none of its images"));
  for (const auto& e : fs::directory_iterator(dir.path / "folder" / "train" / "class2")) fs::remove(e.path());
  CHECK_THROWS_WITH(pack_folder(po), Catch::Contains("class2") && Catch::Contains("holds no images"));
  CHECK(!fs::exists(po.out));
  // Bad options.
  po.max_side = 10;
  po.size = 10;
  CHECK_THROWS_WITH(pack_folder(po), Catch::Contains("one of them"));
  po.size = 0;
  po.quality = 101;
  CHECK_THROWS_WITH(pack_folder(po), Catch::Contains("--quality"));
}

TEST_CASE("data pack: truncated or foreign packs are refused by the dataset opener, naming the file", "[data]") {
  TempDir dir;
  write_folder(dir.path / "folder", 2, 1);
  PackOptions po = options(dir, "t.pack");
  pack_folder(po);
  DataConfig c;
  c.source = po.out;
  fs::resize_file(po.out, fs::file_size(po.out) - 7);
  CHECK_THROWS_WITH(open_dataset(c), Catch::StartsWith(po.out) && Catch::Contains("truncated"));
  regnet::test::write_bytes(po.out, {'n', 'o', 'p', 'e'});
  CHECK_THROWS_WITH(open_dataset(c), Catch::StartsWith(po.out));
  c.source = dir / "missing.pack";
  CHECK_THROWS_WITH(open_dataset(c), Catch::StartsWith(c.source));
}

TEST_CASE("data: flips on the device equal flips on the loader thread", "[data]") {
  auto x = torch::randint(0, 255, {4, 5, 6, 3}, torch::kByte);
  auto flips = torch::tensor(std::vector<std::uint8_t>{1, 0, 0, 1}).to(torch::kBool);
  auto y = flip_where(x, flips);
  CHECK(torch::equal(y[0], x[0].flip({1})));
  CHECK(torch::equal(y[1], x[1]));
  CHECK(torch::equal(y[3], x[3].flip({1})));
  HostBatch h{x, torch::arange(4), flips};
  BatchOptions o;
  o.channels_last = true;
  const Normalization n = normalization({0.5, 0.5, 0.5}, {0.25, 0.25, 0.25});
  const Batch b = to_device(h, o, n);
  CHECK(b.images.sizes() == torch::IntArrayRef({4, 3, 5, 6}));
  CHECK(b.images.is_contiguous(at::MemoryFormat::ChannelsLast));
  const auto back = (b.images * 0.25 + 0.5) * 255.0;
  CHECK(torch::allclose(back, y.permute({0, 3, 1, 2}).to(torch::kFloat), 0, 1e-3));
}
#endif
