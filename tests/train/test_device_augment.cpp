// Augmentation of whole uint8 batches (train/device_augment.hpp), on the CPU: "none" leaves the
// batch, "flip" mirrors some images, "crop_flip" is a crop of the zero-padded image (maybe
// mirrored), "rrc_flip" a float crop resized to the output size; the same seed, the same batch.
#include <torch/torch.h>

#include <catch2/catch.hpp>

#include "core/base/rng.hpp"
#include "train/device_augment.hpp"

using namespace regnet;
using namespace regnet::train;

namespace {

// n distinct uint8 images [n, c, h, w].
torch::Tensor batch(int n, int c, int h, int w) {
  return (torch::arange(n * c * h * w, torch::kLong) * 7 % 251).to(torch::kByte).view({n, c, h, w});
}

}  // namespace

TEST_CASE("device augment: none keeps the batch, flip mirrors some images and leaves the others", "[augment]") {
  const auto x = batch(16, 2, 5, 6);
  SplitMix64 rng(3);
  CHECK(torch::equal(augment_on_device(x, "none", rng, 5), x));
  SplitMix64 r1(3), r2(3);
  const auto y = augment_on_device(x, "flip", r1, 5);
  CHECK(torch::equal(y, augment_on_device(x, "flip", r2, 5)));  // the same seed, the same batch
  REQUIRE(y.sizes() == x.sizes());
  CHECK(y.dtype() == torch::kByte);
  int flipped = 0;
  for (int i = 0; i < 16; ++i) {
    const bool same = torch::equal(y[i], x[i]), mirrored = torch::equal(y[i], x[i].flip({2}));
    CHECK((same || mirrored));
    flipped += mirrored;
  }
  CHECK(flipped > 0);   // some mirrored
  CHECK(flipped < 16);  // not all
}

TEST_CASE("device augment: crop_flip is a crop of the image padded by 4 zeros, maybe mirrored", "[augment]") {
  const int h = 6, w = 7;
  const auto x = batch(8, 1, h, w);
  SplitMix64 rng(5);
  const auto y = augment_on_device(x, "crop_flip", rng, h);
  REQUIRE(y.sizes() == x.sizes());
  CHECK(y.dtype() == torch::kByte);
  const auto padded = torch::constant_pad_nd(x, {4, 4, 4, 4}, 0);
  bool moved = false;
  for (int i = 0; i < 8; ++i) {
    bool found = false;
    for (int dy = 0; dy <= 8 && !found; ++dy)
      for (int dx = 0; dx <= 8 && !found; ++dx) {
        const auto crop = padded[i].narrow(1, dy, h).narrow(2, dx, w);
        if (torch::equal(y[i], crop) || torch::equal(y[i], crop.flip({2}))) {
          found = true;
          moved = moved || dy != 4 || dx != 4;
        }
      }
    CHECK(found);
  }
  CHECK(moved);  // not every image at offset (4, 4)
}

TEST_CASE("device augment: rrc_flip and resize_batch give float batches of the output size", "[augment]") {
  const auto x = batch(4, 3, 12, 10);
  SplitMix64 rng(7);
  const auto y = augment_on_device(x, "rrc_flip", rng, 8);
  CHECK(y.sizes() == torch::IntArrayRef({4, 3, 8, 8}));
  CHECK(y.dtype() == torch::kFloat);
  // Bilinear samples with border padding stay within the image's range.
  CHECK(y.min().item<float>() >= 0);
  CHECK(y.max().item<float>() <= 250);
  const auto r = resize_batch(x, 6);
  CHECK(r.sizes() == torch::IntArrayRef({4, 3, 6, 6}));
  CHECK(r.dtype() == torch::kFloat);
  // Resizing to the stored size changes nothing; a constant image stays constant.
  CHECK(torch::allclose(resize_batch(x.narrow(2, 0, 10), 10), x.narrow(2, 0, 10).to(torch::kFloat)));
  const auto flat = torch::full({1, 1, 9, 9}, 42, torch::kByte);
  CHECK(torch::allclose(resize_batch(flat, 4), torch::full({1, 1, 4, 4}, 42.0)));
}
