#include "train/memory_dataset.hpp"

#include <map>
#include <mutex>

#include "core/base/error.hpp"
#include "train/batching.hpp"
#include "train/device_augment.hpp"

namespace regnet::train {

namespace {

struct MemoryTensors {
  torch::Tensor train_x, train_y, test_x, test_y;  // uint8 [N, C, H, W], int64 [N]
  Normalization norm;
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
    pass_seed_ = pass_seed(o, 1000);
  }

  bool next(Batch& out) override {
    if (k_ >= num_batches_) return false;
    const std::int64_t start = k_ * o_.batch_size;
    const std::int64_t n = std::min<std::int64_t>(o_.batch_size, static_cast<std::int64_t>(order_.size()) - start);
    auto idx = torch::from_blob(order_.data() + start, {n}, torch::kLong).to(x_.device());
    out.labels = y_.index_select(0, idx);
    SplitMix64 rng(mix_seed(pass_seed_, static_cast<std::uint64_t>(k_)));
    ++k_;
    auto x = augment_on_device(x_.index_select(0, idx), o_.augment, rng, static_cast<int>(x_.size(2)));
    out.images = normalize(x, t_.norm, o_.channels_last);
    return true;
  }

 private:
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
    MemoryTensors t{c.train_x.to(d), c.train_y.to(d), c.test_x.to(d), c.test_y.to(d), c.norm.to(d)};
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
  for (std::int64_t s = 0; s < x.size(0); s += 4096) {
    auto r = resize_batch(x.slice(0, s, std::min<std::int64_t>(s + 4096, x.size(0))), size);
    parts.push_back(r.round_().clamp_(0, 255).to(torch::kByte));
  }
  return torch::cat(parts);
}

// Per-channel mean/std of uint8 [N, C, H, W], exactly, from 256-bin histograms: no float copy
// of the whole set. Rounded to 4 decimals so results read well and others can reuse them.
void channel_statistics(const torch::Tensor& x, DatasetInfo& info) {
  info.mean.clear();
  info.stdev.clear();
  const std::int64_t plane = x.size(2) * x.size(3), channels = x.size(1);
  const std::uint8_t* px = x.data_ptr<std::uint8_t>();
  for (std::int64_t c = 0; c < channels; ++c) {
    std::vector<std::int64_t> hist(256, 0);
    for (std::int64_t i = 0; i < x.size(0); ++i) {
      const std::uint8_t* p = px + (i * channels + c) * plane;
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
    info.mean.push_back(std::round(mean * 1e4) / 1e4);
    info.stdev.push_back(std::round(stdv * 1e4) / 1e4);
  }
}

}  // namespace

std::shared_ptr<Dataset> make_memory_dataset(DatasetInfo info, torch::Tensor trx, torch::Tensor try_, torch::Tensor tex,
                                             torch::Tensor tey, const DataConfig& cfg) {
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
  trx = trx.contiguous();
  channel_statistics(trx, info);
  MemoryTensors t{trx, try_.contiguous(), tex.contiguous(), tey.contiguous(), normalization(info.mean, info.stdev)};
  return std::make_shared<MemoryDataset>(std::move(info), std::move(t));
}

}  // namespace regnet::train
