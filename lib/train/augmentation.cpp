#include "train/augmentation.hpp"

#include <algorithm>
#include <cmath>

namespace regnet::train {

Box random_resized_box(SplitMix64& rng, int width, int height) {
  const double area = static_cast<double>(width) * height;
  const double log_lo = std::log(3.0 / 4.0), log_hi = std::log(4.0 / 3.0);
  for (int attempt = 0; attempt < 10; ++attempt) {
    const double target = area * (0.08 + 0.92 * rng.uniform());
    const double ar = std::exp(log_lo + (log_hi - log_lo) * rng.uniform());
    const int w = static_cast<int>(std::lround(std::sqrt(target * ar)));
    const int h = static_cast<int>(std::lround(std::sqrt(target / ar)));
    if (w >= 1 && h >= 1 && w <= width && h <= height) {
      const int x0 = static_cast<int>(rng.below(static_cast<std::uint64_t>(width - w + 1)));
      const int y0 = static_cast<int>(rng.below(static_cast<std::uint64_t>(height - h + 1)));
      return {x0, y0, w, h};
    }
  }
  const int s = std::min(width, height);
  return {(width - s) / 2, (height - s) / 2, s, s};
}

Box centre_crop_box(int width, int height, int size) {
  // The short side becomes round(size*256/224) pixels; `size` of those are this much source.
  const int short_side = std::min(width, height);
  const double resized = std::max(1.0, std::round(size * 256.0 / 224.0));
  const int s = std::clamp(static_cast<int>(std::lround(size * short_side / resized)), 1, short_side);
  return {(width - s) / 2, (height - s) / 2, s, s};
}

int reduction_for(const Box& box, int out_w, int out_h) {
  for (int d : {8, 4, 2})
    if (box.w >= d * out_w && box.h >= d * out_h) return d;
  return 1;
}

}  // namespace regnet::train
