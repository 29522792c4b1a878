#include "train/image_decoder.hpp"

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <string>

#include <zlib.h>

#ifdef REGNET_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif
#ifdef REGNET_WITH_LIBJPEG
#include <jerror.h>
#include <jpeglib.h>
#endif

namespace regnet::train {

#ifdef REGNET_WITH_LIBJPEG

// libjpeg reports errors through callbacks: error_exit must not return, so it longjmps back to
// the guarded call. The guarded steps hold only plain data, so nothing is left undestroyed.
struct EncodedImage::Jpeg {
  jpeg_decompress_struct c{};
  struct Errors {
    jpeg_error_mgr mgr;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    bool truncated;
  } err{};
  bool created = false;
  ~Jpeg() {
    if (created) jpeg_destroy_decompress(&c);
  }
};

namespace {

void on_jpeg_error(j_common_ptr c) {
  auto* e = reinterpret_cast<EncodedImage::Jpeg::Errors*>(c->err);
  (*c->err->format_message)(c, e->message);
  std::longjmp(e->jump, 1);
}

// Warnings: "premature end of data" means missing pixels (libjpeg fills them grey): an error
// here, as PIL's; others (extraneous bytes before a marker) leave the pixels intact.
void on_jpeg_message(j_common_ptr c, int level) {
  auto* e = reinterpret_cast<EncodedImage::Jpeg::Errors*>(c->err);
  if (level < 0 && c->err->msg_code == JWRN_JPEG_EOF) e->truncated = true;
}

template <class Steps>
bool guarded(EncodedImage::Jpeg& j, Steps steps) {
  if (setjmp(j.err.jump)) return false;
  steps();
  return true;
}

int ceil_div(int a, int b) { return (a + b - 1) / b; }

bool looks_like_jpeg(ByteSpan b) { return b.size >= 3 && b.data[0] == 0xFF && b.data[1] == 0xD8 && b.data[2] == 0xFF; }

}  // namespace

#else
struct EncodedImage::Jpeg {};
#endif

namespace {

std::uint32_t be32(const std::uint8_t* p) {
  return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | std::uint32_t(p[3]);
}

// A PNG's chunks, walked and their CRCs checked up to IEND before OpenCV sees the file: libpng
// reports a truncated or corrupt chunk by printing a line of its own on stderr (OpenCV installs
// no handler), which would break the one-warning rule; this catches those files first.
void check_png_chunks(ByteSpan b) {
  static const std::uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (b.size < 8 || std::memcmp(b.data, kSignature, 8) != 0) return;  // not a PNG: another decoder's
  for (std::size_t at = 8;;) {
    if (b.size - at < 12) throw DecodeError("truncated PNG (no IEND chunk)");
    const std::uint32_t length = be32(b.data + at);
    if (length > b.size - at - 12) throw DecodeError("truncated PNG (a chunk runs past the end of the file)");
    const std::uint8_t* type = b.data + at + 4;
    const auto crc = static_cast<std::uint32_t>(crc32(0, type, length + 4));
    if (crc != be32(type + 4 + length)) throw DecodeError("corrupt PNG (a chunk's CRC does not match)");
    if (std::memcmp(type, "IEND", 4) == 0) return;
    at += 12 + length;
  }
}

}  // namespace

struct EncodedImage::Pixels {
#ifdef REGNET_WITH_OPENCV
  cv::Mat bgr;
#endif
};

EncodedImage::EncodedImage(ByteSpan bytes) {
  if (bytes.size == 0) throw DecodeError("empty file");
#ifdef REGNET_WITH_LIBJPEG
  if (looks_like_jpeg(bytes)) {
    auto j = std::make_unique<Jpeg>();
    j->c.err = jpeg_std_error(&j->err.mgr);
    j->err.mgr.error_exit = on_jpeg_error;
    j->err.mgr.emit_message = on_jpeg_message;
    jpeg_decompress_struct& c = j->c;
    const bool ok = guarded(*j, [&] {
      jpeg_create_decompress(&c);
      j->created = true;
      jpeg_mem_src(&c, bytes.data, static_cast<unsigned long>(bytes.size));
      jpeg_read_header(&c, TRUE);
    });
    if (!ok) throw DecodeError(std::string("not a readable JPEG (") + j->err.message + ")");
    const bool cmyk = c.jpeg_color_space == JCS_CMYK || c.jpeg_color_space == JCS_YCCK;
    if (!cmyk) {  // CMYK and YCCK (Adobe) JPEGs: OpenCV converts those
      width_ = static_cast<int>(c.image_width);
      height_ = static_cast<int>(c.image_height);
      plain_jpeg_ = !c.progressive_mode && (c.num_components == 3 || c.num_components == 1);
      jpeg_ = std::move(j);
      return;
    }
  }
#endif
  check_png_chunks(bytes);
#ifdef REGNET_WITH_OPENCV
  const cv::Mat wrapped(1, static_cast<int>(bytes.size), CV_8U, const_cast<std::uint8_t*>(bytes.data));
  pixels_ = std::make_unique<Pixels>();
  try {
    pixels_->bgr = cv::imdecode(wrapped, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
  } catch (const cv::Exception& e) {
    throw DecodeError(std::string("cannot decode (") + e.err + ")");
  }
  if (pixels_->bgr.empty()) throw DecodeError("not an image this build decodes, or a corrupt one");
  width_ = pixels_->bgr.cols;
  height_ = pixels_->bgr.rows;
#else
  throw DecodeError("this build has no image decoder (rebuild with OpenCV)");
#endif
}

EncodedImage::~EncodedImage() = default;

int EncodedImage::decode(const DecodeRequest& r, std::uint8_t* dst) {
  const Box& b = r.box;
  if (b.w < 1 || b.h < 1 || b.x0 < 0 || b.y0 < 0 || b.x0 + b.w > width_ || b.y0 + b.h > height_ || r.out_w < 1 ||
      r.out_h < 1)
    throw DecodeError("internal: crop outside the image");
#ifdef REGNET_WITH_OPENCV
  try {
    return jpeg_ ? decode_jpeg(r, dst) : decode_other(r, dst);
  } catch (const cv::Exception& e) {  // an image too large to resize or convert, say
    throw DecodeError(std::string("cannot decode (") + e.err + ")");
  }
#else
  return jpeg_ ? decode_jpeg(r, dst) : decode_other(r, dst);
#endif
}

#ifdef REGNET_WITH_OPENCV
namespace {
// Resizing commutes with mirroring (the sampling grid is symmetric), so a mirrored crop flips
// whichever of source and output has fewer pixels: the source for crops that are enlarged.
void resize_into(const cv::Mat& src, const DecodeRequest& r, std::uint8_t* dst) {
  cv::Mat out(r.out_h, r.out_w, CV_8UC3, dst);
  thread_local cv::Mat scratch;
  const bool flip_source = r.mirror && src.total() < out.total();
  if (flip_source) cv::flip(src, scratch, 1);
  const cv::Mat& from = flip_source ? scratch : src;
  cv::Mat& to = r.mirror && !flip_source ? scratch : out;
  if (from.cols == r.out_w && from.rows == r.out_h)
    from.copyTo(to);
  else
    cv::resize(from, to, out.size(), 0, 0, r.resize == Resize::area ? cv::INTER_AREA : cv::INTER_LINEAR);
  if (r.mirror && !flip_source) cv::flip(scratch, out, 1);
}
}  // namespace
#endif

int EncodedImage::decode_jpeg(const DecodeRequest& r, std::uint8_t* dst) {
#if defined(REGNET_WITH_LIBJPEG) && defined(REGNET_WITH_OPENCV)
  Jpeg& j = *jpeg_;
  jpeg_decompress_struct& c = j.c;
  const Box& b = r.box;
  const int d = r.reduce ? reduction_for(b, r.out_w, r.out_h) : 1;
  // The crop at 1/d scale, widened to whole pixels there.
  int x0 = b.x0 / d, y0 = b.y0 / d, x1 = ceil_div(b.x0 + b.w, d), y1 = ceil_div(b.y0 + b.h, d);
  JDIMENSION xoff = 0, cw = 0;
  const bool ok = guarded(j, [&] {
    c.out_color_space = JCS_RGB;
    c.scale_num = 1;
    c.scale_denom = static_cast<unsigned>(d);
    jpeg_start_decompress(&c);
    x1 = std::min(x1, static_cast<int>(c.output_width));
    y1 = std::min(y1, static_cast<int>(c.output_height));
    xoff = static_cast<JDIMENSION>(x0);
    cw = static_cast<JDIMENSION>(x1 - x0);
    if (cw < c.output_width) jpeg_crop_scanline(&c, &xoff, &cw);  // widened to an iMCU boundary
    buffer_.resize(static_cast<std::size_t>(cw) * 3 * static_cast<std::size_t>(y1 - y0));
    if (y0 > 0) jpeg_skip_scanlines(&c, static_cast<JDIMENSION>(y0));
    while (static_cast<int>(c.output_scanline) < y1) {
      JSAMPROW row = buffer_.data() + static_cast<std::size_t>(c.output_scanline - y0) * cw * 3;
      jpeg_read_scanlines(&c, &row, 1);
    }
    jpeg_abort_decompress(&c);  // the rows below the crop are not needed
  });
  if (!ok) throw DecodeError(std::string("corrupt JPEG (") + j.err.message + ")");
  if (j.err.truncated) throw DecodeError("truncated JPEG (premature end of data)");
  const cv::Mat region(y1 - y0, static_cast<int>(cw), CV_8UC3, buffer_.data());
  resize_into(region(cv::Rect(x0 - static_cast<int>(xoff), 0, x1 - x0, y1 - y0)), r, dst);
  return d;
#else
  (void)r, (void)dst;
  throw DecodeError("internal: no JPEG decoder");
#endif
}

int EncodedImage::decode_other(const DecodeRequest& r, std::uint8_t* dst) {
#ifdef REGNET_WITH_OPENCV
  const cv::Mat& img = pixels_->bgr;
  resize_into(img(cv::Rect(r.box.x0, r.box.y0, r.box.w, r.box.h)), r, dst);
  cv::Mat out(r.out_h, r.out_w, CV_8UC3, dst);
  cv::cvtColor(out, out, cv::COLOR_BGR2RGB);  // OpenCV decodes to BGR
  return 1;
#else
  (void)r, (void)dst;
  throw DecodeError("this build has no image decoder (rebuild with OpenCV)");
#endif
}

std::vector<std::uint8_t> encode_jpeg(const std::uint8_t* rgb, int w, int h, int quality) {
#ifdef REGNET_WITH_OPENCV
  cv::Mat bgr;
  cv::cvtColor(cv::Mat(h, w, CV_8UC3, const_cast<std::uint8_t*>(rgb)), bgr, cv::COLOR_RGB2BGR);
  std::vector<std::uint8_t> out;
  try {
    if (cv::imencode(".jpg", bgr, out, {cv::IMWRITE_JPEG_QUALITY, quality})) return out;
  } catch (const cv::Exception& e) {  // larger than JPEG's 65500 px, say
    throw DecodeError(std::string("JPEG encoding failed (") + e.err + ")");
  }
  throw DecodeError("JPEG encoding failed");
#else
  (void)rgb, (void)w, (void)h, (void)quality;
  throw DecodeError("this build has no image encoder (rebuild with OpenCV)");
#endif
}

void decode_on_caller_threads() {
#ifdef REGNET_WITH_OPENCV
  cv::setNumThreads(1);
#endif
}

bool can_decode_images() {
#ifdef REGNET_WITH_OPENCV
  return true;
#else
  return false;
#endif
}

}  // namespace regnet::train
