#pragma once
// Where each image's crop comes from: the geometry of the training and test transforms, in
// source pixels, decided before anything is decoded so that a JPEG decoder can skip what lies
// outside the crop and decode at a reduced scale. Torch-free.
#include <cstdint>

#include "core/base/rng.hpp"

namespace regnet::train {

// A crop in source pixels (integers for the transforms below, so crops are exact).
struct Box {
  int x0 = 0, y0 = 0, w = 0, h = 0;
};

// Random-resized crop (pycls / torchvision RandomResizedCrop): area U[0.08, 1] of the image,
// aspect ratio log-uniform in [3/4, 4/3], 10 tries, else the largest centred square.
Box random_resized_box(SplitMix64& rng, int width, int height);

// The test transform "resize the short side to size*256/224, centre crop size x size" as the
// box of the source it shows (resized to size x size afterwards).
Box centre_crop_box(int width, int height, int size);

// The largest DCT scale divisor (8, 4, 2, else 1) at which `box` still covers at least
// out_w x out_h pixels: decoding at 1/d then never enlarges more than decoding in full would.
int reduction_for(const Box& box, int out_w, int out_h);

// Horizontal flip with p = 0.5 (drawn after the box, from the same stream).
inline bool draw_flip(SplitMix64& rng) { return rng.uniform() < 0.5; }

}  // namespace regnet::train
