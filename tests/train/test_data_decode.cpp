// Decoding crops: libjpeg's crop and DCT-scaled decoding against OpenCV's full decode, the
// formats routed to OpenCV (grayscale, RGBA PNG), damaged bytes, and the crop geometry.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/base/rng.hpp"
#include "train/augmentation.hpp"
#include "train/image_decoder.hpp"

#ifdef REGNET_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

using namespace regnet;
using namespace regnet::train;

TEST_CASE("data decode: crop geometry of the training and test transforms", "[data]") {
  SplitMix64 rng(3);
  for (int i = 0; i < 2000; ++i) {
    const int w = 50 + static_cast<int>(rng.below(600)), h = 50 + static_cast<int>(rng.below(600));
    const Box b = random_resized_box(rng, w, h);
    REQUIRE(b.x0 >= 0);
    REQUIRE(b.y0 >= 0);
    REQUIRE(b.x0 + b.w <= w);
    REQUIRE(b.y0 + b.h <= h);
    const double area = double(b.w) * b.h / (double(w) * h), ar = double(b.w) / b.h;
    const bool fallback = b.w == b.h && b.w == std::min(w, h);
    CHECK((fallback || (area > 0.07 && area < 1.01 && ar > 0.74 && ar < 1.35)));
  }
  // 500x375 at 224: the short side becomes 256, so 224 of them are 328 source pixels, centred.
  const Box c = centre_crop_box(500, 375, 224);
  CHECK(c.w == 328);
  CHECK(c.h == 328);
  CHECK(c.x0 == 86);
  CHECK(c.y0 == 23);
  CHECK(centre_crop_box(40, 30, 128).w == 26);  // 128 of round(146.3) = 146 short-side pixels
  CHECK(reduction_for({0, 0, 500, 375}, 224, 224) == 1);
  CHECK(reduction_for({0, 0, 900, 700}, 224, 224) == 2);
  CHECK(reduction_for({0, 0, 900, 700}, 128, 128) == 4);
  CHECK(reduction_for({0, 0, 900, 447}, 224, 224) == 1);
  CHECK(reduction_for({0, 0, 64, 64}, 8, 8) == 8);
}

#ifdef REGNET_WITH_OPENCV
namespace {

// A textured test image: gradients plus a checker, so crops and scales are told apart.
cv::Mat textured(int w, int h) {
  cv::Mat m(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      m.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>((x * 255) / w), static_cast<uchar>((y * 255) / h),
                                        static_cast<uchar>(((x / 7 + y / 5) % 2) * 120 + 60));
  return m;
}

std::vector<std::uint8_t> encode(const cv::Mat& m, const std::string& ext, std::vector<int> params = {}) {
  std::vector<std::uint8_t> b;
  REQUIRE(cv::imencode(ext, m, b, params));
  return b;
}

cv::Mat decode(const std::vector<std::uint8_t>& bytes, const DecodeRequest& r, int* scale = nullptr) {
  cv::Mat out(r.out_h, r.out_w, CV_8UC3);
  EncodedImage img({bytes.data(), bytes.size()});
  const int d = img.decode(r, out.data);
  if (scale) *scale = d;
  return out;
}

double max_diff(const cv::Mat& a, const cv::Mat& b) {
  double m = 0;
  cv::Mat d;
  cv::absdiff(a, b, d);
  cv::minMaxLoc(d.reshape(1), nullptr, &m);
  return m;
}

double psnr(const cv::Mat& a, const cv::Mat& b) { return cv::PSNR(a, b); }

}  // namespace

TEST_CASE("data decode: JPEG crops equal OpenCV's full decode cropped; DCT scaling stays close", "[data]") {
  const cv::Mat src = textured(500, 375);
  const auto jpg = encode(src, ".jpg", {cv::IMWRITE_JPEG_QUALITY, 90});
  cv::Mat full_bgr = cv::imdecode(jpg, cv::IMREAD_COLOR), full;
  cv::cvtColor(full_bgr, full, cv::COLOR_BGR2RGB);
  EncodedImage probe({jpg.data(), jpg.size()});
  CHECK(probe.width() == 500);
  CHECK(probe.height() == 375);
  CHECK(probe.plain_jpeg());
  // The whole image, not resized: the same pixels as OpenCV (the same libjpeg underneath).
  CHECK(max_diff(decode(jpg, {{0, 0, 500, 375}, 500, 375}), full) == 0);
  // Crops read only their rows and columns; at the crop's own size they equal the full decode's
  // sub-rectangle inside, and differ at most in the chroma upsampling of their first and last
  // two rows and columns (libjpeg interpolates chroma from the rows it decodes).
  for (const Box b : {Box{100, 60, 340, 255}, Box{0, 0, 37, 91}, Box{463, 301, 37, 74}, Box{17, 33, 128, 129}}) {
    const cv::Mat crop = decode(jpg, {b, b.w, b.h, false});
    const cv::Mat want = full(cv::Rect(b.x0, b.y0, b.w, b.h));
    const cv::Rect inner(2, 2, b.w - 4, b.h - 4);
    CHECK(max_diff(crop(inner), want(inner)) == 0);
    CHECK(psnr(crop, want) > 40);
  }
  // Resized to 224: as full decode + the same resize.
  const Box b{10, 20, 400, 300};
  cv::Mat want;
  cv::resize(full(cv::Rect(b.x0, b.y0, b.w, b.h)), want, cv::Size(112, 112), 0, 0, cv::INTER_LINEAR);
  int d = 0;
  CHECK(psnr(decode(jpg, {b, 112, 112, false}, &d), want) > 40);
  CHECK(d == 1);
  // Reduced: 400x300 at 1/2 still covers 112 x 112, so it is decoded at 1/2; close to full.
  const cv::Mat reduced = decode(jpg, {b, 112, 112, true}, &d);
  CHECK(d == 2);
  CHECK(psnr(reduced, want) > 28);
  decode(jpg, {b, 40, 30, true}, &d);
  CHECK(d == 8);
  // Mirrored output.
  cv::Mat flipped;
  cv::flip(decode(jpg, {b, 112, 112, false}), flipped, 1);
  CHECK(max_diff(decode(jpg, {b, 112, 112, false, Resize::linear, true}), flipped) == 0);
  // An enlarged crop is mirrored before resizing: the same up to rounding.
  const Box small{30, 40, 60, 50};
  cv::flip(decode(jpg, {small, 150, 120, false}), flipped, 1);
  CHECK(max_diff(decode(jpg, {small, 150, 120, false, Resize::linear, true}), flipped) <= 1);
}

TEST_CASE("data decode: grayscale, RGBA PNG, progressive; damaged bytes are DecodeErrors", "[data]") {
  const cv::Mat src = textured(64, 48);
  cv::Mat gray;
  cv::cvtColor(src, gray, cv::COLOR_BGR2GRAY);
  const auto gjpg = encode(gray, ".jpg");
  EncodedImage g({gjpg.data(), gjpg.size()});
  CHECK(g.plain_jpeg());
  const cv::Mat gout = decode(gjpg, {{0, 0, 64, 48}, 64, 48});
  std::vector<cv::Mat> ch;
  cv::split(gout, ch);
  CHECK(max_diff(ch[0], ch[1]) == 0);
  CHECK(max_diff(ch[0], ch[2]) == 0);
  CHECK(psnr(ch[0], gray) > 30);
  // PNG with alpha: OpenCV's path, alpha dropped, RGB order.
  cv::Mat rgba;
  cv::cvtColor(src, rgba, cv::COLOR_BGR2BGRA);
  const auto png = encode(rgba, ".png");
  EncodedImage p({png.data(), png.size()});
  CHECK(!p.plain_jpeg());
  cv::Mat want;
  cv::cvtColor(src, want, cv::COLOR_BGR2RGB);
  CHECK(max_diff(decode(png, {{0, 0, 64, 48}, 64, 48}), want) == 0);
  // Progressive JPEG: decodes, but is not stored as it is by a packer.
  const auto prog = encode(src, ".jpg", {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
  EncodedImage pj({prog.data(), prog.size()});
  CHECK(!pj.plain_jpeg());
  CHECK(psnr(decode(prog, {{8, 8, 32, 32}, 16, 16}), decode(encode(src, ".jpg"), {{8, 8, 32, 32}, 16, 16})) > 30);
  // Damaged: truncated in the scan, garbage after the JPEG marker, no image at all, empty.
  const auto jpg = encode(textured(300, 200), ".jpg");
  const std::vector<std::uint8_t> cut(jpg.begin(), jpg.begin() + static_cast<long>(jpg.size() / 2));
  CHECK_THROWS_AS(decode(cut, {{0, 0, 300, 200}, 50, 50}), DecodeError);
  CHECK_THROWS_WITH(decode(cut, {{0, 0, 300, 200}, 50, 50}), Catch::Contains("truncated"));
  // A crop that ends above the cut needs no missing data.
  CHECK_NOTHROW(decode(cut, {{0, 0, 300, 40}, 50, 20}));
  const std::vector<std::uint8_t> garbage{0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5};
  CHECK_THROWS_AS(EncodedImage({garbage.data(), garbage.size()}), DecodeError);
  const std::vector<std::uint8_t> text{'h', 'e', 'l', 'l', 'o'};
  CHECK_THROWS_AS(EncodedImage({text.data(), text.size()}), DecodeError);
  CHECK_THROWS_AS(EncodedImage({nullptr, 0}), DecodeError);
  // A crop outside the image is refused, not read.
  CHECK_THROWS_AS(decode(jpg, {{290, 0, 20, 20}, 8, 8}), DecodeError);
}
#endif
