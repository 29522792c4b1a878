#include "train/batching.hpp"

#include "train/device.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/base/rng.hpp"

namespace regnet::train {

std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b) {
  SplitMix64 r(a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull));
  return r.next();
}

std::vector<std::int64_t> pass_order(std::int64_t n, const BatchOptions& o) {
  if (o.limit > 0) n = std::min(n, o.limit);
  std::vector<std::int64_t> order(n);
  for (std::int64_t i = 0; i < n; ++i) order[i] = i;
  if (o.shuffle) {
    SplitMix64 rng(mix_seed(mix_seed(o.seed, static_cast<std::uint64_t>(o.epoch)), static_cast<int>(o.split)));
    for (std::int64_t i = n - 1; i > 0; --i) std::swap(order[i], order[rng.below(static_cast<std::uint64_t>(i + 1))]);
  }
  return order;
}

std::int64_t count_batches(std::int64_t n, const BatchOptions& o) {
  const std::int64_t full = n / o.batch_size;
  if (o.drop_last && full > 0) return full;
  return (n + o.batch_size - 1) / o.batch_size;
}

std::uint64_t pass_seed(const BatchOptions& o, int salt) {
  return mix_seed(mix_seed(o.seed, static_cast<std::uint64_t>(o.epoch)), salt + static_cast<int>(o.split));
}

Normalization normalization(const std::vector<double>& mean, const std::vector<double>& stdev) {
  auto m = torch::tensor(mean, torch::kDouble).to(torch::kFloat).view({1, -1, 1, 1});
  auto s = torch::tensor(stdev, torch::kDouble).to(torch::kFloat).view({1, -1, 1, 1});
  return {m * 255.0, 1.0 / (s * 255.0)};
}

void use_imagenet_normalization(DatasetInfo& info) {
  info.mean = {0.485, 0.456, 0.406};
  info.stdev = {0.229, 0.224, 0.225};
  if (info.channels == 1) info.mean = {0.449}, info.stdev = {0.226};
}

torch::Tensor normalize(const torch::Tensor& x, const Normalization& n, bool channels_last) {
  auto f = x.to(torch::kFloat);  // callers pass a fresh tensor: a float one is changed in place
  f.sub_(n.mean255).mul_(n.inv_std255);
  const auto fmt = channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
  return f.to(f.options(), false, false, fmt);
}

torch::TensorOptions host_bytes(const BatchOptions& o) { return host_options(torch::kByte, o.device); }

torch::Tensor flip_where(const torch::Tensor& nhwc, const torch::Tensor& flips) {
  return torch::where(flips.view({-1, 1, 1, 1}), nhwc.flip({2}), nhwc);
}

Batch to_device(const HostBatch& h, const BatchOptions& o, const Normalization& n) {
  if (o.host_uint8) return {h.images, h.labels};  // flipped on the loader thread already
  auto x = copy_to_device(h.images, o.device);
  if (h.flips.defined()) x = flip_where(x, copy_to_device(h.flips, o.device));
  Batch b;
  b.images = normalize(x.permute({0, 3, 1, 2}), n, o.channels_last);  // NHWC memory: channels_last already
  b.labels = copy_to_device(h.labels, o.device);
  return b;
}

void report_data_wait(double wait_seconds, double pass_seconds, int threads, const std::string& dataset,
                      std::atomic<bool>& warned) {
  if (pass_seconds < 2 || wait_seconds < 0.25 * pass_seconds) return;
  const int percent = static_cast<int>(100 * wait_seconds / pass_seconds + 0.5);
  if (warned.exchange(true)) {
    spdlog::debug("data-bound: {}% of this epoch waited on {}", percent, dataset);
    return;
  }
  spdlog::warn(
      "data-bound: training waited on the data for {}% of an epoch ({:.1f} s of {:.1f} s) with {} decoding "
      "thread{}; more cores, or a pack (`regnet-explore data pack`, docs/data.md), would feed it faster",
      percent, wait_seconds, pass_seconds, threads, threads == 1 ? "" : "s");
}

}  // namespace regnet::train
