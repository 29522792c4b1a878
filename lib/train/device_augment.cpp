#include "train/device_augment.hpp"

#include "train/augmentation.hpp"

namespace regnet::train {

namespace {

// Pad by `pad` (zeros), crop back to H x W at a random offset, flip half: one gather on uint8.
torch::Tensor crop_flip(const torch::Tensor& x, SplitMix64& rng, int pad) {
  const std::int64_t n = x.size(0), h = x.size(2), w = x.size(3);
  std::vector<std::int64_t> rows(n * h), cols(n * w);
  for (std::int64_t b = 0; b < n; ++b) {
    const std::int64_t dy = pad ? static_cast<std::int64_t>(rng.below(2 * pad + 1)) : 0;
    const std::int64_t dx = pad ? static_cast<std::int64_t>(rng.below(2 * pad + 1)) : 0;
    const bool flip = draw_flip(rng);
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

// Random-resized crop to out_size (bilinear, via an affine grid) plus flip.
torch::Tensor rrc_flip(const torch::Tensor& x, SplitMix64& rng, int out_size) {
  const std::int64_t n = x.size(0), h = x.size(2), w = x.size(3);
  std::vector<float> theta(n * 6);
  for (std::int64_t b = 0; b < n; ++b) {
    const Box box = random_resized_box(rng, static_cast<int>(w), static_cast<int>(h));
    const double flip = draw_flip(rng) ? -1.0 : 1.0;
    float* t = &theta[b * 6];
    t[0] = static_cast<float>(flip * box.w / w);
    t[1] = 0;
    t[2] = static_cast<float>((2.0 * box.x0 + box.w) / w - 1);
    t[3] = 0;
    t[4] = static_cast<float>(static_cast<double>(box.h) / h);
    t[5] = static_cast<float>((2.0 * box.y0 + box.h) / h - 1);
  }
  auto th = torch::from_blob(theta.data(), {n, 2, 3}, torch::kFloat).to(x.device());
  auto xf = x.to(torch::kFloat).contiguous();
  auto grid = torch::affine_grid_generator(th, {n, x.size(1), out_size, out_size}, false);
  return torch::grid_sampler(xf, grid, 0, 1, false);  // bilinear, border padding
}

}  // namespace

torch::Tensor augment_on_device(const torch::Tensor& x, const std::string& augment, SplitMix64& rng, int out_size) {
  if (augment == "flip" || augment == "crop_flip") return crop_flip(x, rng, augment == "crop_flip" ? 4 : 0);
  if (augment == "rrc_flip") return rrc_flip(x, rng, out_size);
  return x;
}

torch::Tensor resize_batch(const torch::Tensor& x, int size) {
  namespace F = torch::nn::functional;
  return F::interpolate(x.to(torch::kFloat), F::InterpolateFuncOptions()
                                                 .size(std::vector<std::int64_t>{size, size})
                                                 .mode(torch::kBilinear)
                                                 .align_corners(false));
}

}  // namespace regnet::train
