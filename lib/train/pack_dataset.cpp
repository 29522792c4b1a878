// A pack file (core/pack_format.hpp, docs/data.md) as a dataset: the file is mapped, its index
// validated once, and images read from the mapping at random. JPEG packs decode through the
// same loader as an ImageFolder; raw packs are gathered into batches and augmented on the
// device like the in-memory datasets.
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "core/base/error.hpp"
#include "core/base/mapped_file.hpp"
#include "core/base/threads.hpp"
#include "core/formats/pack_format.hpp"
#include "train/batching.hpp"
#include "train/device.hpp"
#include "train/device_augment.hpp"
#include "train/encoded_dataset.hpp"

namespace regnet::train {

namespace {

// The records of each split kept by the class and per-class subsets.
struct PackContents {
  std::shared_ptr<const MappedFile> file;
  pack::Index index;
  std::vector<std::int64_t> train, val;  // record indices
  const pack::Record& record(Split s, std::int64_t i) const {
    return index.records[(s == Split::train ? train : val)[i]];
  }
  std::int64_t count(Split s) const { return static_cast<std::int64_t>((s == Split::train ? train : val).size()); }
  const std::uint8_t* payload(const pack::Record& r) const { return file->bytes().data + r.offset; }
};

std::shared_ptr<PackContents> read_pack(const std::string& path, const DataConfig& cfg) {
  auto c = std::make_shared<PackContents>();
  c->file = std::make_shared<MappedFile>(path);
  c->index = pack::parse_pack(c->file->bytes(), path);
  c->file->advise_random();
  const auto& h = c->index.header;
  const std::uint32_t classes =
      cfg.max_classes > 0 ? std::min<std::uint32_t>(cfg.max_classes, h.num_classes) : h.num_classes;
  std::vector<int> seen(classes, 0);
  for (std::uint64_t i = 0; i < c->index.records.size(); ++i) {
    const auto label = c->index.records[i].label;
    if (label >= classes) continue;
    const bool train = i < h.train_count;
    if (train && cfg.per_class > 0 && seen[label]++ >= cfg.per_class) continue;
    (train ? c->train : c->val).push_back(static_cast<std::int64_t>(i));
  }
  return c;
}

DatasetInfo pack_info(const std::string& path, const PackContents& c, const DataConfig& cfg) {
  DatasetInfo info;
  info.name = std::filesystem::path(path).filename().string();
  info.root = path;
  info.num_classes = cfg.max_classes > 0 ? std::min<int>(cfg.max_classes, c.index.header.num_classes)
                                         : static_cast<int>(c.index.header.num_classes);
  info.train_size = c.count(Split::train);
  info.test_size = c.count(Split::test);
  return info;
}

class PackSource : public ImageSource {
 public:
  explicit PackSource(std::shared_ptr<const PackContents> c) : c_(std::move(c)) {}
  std::int64_t count(Split s) const override { return c_->count(s); }
  std::int64_t label(Split s, std::int64_t i) const override { return c_->record(s, i).label; }
  ByteSpan bytes(Split s, std::int64_t i, std::vector<std::uint8_t>&) const override {
    const auto& r = c_->record(s, i);
    return {c_->payload(r), r.size};
  }
  std::string item_name(Split s, std::int64_t i) const override {
    return c_->file->path() + " (" + (s == Split::train ? "train" : "val") + " image " + std::to_string(i) + ")";
  }

 private:
  std::shared_ptr<const PackContents> c_;
};

// ---------------------------------------------------------------- raw packs

class RawPackStream : public BatchStream {
 public:
  RawPackStream(std::shared_ptr<const PackContents> c, const BatchOptions& o, int threads, int size,
                const Normalization& n, std::shared_ptr<std::atomic<bool>> warned)
      : c_(std::move(c)), o_(o), size_(size), norm_(n.to(o.device)), warned_(std::move(warned)) {
    order_ = pass_order(c_->count(o.split), o);
    num_batches_ = count_batches(static_cast<std::int64_t>(order_.size()), o);
    num_images_ = std::min<std::int64_t>(num_batches_ * o.batch_size, static_cast<std::int64_t>(order_.size()));
    seed_ = pass_seed(o, 3000);
    loader_ = std::make_unique<BatchLoader>(num_batches_, threads, [this](std::int64_t k) { return gather(k); });
  }

  bool next(Batch& out) override {
    if (k_ == 0) start_ = std::chrono::steady_clock::now();
    HostBatch h;
    if (!loader_->next(h)) return finish();
    auto x = copy_to_device(h.images, o_.device).permute({0, 3, 1, 2});
    SplitMix64 rng(mix_seed(seed_, static_cast<std::uint64_t>(k_++)));
    const std::string augment = o_.split == Split::train ? o_.augment : "none";
    x = augment_on_device(x, augment, rng, size_);
    if (x.size(2) != size_ || x.size(3) != size_) x = resize_batch(x, size_);
    out.images = normalize(x, norm_, o_.channels_last);
    out.labels = copy_to_device(h.labels, o_.device);
    return true;
  }

  double wait_seconds() const override { return loader_->wait_seconds(); }

 private:
  bool finish() {
    if (o_.split == Split::train && k_ > 0) {
      const double pass = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      report_data_wait(loader_->wait_seconds(), pass, loader_->threads(), c_->file->path(), *warned_);
    }
    return false;
  }

  HostBatch gather(std::int64_t k) {
    const auto& h = c_->index.header;
    const std::int64_t start = k * o_.batch_size;
    const std::int64_t n = std::min<std::int64_t>(o_.batch_size, static_cast<std::int64_t>(order_.size()) - start);
    const std::int64_t side = h.side, bytes = side * side * h.channels;
    HostBatch b{torch::empty({n, side, side, static_cast<std::int64_t>(h.channels)}, host_bytes(o_)),
                torch::empty({n}, torch::kLong),
                {}};
    auto* px = b.images.data_ptr<std::uint8_t>();
    auto* labels = b.labels.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < n; ++i) {
      const auto& r = c_->record(o_.split, order_[start + i]);
      std::memcpy(px + i * bytes, c_->payload(r), static_cast<std::size_t>(bytes));
      labels[i] = r.label;
    }
    return b;
  }

  std::shared_ptr<const PackContents> c_;
  BatchOptions o_;
  int size_;
  Normalization norm_;
  std::vector<std::int64_t> order_;
  std::uint64_t seed_ = 0;
  std::int64_t k_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::shared_ptr<std::atomic<bool>> warned_;  // one data-bound warning per dataset
  std::unique_ptr<BatchLoader> loader_;        // last: its threads use the members above
};

class RawPackDataset : public Dataset {
 public:
  RawPackDataset(DatasetInfo info, std::shared_ptr<const PackContents> c, int threads)
      : c_(std::move(c)), threads_(threads), norm_(normalization(info.mean, info.stdev)) {
    info_ = std::move(info);
  }
  std::unique_ptr<BatchStream> batches(const BatchOptions& o) override {
    return std::make_unique<RawPackStream>(c_, o, threads_, info_.image_size, norm_, warned_);
  }

 private:
  std::shared_ptr<const PackContents> c_;
  int threads_;
  Normalization norm_;
  std::shared_ptr<std::atomic<bool>> warned_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace

std::shared_ptr<Dataset> open_pack(const std::string& path, const DataConfig& cfg) {
  auto c = read_pack(path, cfg);
  DatasetInfo info = pack_info(path, *c, cfg);
  if (info.train_size == 0) fail(path, "", "no training images left in the subset");
  if (info.test_size == 0) fail(path, "", "no validation images (of the classes used): nothing to test the models on");
  if (c->index.header.encoding == pack::Encoding::jpeg) {
    if (!can_decode_images())
      fail(path, "", "a JPEG pack needs OpenCV, and this build has none (a raw pack, data pack --size, does not)");
    return make_encoded_dataset(std::move(info), std::make_shared<PackSource>(c), cfg);
  }
  const int side = static_cast<int>(c->index.header.side);
  info.channels = static_cast<int>(c->index.header.channels);
  info.image_size = cfg.image_size > 0 ? cfg.image_size : side;
  info.in_memory = false;
  use_imagenet_normalization(info);  // as for the folders raw packs are made from
  // Two loader threads copy far faster than a trainer consumes: more would only take cores.
  return std::make_shared<RawPackDataset>(std::move(info), std::move(c),
                                          std::min(2, default_threads(cfg.loader_threads)));
}

}  // namespace regnet::train
