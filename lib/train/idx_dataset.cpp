// IDX files (Fashion-MNIST, MNIST), gzip or plain, read into memory.
#include <cstring>
#include <filesystem>

#include <zlib.h>

#include "core/base/error.hpp"
#include "core/formats/idx_format.hpp"
#include "train/memory_dataset.hpp"

namespace fs = std::filesystem;

namespace regnet::train {

namespace {

// Reads a whole file, gzip or plain (zlib reads both).
std::vector<std::uint8_t> read_maybe_gz(const std::string& path) {
  std::vector<std::uint8_t> out;
  std::vector<std::uint8_t> buf(1 << 20);
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) fail(path, "", "cannot open");
  for (;;) {
    const int n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()));
    if (n < 0) {
      int err = 0;
      const std::string msg = gzerror(f, &err);
      gzclose(f);
      fail(path, "", "corrupt gzip data (" + msg + ")");
    }
    if (n == 0) break;
    out.insert(out.end(), buf.begin(), buf.begin() + n);
  }
  gzclose(f);
  return out;
}

// "ROOT/NAME.gz", else "ROOT/NAME"; a UserError naming both when neither exists.
std::string find_idx_file(const std::string& root, const std::string& name) {
  const std::string gz = root + "/" + name + ".gz";
  if (fs::exists(gz)) return gz;
  const std::string plain = root + "/" + name;
  if (fs::exists(plain)) return plain;
  fail(gz, "", "no such file (nor " + name + "); put the IDX files there or pass another --data-root");
}

torch::Tensor read_idx_images(const std::string& path) {
  const auto b = read_maybe_gz(path);
  const idx::Images x = idx::parse_images({b.data(), b.size()}, path);
  auto t = torch::empty({x.count, 1, x.rows, x.cols}, torch::kByte);
  std::memcpy(t.data_ptr(), x.pixels.data, x.pixels.size);
  return t;
}

torch::Tensor read_idx_labels(const std::string& path, std::int64_t expected) {
  const auto b = read_maybe_gz(path);
  const idx::Labels y = idx::parse_labels({b.data(), b.size()}, path);
  if (y.count != expected)
    fail(path, "", std::to_string(y.count) + " labels for " + std::to_string(expected) + " images");
  auto t = torch::empty({y.count}, torch::kLong);
  auto* p = t.data_ptr<std::int64_t>();
  for (std::uint32_t i = 0; i < y.count; ++i) p[i] = y.labels.data[i];
  return t;
}

}  // namespace

std::shared_ptr<Dataset> open_idx(const std::string& name, const std::string& root, const DataConfig& cfg) {
  auto trx = read_idx_images(find_idx_file(root, "train-images-idx3-ubyte"));
  auto try_ = read_idx_labels(find_idx_file(root, "train-labels-idx1-ubyte"), trx.size(0));
  auto tex = read_idx_images(find_idx_file(root, "t10k-images-idx3-ubyte"));
  auto tey = read_idx_labels(find_idx_file(root, "t10k-labels-idx1-ubyte"), tex.size(0));
  if (trx.size(2) != tex.size(2) || trx.size(3) != tex.size(3))
    fail(root, "", "training and test images differ in size");
  DatasetInfo info;
  info.name = name;
  info.root = root;
  return make_memory_dataset(std::move(info), trx, try_, tex, tey, cfg);
}

}  // namespace regnet::train
