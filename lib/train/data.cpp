// Datasets: IDX (Fashion-MNIST, MNIST) and CIFAR-10 binary in memory; ImageFolder streamed
// through a bounded pool of OpenCV decoding threads.
#include "train/data.hpp"

#ifdef REGNET_WITH_ZLIB
#include <zlib.h>
#endif

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/error.hpp"
#include "train/data_impl.hpp"

#ifdef REGNET_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

namespace fs = std::filesystem;

namespace regnet::train {

std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b) {
  SplitMix64 r(a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull));
  return r.next();
}

std::string default_data_root(const std::string& source) {
  const char* env = std::getenv("REGNET_DATA_ROOT");
  const std::string base = env && *env ? env : "/usr/share/datasets";
  return base + "/" + source;
}

nlohmann::json to_json(const DatasetInfo& i) {
  return nlohmann::json{{"name", i.name},           {"root", i.root},
                        {"num_classes", i.num_classes}, {"channels", i.channels},
                        {"image_size", i.image_size}, {"train_size", i.train_size},
                        {"test_size", i.test_size}, {"in_memory", i.in_memory},
                        {"mean", i.mean},           {"std", i.stdev}};
}

DatasetInfo dataset_info(const Dataset& d) { return d.info(); }

namespace {

// ---------------------------------------------------------------- shared helpers

// The indices of one pass: the first `limit` of n, shuffled by (seed, epoch, split) if asked.
std::vector<std::int64_t> pass_order(std::int64_t n, const BatchOptions& o) {
  if (o.limit > 0) n = std::min(n, o.limit);
  std::vector<std::int64_t> order(n);
  for (std::int64_t i = 0; i < n; ++i) order[i] = i;
  if (o.shuffle) {
    SplitMix64 rng(mix_seed(mix_seed(o.seed, static_cast<std::uint64_t>(o.epoch)), static_cast<int>(o.split)));
    for (std::int64_t i = n - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
  }
  return order;
}

std::int64_t count_batches(std::int64_t n, const BatchOptions& o) {
  const std::int64_t full = n / o.batch_size;
  if (o.drop_last && full > 0) return full;
  return (n + o.batch_size - 1) / o.batch_size;
}

// uint8 [n, C, H, W] (any strides) -> normalized float on its device, channels_last if asked.
torch::Tensor normalize(const torch::Tensor& x_u8_or_float, const torch::Tensor& mean255,
                        const torch::Tensor& inv_std255, bool channels_last) {
  auto x = x_u8_or_float.to(torch::kFloat);  // callers pass a fresh tensor: in place is fine
  x.sub_(mean255).mul_(inv_std255);
  const auto fmt = channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
  return x.to(x.options(), false, false, fmt);
}

// Random-resized crop box (area U[0.08, 1] of the image, aspect U[3/4, 4/3] log-uniform), pycls's
// 10 attempts, else the largest centred square.
struct Box {
  double x0, y0, w, h;
};
Box random_resized_box(SplitMix64& rng, int width, int height) {
  const double area = static_cast<double>(width) * height;
  for (int attempt = 0; attempt < 10; ++attempt) {
    const double target = area * (0.08 + 0.92 * rng.uniform());
    const double log_ar = std::log(3.0 / 4.0) + (std::log(4.0 / 3.0) - std::log(3.0 / 4.0)) * rng.uniform();
    const double ar = std::exp(log_ar);
    const int w = static_cast<int>(std::lround(std::sqrt(target * ar)));
    const int h = static_cast<int>(std::lround(std::sqrt(target / ar)));
    if (w >= 1 && h >= 1 && w <= width && h <= height) {
      const double x0 = static_cast<double>(rng.below(width - w + 1));
      const double y0 = static_cast<double>(rng.below(height - h + 1));
      return {x0, y0, static_cast<double>(w), static_cast<double>(h)};
    }
  }
  const int s = std::min(width, height);
  return {(width - s) / 2.0, (height - s) / 2.0, static_cast<double>(s), static_cast<double>(s)};
}

// ---------------------------------------------------------------- in memory (IDX, CIFAR)

struct MemoryTensors {
  torch::Tensor train_x, train_y, test_x, test_y;  // uint8 [N, C, H, W], int64 [N]
  torch::Tensor mean255, inv_std255;               // float [1, C, 1, 1]
};

class MemoryStream : public BatchStream {
 public:
  MemoryStream(MemoryTensors t, const BatchOptions& o) : t_(std::move(t)), o_(o) {
    const bool train = o.split == Split::train;
    x_ = train ? t_.train_x : t_.test_x;
    y_ = train ? t_.train_y : t_.test_y;
    order_ = pass_order(x_.size(0), o);
    num_batches_ = count_batches(static_cast<std::int64_t>(order_.size()), o);
    num_images_ = std::min<std::int64_t>(num_batches_ * o.batch_size, static_cast<std::int64_t>(order_.size()));
    pass_seed_ = mix_seed(mix_seed(o.seed, static_cast<std::uint64_t>(o.epoch)), 1000 + static_cast<int>(o.split));
  }

  bool next(Batch& out) override {
    if (k_ >= num_batches_) return false;
    const std::int64_t start = k_ * o_.batch_size;
    const std::int64_t n = std::min<std::int64_t>(o_.batch_size, static_cast<std::int64_t>(order_.size()) - start);
    const auto dev = x_.device();
    auto idx = torch::from_blob(order_.data() + start, {n}, torch::kLong).to(dev);
    auto x = x_.index_select(0, idx);
    out.labels = y_.index_select(0, idx);
    SplitMix64 rng(mix_seed(pass_seed_, static_cast<std::uint64_t>(k_)));
    ++k_;
    const std::string& aug = o_.augment;
    if (aug == "flip" || aug == "crop_flip") {
      x = crop_flip(x, rng, aug == "crop_flip" ? 4 : 0);
    } else if (aug == "rrc_flip") {
      out.images = rrc_flip(x, rng);
      return true;
    }
    out.images = normalize(x, t_.mean255, t_.inv_std255, o_.channels_last);
    return true;
  }

 private:
  // Pad by `pad` (zeros), crop back to H x W at a random offset, flip half: one gather on uint8.
  static torch::Tensor crop_flip(const torch::Tensor& x, SplitMix64& rng, int pad) {
    const std::int64_t n = x.size(0), h = x.size(2), w = x.size(3);
    std::vector<std::int64_t> rows(n * h), cols(n * w);
    for (std::int64_t b = 0; b < n; ++b) {
      const std::int64_t dy = pad ? rng.below(2 * pad + 1) : 0;
      const std::int64_t dx = pad ? rng.below(2 * pad + 1) : 0;
      const bool flip = rng.uniform() < 0.5;
      for (std::int64_t i = 0; i < h; ++i) rows[b * h + i] = dy + i;
      for (std::int64_t j = 0; j < w; ++j) cols[b * w + j] = dx + (flip ? w - 1 - j : j);
    }
    const auto dev = x.device();
    auto p = pad ? torch::constant_pad_nd(x, {pad, pad, pad, pad}, 0) : x;
    auto bi = torch::arange(n, torch::TensorOptions().dtype(torch::kLong).device(dev)).view({n, 1, 1});
    auto ri = torch::from_blob(rows.data(), {n, h, 1}, torch::kLong).to(dev);
    auto ci = torch::from_blob(cols.data(), {n, 1, w}, torch::kLong).to(dev);
    using torch::indexing::Slice;
    // Advanced indices around a slice put the broadcast dims first: [n, h, w, C] -> [n, C, h, w].
    return p.index({bi, Slice(), ri, ci}).permute({0, 3, 1, 2});
  }

  // Random-resized crop back to the same size (bilinear, via an affine grid) plus flip.
  torch::Tensor rrc_flip(const torch::Tensor& x, SplitMix64& rng) const {
    const std::int64_t n = x.size(0), h = x.size(2), w = x.size(3);
    std::vector<float> theta(n * 6);
    for (std::int64_t b = 0; b < n; ++b) {
      const Box box = random_resized_box(rng, static_cast<int>(w), static_cast<int>(h));
      const double flip = rng.uniform() < 0.5 ? -1.0 : 1.0;
      float* t = &theta[b * 6];
      t[0] = static_cast<float>(flip * box.w / w);
      t[1] = 0;
      t[2] = static_cast<float>((2 * box.x0 + box.w) / w - 1);
      t[3] = 0;
      t[4] = static_cast<float>(box.h / h);
      t[5] = static_cast<float>((2 * box.y0 + box.h) / h - 1);
    }
    auto th = torch::from_blob(theta.data(), {n, 2, 3}, torch::kFloat).to(x.device());
    auto xf = x.to(torch::kFloat).contiguous();
    auto grid = torch::affine_grid_generator(th, {n, x.size(1), h, w}, false);
    auto y = torch::grid_sampler(xf, grid, 0, 1, false);  // bilinear, border padding
    return normalize(y, t_.mean255, t_.inv_std255, o_.channels_last);
  }

  MemoryTensors t_;
  BatchOptions o_;
  torch::Tensor x_, y_;
  std::vector<std::int64_t> order_;
  std::uint64_t pass_seed_ = 0;
  std::int64_t k_ = 0;
};

class MemoryDataset : public Dataset {
 public:
  MemoryDataset(DatasetInfo info, MemoryTensors cpu) {
    info_ = std::move(info);
    copies_["cpu"] = std::move(cpu);
  }

  std::unique_ptr<BatchStream> batches(const BatchOptions& o) override {
    return std::make_unique<MemoryStream>(on_device(o.device), o);
  }

 private:
  // One copy per device, made on first use: the whole dataset moves to the GPU once.
  MemoryTensors on_device(const torch::Device& d) {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::string key = d.str();
    auto it = copies_.find(key);
    if (it != copies_.end()) return it->second;
    const auto& c = copies_.at("cpu");
    MemoryTensors t{c.train_x.to(d), c.train_y.to(d), c.test_x.to(d), c.test_y.to(d), c.mean255.to(d),
                    c.inv_std255.to(d)};
    copies_[key] = t;
    return t;
  }

  std::mutex mutex_;
  std::map<std::string, MemoryTensors> copies_;
};

// Keeps the first `max_classes` classes and, in the training split, the first `per_class`
// images of each class; labels stay as they are.
void take_subset(torch::Tensor& x, torch::Tensor& y, int max_classes, int per_class) {
  if (max_classes <= 0 && per_class <= 0) return;
  const auto yv = y.accessor<std::int64_t, 1>();
  std::vector<std::int64_t> keep;
  std::map<std::int64_t, int> seen;
  for (std::int64_t i = 0; i < y.size(0); ++i) {
    if (max_classes > 0 && yv[i] >= max_classes) continue;
    if (per_class > 0 && seen[yv[i]]++ >= per_class) continue;
    keep.push_back(i);
  }
  auto idx = torch::from_blob(keep.data(), {static_cast<std::int64_t>(keep.size())}, torch::kLong).clone();
  x = x.index_select(0, idx);
  y = y.index_select(0, idx);
}

// Bilinear resize of uint8 [N, C, H, W] to size x size, in chunks to bound memory.
torch::Tensor resize_all(const torch::Tensor& x, int size) {
  if (x.size(2) == size && x.size(3) == size) return x;
  std::vector<torch::Tensor> parts;
  namespace F = torch::nn::functional;
  for (std::int64_t s = 0; s < x.size(0); s += 4096) {
    auto chunk = x.slice(0, s, std::min<std::int64_t>(s + 4096, x.size(0))).to(torch::kFloat);
    auto r = F::interpolate(chunk, F::InterpolateFuncOptions()
                                       .size(std::vector<std::int64_t>{size, size})
                                       .mode(torch::kBilinear)
                                       .align_corners(false));
    parts.push_back(r.round_().clamp_(0, 255).to(torch::kByte));
  }
  return torch::cat(parts);
}

std::shared_ptr<Dataset> make_memory_dataset(DatasetInfo info, torch::Tensor trx, torch::Tensor try_,
                                             torch::Tensor tex, torch::Tensor tey, const DataConfig& cfg) {
  const std::int64_t max_label = std::max(try_.max().item<std::int64_t>(), tey.max().item<std::int64_t>());
  info.num_classes = static_cast<int>(max_label + 1);
  if (cfg.max_classes > 0) info.num_classes = std::min(info.num_classes, cfg.max_classes);
  take_subset(trx, try_, cfg.max_classes, cfg.per_class);
  take_subset(tex, tey, cfg.max_classes, 0);
  if (trx.size(0) == 0) fail(info.root, "", "no training images left in the subset");
  if (cfg.image_size > 0) {
    trx = resize_all(trx, cfg.image_size);
    tex = resize_all(tex, cfg.image_size);
  }
  info.channels = static_cast<int>(trx.size(1));
  info.image_size = static_cast<int>(trx.size(2));
  info.train_size = trx.size(0);
  info.test_size = tex.size(0);
  info.in_memory = true;
  // Per-channel mean/std of the training images (the usual normalization), exactly, from a
  // 256-bin histogram: no float copy of the whole set.
  trx = trx.contiguous();
  info.mean.clear();
  info.stdev.clear();
  const std::int64_t plane = trx.size(2) * trx.size(3);
  const std::uint8_t* px = trx.data_ptr<std::uint8_t>();
  for (std::int64_t c = 0; c < info.channels; ++c) {
    std::vector<std::int64_t> hist(256, 0);
    for (std::int64_t i = 0; i < trx.size(0); ++i) {
      const std::uint8_t* p = px + (i * info.channels + c) * plane;
      for (std::int64_t k = 0; k < plane; ++k) ++hist[p[k]];
    }
    double n = 0, sum = 0, sq = 0;
    for (int v = 0; v < 256; ++v) {
      n += static_cast<double>(hist[v]);
      sum += static_cast<double>(hist[v]) * v;
      sq += static_cast<double>(hist[v]) * v * v;
    }
    const double mean = sum / n / 255.0;
    const double stdv = std::max(1e-3, std::sqrt(std::max(0.0, sq / n / (255.0 * 255.0) - mean * mean)));
    // Rounded so the numbers read well in results and another implementation can use them.
    info.mean.push_back(std::round(mean * 1e4) / 1e4);
    info.stdev.push_back(std::round(stdv * 1e4) / 1e4);
  }
  MemoryTensors t;
  t.train_x = trx.contiguous();
  t.train_y = try_.contiguous();
  t.test_x = tex.contiguous();
  t.test_y = tey.contiguous();
  auto m = torch::tensor(info.mean, torch::kDouble).to(torch::kFloat).view({1, -1, 1, 1});
  auto s = torch::tensor(info.stdev, torch::kDouble).to(torch::kFloat).view({1, -1, 1, 1});
  t.mean255 = m * 255.0;
  t.inv_std255 = 1.0 / (s * 255.0);
  return std::make_shared<MemoryDataset>(std::move(info), std::move(t));
}

// ---------------------------------------------------------------- IDX

// Reads a whole file, gzip or plain (zlib reads both; without zlib, `gzip -dc` does).
std::vector<std::uint8_t> read_maybe_gz(const std::string& path) {
  std::vector<std::uint8_t> out;
  std::vector<std::uint8_t> buf(1 << 20);
#ifdef REGNET_WITH_ZLIB
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
#else
  if (!fs::exists(path)) fail(path, "", "cannot open");
  const bool gz = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
  FILE* f = gz ? popen(("gzip -dc '" + path + "' 2>/dev/null").c_str(), "r") : std::fopen(path.c_str(), "rb");
  if (!f) fail(path, "", "cannot open");
  for (size_t n; (n = std::fread(buf.data(), 1, buf.size(), f)) > 0;) out.insert(out.end(), buf.begin(), buf.begin() + n);
  const int rc = gz ? pclose(f) : std::fclose(f);
  if (rc != 0) fail(path, "", "corrupt gzip data");
#endif
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
  if (static_cast<std::int64_t>(b.size()) - 16 != n * rows * cols)
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

// ---------------------------------------------------------------- CIFAR-10 binary

void read_cifar_file(const std::string& path, std::vector<std::uint8_t>& pixels, std::vector<std::int64_t>& labels) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "", "no such file; put CIFAR-10's binary version there or pass another --data-root");
  std::vector<std::uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  constexpr size_t rec = 1 + 3 * 32 * 32;
  if (b.empty() || b.size() % rec != 0)
    fail(path, "", "corrupt: " + std::to_string(b.size()) + " bytes is not a whole number of 3073-byte records");
  for (size_t off = 0; off < b.size(); off += rec) {
    if (b[off] > 9) fail(path, "", "corrupt: label " + std::to_string(b[off]) + " at record " + std::to_string(off / rec));
    labels.push_back(b[off]);
    pixels.insert(pixels.end(), b.begin() + off + 1, b.begin() + off + rec);
  }
}

std::shared_ptr<Dataset> open_cifar(const std::string& name, std::string root, const DataConfig& cfg) {
  if (!fs::exists(root + "/data_batch_1.bin") && fs::exists(root + "/cifar-10-batches-bin/data_batch_1.bin"))
    root += "/cifar-10-batches-bin";
  auto load = [&](const std::vector<std::string>& files, torch::Tensor& x, torch::Tensor& y) {
    std::vector<std::uint8_t> px;
    std::vector<std::int64_t> lb;
    for (const auto& f : files) read_cifar_file(root + "/" + f, px, lb);
    const auto n = static_cast<std::int64_t>(lb.size());
    x = torch::from_blob(px.data(), {n, 3, 32, 32}, torch::kByte).clone();
    y = torch::from_blob(lb.data(), {n}, torch::kLong).clone();
  };
  torch::Tensor trx, try_, tex, tey;
  load({"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"}, trx, try_);
  load({"test_batch.bin"}, tex, tey);
  DatasetInfo info;
  info.name = name;
  info.root = root;
  return make_memory_dataset(std::move(info), trx, try_, tex, tey, cfg);
}

// ---------------------------------------------------------------- ImageFolder (streamed)

#ifdef REGNET_WITH_OPENCV

struct FolderItems {
  std::vector<std::string> paths;
  std::vector<std::int64_t> labels;
};

bool is_image_file(const fs::path& p) {
  std::string e = p.extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
  return e == ".jpg" || e == ".jpeg" || e == ".png" || e == ".bmp" || e == ".ppm" || e == ".pgm";
}

std::vector<std::string> sorted_images(const fs::path& dir) {
  std::vector<std::string> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && is_image_file(e.path())) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct FolderData {
  FolderItems train, test;
  int size = 224;
  std::vector<float> mean255, inv_std255;
};

// Decodes one image into dst (size x size x 3, RGB): train = random-resized crop (+ flip),
// test = resize short side to size*256/224, centre crop.
void decode_into(const std::string& path, bool train_aug, bool flip_aug, std::uint64_t seed, int size,
                 std::uint8_t* dst) {
  cv::Mat img = cv::imread(path, cv::IMREAD_COLOR);
  if (img.empty()) fail(path, "", "cannot decode image (missing or corrupt)");
  cv::cvtColor(img, img, cv::COLOR_BGR2RGB);
  cv::Mat out(size, size, CV_8UC3, dst);
  SplitMix64 rng(seed);
  if (train_aug) {
    const Box b = random_resized_box(rng, img.cols, img.rows);
    cv::Rect r(static_cast<int>(b.x0), static_cast<int>(b.y0), static_cast<int>(b.w), static_cast<int>(b.h));
    cv::resize(img(r), out, out.size(), 0, 0, cv::INTER_LINEAR);
  } else {
    const int short_side = static_cast<int>(std::lround(size * 256.0 / 224.0));
    const double scale = static_cast<double>(short_side) / std::min(img.cols, img.rows);
    const int w = std::max(size, static_cast<int>(std::lround(img.cols * scale)));
    const int h = std::max(size, static_cast<int>(std::lround(img.rows * scale)));
    cv::Mat resized;
    cv::resize(img, resized, cv::Size(w, h), 0, 0, cv::INTER_LINEAR);
    resized(cv::Rect((w - size) / 2, (h - size) / 2, size, size)).copyTo(out);
  }
  if (flip_aug && rng.uniform() < 0.5) cv::flip(out, out, 1);
  if (out.data != dst) fail(path, "", "internal: decoded image was not written in place");
}

// A bounded, ordered pipeline: `threads` workers each assemble whole batches, at most
// `capacity` batches ahead of the consumer.
class FolderStream : public BatchStream {
 public:
  FolderStream(std::shared_ptr<const FolderData> data, const BatchOptions& o, int threads)
      : data_(std::move(data)), o_(o) {
    const auto& items = o.split == Split::train ? data_->train : data_->test;
    order_ = pass_order(static_cast<std::int64_t>(items.paths.size()), o);
    num_batches_ = count_batches(static_cast<std::int64_t>(order_.size()), o);
    num_images_ = std::min<std::int64_t>(num_batches_ * o.batch_size, static_cast<std::int64_t>(order_.size()));
    pass_seed_ = mix_seed(mix_seed(o.seed, static_cast<std::uint64_t>(o.epoch)), 2000 + static_cast<int>(o.split));
    capacity_ = std::max(2, 2 * threads);
    auto mean = torch::tensor(data_->mean255).view({1, 3, 1, 1});
    auto istd = torch::tensor(data_->inv_std255).view({1, 3, 1, 1});
    mean255_ = mean.to(o.device);
    inv_std255_ = istd.to(o.device);
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }

  ~FolderStream() override {
    {
      std::lock_guard<std::mutex> lock(m_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& w : workers_) w.join();
  }

  bool next(Batch& out) override {
    if (consumed_ >= num_batches_) return false;
    std::pair<torch::Tensor, torch::Tensor> xy;
    {
      std::unique_lock<std::mutex> lock(m_);
      cv_.wait(lock, [&] { return ready_.count(consumed_) || error_; });
      if (error_) std::rethrow_exception(error_);
      xy = std::move(ready_[consumed_]);
      ready_.erase(consumed_);
      ++consumed_;
    }
    cv_.notify_all();
    const bool cuda = o_.device.is_cuda();
    // [n, H, W, 3] uint8 -> [n, 3, H, W]: already channels_last in memory.
    auto x = xy.first.to(o_.device, /*non_blocking=*/cuda).permute({0, 3, 1, 2});
    out.images = normalize(x, mean255_, inv_std255_, o_.channels_last);
    out.labels = xy.second.to(o_.device, cuda);
    return true;
  }

 private:
  void work() {
    const bool train = o_.split == Split::train;
    const bool rrc = train && (o_.augment == "rrc_flip" || o_.augment == "crop_flip");
    const bool flip = train && o_.augment != "none";
    const auto& items = train ? data_->train : data_->test;
    const int s = data_->size;
    for (;;) {
      std::int64_t k;
      {
        std::unique_lock<std::mutex> lock(m_);
        cv_.wait(lock, [&] { return stop_ || error_ || claimed_ >= num_batches_ || claimed_ < consumed_ + capacity_; });
        if (stop_ || error_ || claimed_ >= num_batches_) return;
        k = claimed_++;
      }
      try {
        const std::int64_t start = k * o_.batch_size;
        const std::int64_t n = std::min<std::int64_t>(o_.batch_size, static_cast<std::int64_t>(order_.size()) - start);
        auto x = torch::empty({n, s, s, 3}, torch::TensorOptions().dtype(torch::kByte).pinned_memory(o_.device.is_cuda()));
        auto y = torch::empty({n}, torch::kLong);
        auto* px = x.data_ptr<std::uint8_t>();
        auto* py = y.data_ptr<std::int64_t>();
        for (std::int64_t i = 0; i < n; ++i) {
          const std::int64_t item = order_[start + i];
          decode_into(items.paths[item], rrc, flip, mix_seed(pass_seed_, static_cast<std::uint64_t>(start + i)), s,
                      px + i * s * s * 3);
          py[i] = items.labels[item];
        }
        {
          std::lock_guard<std::mutex> lock(m_);
          ready_[k] = {x, y};
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(m_);
        if (!error_) error_ = std::current_exception();
      }
      cv_.notify_all();
    }
  }

  std::shared_ptr<const FolderData> data_;
  BatchOptions o_;
  std::vector<std::int64_t> order_;
  std::uint64_t pass_seed_ = 0;
  std::int64_t capacity_ = 2;
  torch::Tensor mean255_, inv_std255_;
  std::mutex m_;
  std::condition_variable cv_;
  std::map<std::int64_t, std::pair<torch::Tensor, torch::Tensor>> ready_;
  std::int64_t claimed_ = 0, consumed_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> workers_;
};

class FolderDataset : public Dataset {
 public:
  FolderDataset(DatasetInfo info, std::shared_ptr<const FolderData> data, int threads)
      : data_(std::move(data)), threads_(threads) {
    info_ = std::move(info);
  }
  std::unique_ptr<BatchStream> batches(const BatchOptions& o) override {
    return std::make_unique<FolderStream>(data_, o, threads_);
  }

 private:
  std::shared_ptr<const FolderData> data_;
  int threads_;
};

std::shared_ptr<Dataset> open_folder(const std::string& root, const DataConfig& cfg) {
  const fs::path train_dir = fs::path(root) / "train", val_dir = fs::path(root) / "val";
  if (!fs::is_directory(train_dir)) fail(train_dir.string(), "", "no such directory (ImageFolder wants ROOT/train/<class>/*.JPEG)");
  if (!fs::is_directory(val_dir)) fail(val_dir.string(), "", "no such directory (ImageFolder wants ROOT/val/<class>/*.JPEG)");
  std::vector<std::string> classes;
  for (const auto& e : fs::directory_iterator(train_dir))
    if (e.is_directory()) classes.push_back(e.path().filename().string());
  std::sort(classes.begin(), classes.end());
  if (classes.empty()) fail(train_dir.string(), "", "holds no class directories");
  if (cfg.max_classes > 0 && static_cast<int>(classes.size()) > cfg.max_classes) classes.resize(cfg.max_classes);
  auto data = std::make_shared<FolderData>();
  for (size_t c = 0; c < classes.size(); ++c) {
    auto tr = sorted_images(train_dir / classes[c]);
    if (cfg.per_class > 0 && static_cast<int>(tr.size()) > cfg.per_class) tr.resize(cfg.per_class);
    for (auto& p : tr) {
      data->train.paths.push_back(std::move(p));
      data->train.labels.push_back(static_cast<std::int64_t>(c));
    }
    for (auto& p : sorted_images(val_dir / classes[c])) {
      data->test.paths.push_back(std::move(p));
      data->test.labels.push_back(static_cast<std::int64_t>(c));
    }
  }
  if (data->train.paths.empty()) fail(train_dir.string(), "", "holds no images (.jpg, .jpeg, .png)");
  if (data->test.paths.empty()) fail(val_dir.string(), "", "holds no images of the training classes");
  data->size = cfg.image_size > 0 ? cfg.image_size : 224;
  // ImageNet's mean and std (RGB), as pycls.
  const std::vector<double> mean{0.485, 0.456, 0.406}, stdv{0.229, 0.224, 0.225};
  for (int c = 0; c < 3; ++c) {
    data->mean255.push_back(static_cast<float>(255.0 * mean[c]));
    data->inv_std255.push_back(static_cast<float>(1.0 / (255.0 * stdv[c])));
  }
  DatasetInfo info;
  info.name = "imagefolder";
  info.root = root;
  info.num_classes = static_cast<int>(classes.size());
  info.channels = 3;
  info.image_size = data->size;
  info.train_size = static_cast<std::int64_t>(data->train.paths.size());
  info.test_size = static_cast<std::int64_t>(data->test.paths.size());
  info.in_memory = false;
  info.mean = mean;
  info.stdev = stdv;
  const int threads = cfg.loader_threads > 0 ? cfg.loader_threads
                                             : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  cv::setNumThreads(1);  // our workers are the parallelism
  return std::make_shared<FolderDataset>(std::move(info), std::move(data), threads);
}

#else

std::shared_ptr<Dataset> open_folder(const std::string& root, const DataConfig&) {
  fail(root, "", "ImageFolder input needs OpenCV, and this build has none (rebuild with libopencv-dev)");
}

#endif

}  // namespace

std::shared_ptr<Dataset> open_dataset(const DataConfig& cfg) {
  if (cfg.image_size < 0) fail("", "image_size", std::to_string(cfg.image_size) + " must be >= 0 (0 = native)");
  if (cfg.max_classes < 0) fail("", "max_classes", std::to_string(cfg.max_classes) + " must be >= 0");
  if (cfg.per_class < 0) fail("", "per_class", std::to_string(cfg.per_class) + " must be >= 0");
  std::string src = cfg.source;
  std::transform(src.begin(), src.end(), src.begin(), [](unsigned char c) { return std::tolower(c); });
  if (src == "fashion-mnist" || src == "fashion_mnist" || src == "fashionmnist")
    return open_idx("fashion-mnist", cfg.root.empty() ? default_data_root("fashion-mnist") : cfg.root, cfg);
  if (src == "mnist") return open_idx("mnist", cfg.root.empty() ? default_data_root("mnist") : cfg.root, cfg);
  if (src == "cifar10" || src == "cifar-10")
    return open_cifar("cifar10", cfg.root.empty() ? default_data_root("cifar10") : cfg.root, cfg);
  if (src == "imagefolder" || src == "imagenet") {
    if (cfg.root.empty()) fail("", "data root", "ImageFolder needs a root directory (ROOT/train, ROOT/val)");
    return open_folder(cfg.root, cfg);
  }
  // A path: recognise the layout.
  const std::string root = cfg.source;
  if (!fs::is_directory(root))
    fail(root, "", "not a known dataset (fashion-mnist, mnist, cifar10, imagefolder) nor a directory");
  const std::string name = fs::path(root).filename().string();
  if (fs::exists(root + "/train-images-idx3-ubyte.gz") || fs::exists(root + "/train-images-idx3-ubyte"))
    return open_idx(name, root, cfg);
  if (fs::exists(root + "/data_batch_1.bin") || fs::exists(root + "/cifar-10-batches-bin"))
    return open_cifar(name, root, cfg);
  if (fs::is_directory(root + "/train")) return open_folder(root, cfg);
  fail(root, "", "no IDX (train-images-idx3-ubyte.gz), CIFAR-10 (data_batch_1.bin) or ImageFolder (train/) data here");
}

}  // namespace regnet::train
