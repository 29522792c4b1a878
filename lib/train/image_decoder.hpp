#pragma once
// Decoding one image into an RGB crop: a JPEG through libjpeg, reading only the rows and columns
// the crop needs and, where the crop is large enough, at 1/2, 1/4 or 1/8 scale (DCT scaling);
// PNG, BMP, CMYK JPEGs and the rest through OpenCV at full size. Torch-free.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "core/base/mapped_file.hpp"
#include "train/augmentation.hpp"

namespace regnet::train {

// Bytes that are no image, or a corrupt or truncated one.
struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Resize { linear, area };  // bilinear (training crops) or pixel-area averaging (packing)

struct DecodeRequest {
  Box box;  // in source pixels, inside the image
  int out_w = 0, out_h = 0;
  bool reduce = true;  // allow DCT-scaled decoding (reduction_for)
  Resize resize = Resize::linear;
  bool mirror = false;  // flip the output left to right
};

class EncodedImage {
 public:
  // Reads the header of `bytes`, which the caller keeps until this object goes. DecodeError for
  // bytes that no decoder of this build reads.
  explicit EncodedImage(ByteSpan bytes);
  ~EncodedImage();
  EncodedImage(const EncodedImage&) = delete;
  EncodedImage& operator=(const EncodedImage&) = delete;

  int width() const { return width_; }
  int height() const { return height_; }
  // A baseline JPEG of YCbCr or grayscale pixels: a packer may store its bytes as they are.
  bool plain_jpeg() const { return plain_jpeg_; }

  // Decodes r.box, resized to out_w x out_h, into `dst` as RGB rows (out_h * out_w * 3 bytes).
  // Once per object. Returns the scale divisor used (1, 2, 4 or 8).
  int decode(const DecodeRequest& r, std::uint8_t* dst);

  struct Jpeg;
  struct Pixels;

 private:
  int decode_jpeg(const DecodeRequest& r, std::uint8_t* dst);
  int decode_other(const DecodeRequest& r, std::uint8_t* dst);
  std::unique_ptr<Jpeg> jpeg_;      // libjpeg, header read
  std::unique_ptr<Pixels> pixels_;  // else: decoded by OpenCV (which reads the size only so)
  int width_ = 0, height_ = 0;
  bool plain_jpeg_ = false;
  std::vector<std::uint8_t> buffer_;
};

// JPEG bytes of an RGB image (rows of w * 3 bytes), 4:2:0, at `quality` (1..100).
std::vector<std::uint8_t> encode_jpeg(const std::uint8_t* rgb, int w, int h, int quality);

// Turns OpenCV's own thread pool off: the loader threads are the parallelism.
void decode_on_caller_threads();

// Whether this build decodes images at all (OpenCV).
bool can_decode_images();

}  // namespace regnet::train
