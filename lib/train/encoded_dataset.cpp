#include "train/encoded_dataset.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <set>

#include "core/base/error.hpp"
#include "core/base/threads.hpp"
#include "train/augmentation.hpp"
#include "train/batching.hpp"

namespace regnet::train {

void read_file(const std::string& path, std::vector<std::uint8_t>& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw DecodeError(std::string("cannot open: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) st.st_size = 0;
  out.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < out.size()) {
    const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got != out.size()) throw DecodeError("cannot read the whole file");
}

namespace {

// The images a dataset could not decode: counted once each, one warning for the first.
class Unreadable {
 public:
  void add(const std::string& what, const std::string& why) {
    std::lock_guard<std::mutex> lock(m_);
    if (!seen_.insert(what).second) return;
    if (seen_.size() == 1)
      spdlog::warn(
          "{}: {}; skipping it and any other unreadable image (counted; strict data checking makes this an "
          "error)",
          what, why);
    else
      spdlog::debug("{}: {}; skipped", what, why);
  }
  std::int64_t count() const {
    std::lock_guard<std::mutex> lock(m_);
    return static_cast<std::int64_t>(seen_.size());
  }

 private:
  mutable std::mutex m_;
  std::set<std::string> seen_;
};

struct Shared {
  std::shared_ptr<const ImageSource> source;
  int size = 224;
  int threads = 1;
  bool strict = false, reduce = true;
  Normalization norm;  // on the CPU
  std::string name;
  Unreadable unreadable;
  std::atomic<bool> warned_wait{false};
};

class EncodedStream : public BatchStream {
 public:
  EncodedStream(std::shared_ptr<Shared> s, const BatchOptions& o)
      : s_(std::move(s)), o_(o), norm_(s_->norm.to(o.device)) {
    order_ = pass_order(s_->source->count(o.split), o);
    num_batches_ = count_batches(static_cast<std::int64_t>(order_.size()), o);
    num_images_ = std::min<std::int64_t>(num_batches_ * o.batch_size, static_cast<std::int64_t>(order_.size()));
    seed_ = pass_seed(o, 2000);
    const bool train = o.split == Split::train;
    rrc_ = train && (o.augment == "rrc_flip" || o.augment == "crop_flip");
    flip_ = train && o.augment != "none";
    loader_ = std::make_unique<BatchLoader>(num_batches_, s_->threads, [this](std::int64_t k) { return fill(k); });
  }

  bool next(Batch& out) override {
    if (!started_) start_ = std::chrono::steady_clock::now(), started_ = true;
    HostBatch h;
    do {
      if (!loader_->next(h)) return finish();
    } while (h.images.size(0) == 0);  // every image of it unreadable
    delivered_ += h.images.size(0);
    out = to_device(h, o_, norm_);
    return true;
  }

  double wait_seconds() const override { return loader_->wait_seconds(); }

 private:
  bool finish() {
    // A pass of nothing would train on nothing, or report 100% error on no test images.
    if (delivered_ == 0 && num_images_ > 0)
      fail(s_->name, "",
           fmt::format("none of the {} {} images read could be decoded", num_images_,
                       o_.split == Split::train ? "training" : "test"));
    if (o_.split == Split::train && started_ && !o_.host_uint8) {
      const double pass = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      report_data_wait(loader_->wait_seconds(), pass, loader_->threads(), s_->name, s_->warned_wait);
    }
    started_ = false;
    return false;
  }

  // Batch k on a loader thread: each image decoded straight into its row of the batch.
  HostBatch fill(std::int64_t k) {
    const std::int64_t start = k * o_.batch_size;
    const std::int64_t n = std::min<std::int64_t>(o_.batch_size, static_cast<std::int64_t>(order_.size()) - start);
    const int s = s_->size;
    const bool on_device = flips_on_device(o_);
    HostBatch h{torch::empty({n, s, s, 3}, host_bytes(o_)), torch::empty({n}, torch::kLong),
                torch::empty({on_device ? n : 0}, torch::kBool)};
    auto* px = h.images.data_ptr<std::uint8_t>();
    auto* labels = h.labels.data_ptr<std::int64_t>();
    auto* flips = h.flips.data_ptr<bool>();
    std::vector<std::uint8_t> scratch;
    std::int64_t m = 0;  // images decoded
    for (std::int64_t i = 0; i < n; ++i) {
      const std::int64_t item = order_[start + i];
      SplitMix64 rng(mix_seed(seed_, static_cast<std::uint64_t>(start + i)));
      bool flip = false;
      if (!decode(item, rng, !on_device, px + m * s * s * 3, scratch, flip)) continue;
      if (on_device) flips[m] = flip;
      labels[m++] = s_->source->label(o_.split, item);
    }
    return {h.images.narrow(0, 0, m), h.labels.narrow(0, 0, m), on_device ? h.flips.narrow(0, 0, m) : torch::Tensor()};
  }

  // Decodes the crop of `item` into dst; `flip` says whether it is (or, when not `mirror_here`,
  // is to be) mirrored.
  bool decode(std::int64_t item, SplitMix64& rng, bool mirror_here, std::uint8_t* dst,
              std::vector<std::uint8_t>& scratch, bool& flip) {
    try {
      EncodedImage img(s_->source->bytes(o_.split, item, scratch));
      const Box box = rrc_ ? random_resized_box(rng, img.width(), img.height())
                           : centre_crop_box(img.width(), img.height(), s_->size);
      flip = flip_ && draw_flip(rng);
      img.decode({box, s_->size, s_->size, s_->reduce, Resize::linear, flip && mirror_here}, dst);
      return true;
    } catch (const DecodeError& e) {
      const std::string what = s_->source->item_name(o_.split, item);
      if (s_->strict) fail(what, "", std::string("cannot decode image: ") + e.what());
      s_->unreadable.add(what, e.what());
      return false;
    }
  }

  std::shared_ptr<Shared> s_;
  BatchOptions o_;
  Normalization norm_;
  std::vector<std::int64_t> order_;
  std::uint64_t seed_ = 0;
  bool rrc_ = false, flip_ = false;
  bool started_ = false;
  std::int64_t delivered_ = 0;  // images this pass, so far
  std::chrono::steady_clock::time_point start_;
  std::unique_ptr<BatchLoader> loader_;  // last: its threads use the members above
};

class EncodedDataset : public Dataset {
 public:
  EncodedDataset(DatasetInfo info, std::shared_ptr<Shared> s) : s_(std::move(s)) { info_ = std::move(info); }
  std::unique_ptr<BatchStream> batches(const BatchOptions& o) override {
    return std::make_unique<EncodedStream>(s_, o);
  }
  std::int64_t unreadable() const { return s_->unreadable.count(); }

 private:
  std::shared_ptr<Shared> s_;
};

}  // namespace

std::shared_ptr<Dataset> make_encoded_dataset(DatasetInfo info, std::shared_ptr<const ImageSource> source,
                                              const DataConfig& cfg) {
  decode_on_caller_threads();
  auto s = std::make_shared<Shared>();
  s->source = std::move(source);
  s->size = cfg.image_size > 0 ? cfg.image_size : 224;
  s->threads = default_threads(cfg.loader_threads);
  s->strict = cfg.strict;
  s->reduce = cfg.reduced_decoding;
  info.channels = 3;
  use_imagenet_normalization(info);
  s->norm = normalization(info.mean, info.stdev);
  s->name = info.root;
  info.image_size = s->size;
  info.in_memory = false;
  return std::make_shared<EncodedDataset>(std::move(info), std::move(s));
}

std::int64_t unreadable_images(const Dataset& d) {
  const auto* e = dynamic_cast<const EncodedDataset*>(&d);
  return e ? e->unreadable() : 0;
}

}  // namespace regnet::train
