#include "core/formats/idx_format.hpp"

#include <fmt/format.h>

#include "core/base/error.hpp"

namespace regnet::idx {

namespace {

std::uint32_t be32(const std::uint8_t* p) {
  return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | std::uint32_t(p[3]);
}

std::string n(std::uint64_t v) { return std::to_string(v); }

void check_magic(ByteSpan file, std::size_t header, std::uint32_t magic, const char* what, const std::string& name) {
  if (file.size < header || be32(file.data) != magic)
    fail(name, "", fmt::format("not an IDX {} file (magic {:#010x} expected)", what, magic));
}

}  // namespace

Images parse_images(ByteSpan file, const std::string& name) {
  constexpr std::size_t kHeader = 16;
  check_magic(file, kHeader, kImagesMagic, "image", name);
  Images x{be32(file.data + 4), be32(file.data + 8), be32(file.data + 12), {}};
  // Each factor is below 2^32, so rows * cols fits 64 bits; the count's product may not.
  const std::uint64_t image = std::uint64_t(x.rows) * x.cols, held = file.size - kHeader;
  std::uint64_t pixels = 0;
  if (__builtin_mul_overflow(std::uint64_t(x.count), image, &pixels) || pixels != held)
    fail(name, "",
         "corrupt: header says " + n(x.count) + " images of " + n(x.rows) + "x" + n(x.cols) + " but the file holds " +
             n(held) + " bytes of pixels");
  if (x.count == 0) fail(name, "", "holds no images");
  if (image == 0) fail(name, "", "corrupt: images of " + n(x.rows) + "x" + n(x.cols) + " pixels");
  x.pixels = {file.data + kHeader, static_cast<std::size_t>(pixels)};
  return x;
}

Labels parse_labels(ByteSpan file, const std::string& name) {
  constexpr std::size_t kHeader = 8;
  check_magic(file, kHeader, kLabelsMagic, "label", name);
  Labels y{be32(file.data + 4), {}};
  const std::uint64_t held = file.size - kHeader;
  if (y.count != held) fail(name, "", "corrupt: header says " + n(y.count) + " labels, file holds " + n(held));
  y.labels = {file.data + kHeader, static_cast<std::size_t>(held)};
  return y;
}

}  // namespace regnet::idx
