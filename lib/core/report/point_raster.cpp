#include "core/report/point_raster.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace regnet {

namespace {

// Premultiplied RGBA in [0, 1]: "over" compositing is then a weighted sum.
struct Pixel {
  float r = 0, g = 0, b = 0, a = 0;
};

// Position in pixels along one axis: 0 at the low edge of the plot area, `size` at the high one.
double to_pixels(double v, double lo, double hi, bool log, int size) {
  if (log) {
    if (!(v > 0)) return NAN;
    v = std::log10(v);
    lo = std::log10(lo);
    hi = std::log10(hi);
  }
  return (v - lo) / (hi - lo) * size;
}

// One disc centered at (u, v) pixels; coverage falls off over one pixel at its edge (the square
// root only there: most pixels are wholly inside or outside).
void draw_disc(std::vector<Pixel>& image, const RasterFrame& f, double u, double v, const RasterLayer& l) {
  const float cr = l.rgb[0] / 255.0f, cg = l.rgb[1] / 255.0f, cb = l.rgb[2] / 255.0f;
  const double inner = std::max(0.0, l.radius - 0.5), outer = l.radius + 0.5;
  const int x0 = std::max(0, static_cast<int>(std::floor(u - outer)));
  const int x1 = std::min(f.width - 1, static_cast<int>(std::ceil(u + outer)));
  const int y0 = std::max(0, static_cast<int>(std::floor(v - outer)));
  const int y1 = std::min(f.height - 1, static_cast<int>(std::ceil(v + outer)));
  for (int y = y0; y <= y1; ++y) {
    const double dy = y + 0.5 - v;
    Pixel* row = &image[static_cast<size_t>(y) * static_cast<size_t>(f.width)];
    for (int x = x0; x <= x1; ++x) {
      const double dx = x + 0.5 - u, d2 = dx * dx + dy * dy;
      if (d2 >= outer * outer) continue;
      const double coverage = d2 <= inner * inner ? 1.0 : outer - std::sqrt(d2);
      const float a = static_cast<float>(coverage * l.opacity);
      Pixel& p = row[x];
      p = {a * cr + (1 - a) * p.r, a * cg + (1 - a) * p.g, a * cb + (1 - a) * p.b, a + (1 - a) * p.a};
    }
  }
}

std::uint8_t byte_of(float v) { return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255)); }

}  // namespace

std::string rasterize_points(const RasterFrame& f, const std::vector<RasterLayer>& layers) {
  if (f.width < 1 || f.height < 1) throw std::invalid_argument("raster of no pixels");
  std::vector<Pixel> image(static_cast<size_t>(f.width) * static_cast<size_t>(f.height));
  for (const auto& l : layers)
    for (size_t i = 0; i < l.x->size() && i < l.y->size(); ++i) {
      const double u = to_pixels((*l.x)[i], f.x_lo, f.x_hi, f.logx, f.width);
      const double v = to_pixels((*l.y)[i], f.y_lo, f.y_hi, f.logy, f.height);
      if (std::isfinite(u) && std::isfinite(v)) draw_disc(image, f, u, v, l);
    }
  std::string bytes(image.size() * 4, '\0');
  for (size_t k = 0; k < image.size(); ++k) {
    const Pixel& p = image[k];
    const float inv = p.a > 0 ? 1 / p.a : 0;  // back to straight alpha
    bytes[4 * k] = static_cast<char>(byte_of(p.r * inv));
    bytes[4 * k + 1] = static_cast<char>(byte_of(p.g * inv));
    bytes[4 * k + 2] = static_cast<char>(byte_of(p.b * inv));
    bytes[4 * k + 3] = static_cast<char>(byte_of(p.a));
  }
  return bytes;
}

std::array<std::uint8_t, 3> rgb_of(const std::string& hex) {
  if (hex.size() != 7 || hex[0] != '#') throw std::invalid_argument("color '" + hex + "' is not #rrggbb");
  std::array<std::uint8_t, 3> out{};
  for (int k = 0; k < 3; ++k)
    out[static_cast<size_t>(k)] = static_cast<std::uint8_t>(std::stoi(hex.substr(1 + 2 * k, 2), nullptr, 16));
  return out;
}

}  // namespace regnet
