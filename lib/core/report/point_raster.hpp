#pragma once
// Scatter layers drawn into one RGBA image, as pngcairo draws them (anti-aliased discs of each
// layer's color and opacity, composited in order), so that gnuplot lays a dense scatter over the
// plot area as one image instead of drawing ten thousand markers (plot.hpp, dense figures).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace regnet {

// The plot area: data ranges (log10-spaced when log) and its size in pixels.
struct RasterFrame {
  double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;
  bool logx = false, logy = false;
  int width = 1, height = 1;
};

struct RasterLayer {
  const std::vector<double>* x = nullptr;
  const std::vector<double>* y = nullptr;  // as long as x; a non-finite pair is skipped
  std::array<std::uint8_t, 3> rgb{0, 0, 0};
  double opacity = 1;  // of one disc
  double radius = 3;   // in pixels
};

// width x height RGBA pixels (straight alpha, 0 transparent), rows from the bottom up as
// gnuplot's `binary array=(W,H)` reads them. Points outside the frame are clipped.
std::string rasterize_points(const RasterFrame& frame, const std::vector<RasterLayer>& layers);

// "#rrggbb" as bytes.
std::array<std::uint8_t, 3> rgb_of(const std::string& hex);

}  // namespace regnet
