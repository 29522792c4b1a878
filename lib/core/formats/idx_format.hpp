#pragma once
// The IDX file format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a big-endian
// header (magic 0x00000803 for images, 0x00000801 for labels, then the dimension sizes) and the
// uint8 values. Torch-free and I/O-free: the bytes are parsed as given (lib/train reads the
// possibly gzipped files); the entry point for fuzzing.
#include <cstdint>
#include <string>

#include "core/base/mapped_file.hpp"

namespace regnet::idx {

inline constexpr std::uint32_t kImagesMagic = 0x00000803;  // uint8, 3 dimensions
inline constexpr std::uint32_t kLabelsMagic = 0x00000801;  // uint8, 1 dimension

struct Images {
  std::uint32_t count = 0, rows = 0, cols = 0;
  ByteSpan pixels;  // count * rows * cols bytes, image after image, row by row
};

struct Labels {
  std::uint32_t count = 0;
  ByteSpan labels;  // count bytes
};

// UserError naming `name` for a wrong magic, no images, an empty image size, or a header whose
// sizes (products checked for overflow) disagree with the bytes that follow.
Images parse_images(ByteSpan file, const std::string& name);
// UserError naming `name` for a wrong magic or a count that disagrees with the bytes.
Labels parse_labels(ByteSpan file, const std::string& name);

}  // namespace regnet::idx
