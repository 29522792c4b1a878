// IDX files (Fashion-MNIST, MNIST), gzip or plain, read into memory.
#include <cstring>
#include <filesystem>

#include <zlib.h>

#include "core/error.hpp"
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

std::uint32_t be32(const std::vector<std::uint8_t>& b, size_t at) {
  return (std::uint32_t(b[at]) << 24) | (std::uint32_t(b[at + 1]) << 16) | (std::uint32_t(b[at + 2]) << 8) |
         std::uint32_t(b[at + 3]);
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
  if (b.size() < 16 || be32(b, 0) != 0x00000803) fail(path, "", "not an IDX image file (magic 0x00000803 expected)");
  const std::int64_t n = be32(b, 4), rows = be32(b, 8), cols = be32(b, 12);
  std::int64_t pixels = 0;  // n * rows * cols, which a hostile header can make overflow
  if (__builtin_mul_overflow(n, rows * cols, &pixels) || static_cast<std::int64_t>(b.size()) - 16 != pixels)
    fail(path, "", "corrupt: header says " + std::to_string(n) + " images of " + std::to_string(rows) + "x" +
                       std::to_string(cols) + " but the file holds " + std::to_string(b.size() - 16) + " bytes of pixels");
  if (n == 0) fail(path, "", "holds no images");
  auto t = torch::empty({n, 1, rows, cols}, torch::kByte);
  std::memcpy(t.data_ptr(), b.data() + 16, static_cast<size_t>(n * rows * cols));
  return t;
}

torch::Tensor read_idx_labels(const std::string& path, std::int64_t expected) {
  const auto b = read_maybe_gz(path);
  if (b.size() < 8 || be32(b, 0) != 0x00000801) fail(path, "", "not an IDX label file (magic 0x00000801 expected)");
  const std::int64_t n = be32(b, 4);
  if (static_cast<std::int64_t>(b.size()) - 8 != n) fail(path, "", "corrupt: header says " + std::to_string(n) + " labels, file holds " + std::to_string(b.size() - 8));
  if (n != expected)
    fail(path, "", std::to_string(n) + " labels for " + std::to_string(expected) + " images");
  auto t = torch::empty({n}, torch::kLong);
  auto* p = t.data_ptr<std::int64_t>();
  for (std::int64_t i = 0; i < n; ++i) p[i] = b[8 + i];
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
