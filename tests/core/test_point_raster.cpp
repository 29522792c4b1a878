// Scatter layers drawn into one RGBA image (point_raster.hpp).
#include <catch2/catch.hpp>
#include <cmath>

#include "core/report/point_raster.hpp"

using namespace regnet;

namespace {

std::array<int, 4> pixel(const std::string& bytes, const RasterFrame& f, int x, int y) {
  const size_t k = 4 * (static_cast<size_t>(y) * static_cast<size_t>(f.width) + static_cast<size_t>(x));
  return {static_cast<unsigned char>(bytes[k]), static_cast<unsigned char>(bytes[k + 1]),
          static_cast<unsigned char>(bytes[k + 2]), static_cast<unsigned char>(bytes[k + 3])};
}

}  // namespace

TEST_CASE("point_raster: discs of the layer's color where the points are, transparent elsewhere", "[point_raster]") {
  const RasterFrame f{0, 10, 0, 10, false, false, 100, 50};
  const std::vector<double> x{5, NAN, 20}, y{5, 1, 5};  // the center; skipped; outside the frame
  const std::string img = rasterize_points(f, {{&x, &y, rgb_of("#ff8000"), 0.5, 3}});
  REQUIRE(img.size() == 100u * 50u * 4u);
  CHECK(pixel(img, f, 50, 25) == std::array<int, 4>{255, 128, 0, 128});  // opacity 0.5, straight alpha
  CHECK(pixel(img, f, 50, 40)[3] == 0);
  CHECK(pixel(img, f, 99, 25)[3] == 0);
  // Two discs over each other: "over" compositing, 0.5 + 0.5 * 0.5.
  const std::vector<double> x2{5, 5}, y2{5, 5};
  CHECK(pixel(rasterize_points(f, {{&x2, &y2, rgb_of("#0000ff"), 0.5, 3}}), f, 50, 25)[3] == 191);
  // On a log axis, 10 lies in the middle of [1, 100].
  const RasterFrame lf{1, 100, 0, 10, true, false, 100, 50};
  const std::vector<double> lx{10}, ly{5};
  CHECK(pixel(rasterize_points(lf, {{&lx, &ly, rgb_of("#000000"), 1, 2}}), lf, 50, 25)[3] == 255);
  CHECK_THROWS(rgb_of("red"));
}
