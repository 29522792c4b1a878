#pragma once
// CIFAR-10's binary version (https://www.cs.toronto.edu/~kriz/cifar.html): a batch file is
// records of one label byte (0..9) and 3 * 32 * 32 pixel bytes (the red plane, green, blue, each
// row by row). Torch-free and I/O-free; the entry point for fuzzing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/base/mapped_file.hpp"

namespace regnet::cifar {

inline constexpr std::size_t kSide = 32, kChannels = 3;
inline constexpr std::size_t kImageBytes = kChannels * kSide * kSide;  // 3072
inline constexpr std::size_t kRecordSize = 1 + kImageBytes;            // 3073
inline constexpr std::uint8_t kClasses = 10;

struct Batch {
  ByteSpan records;  // count() whole records
  std::size_t count() const { return records.size / kRecordSize; }
  std::uint8_t label(std::size_t i) const { return records.data[i * kRecordSize]; }
  const std::uint8_t* pixels(std::size_t i) const { return records.data + i * kRecordSize + 1; }
};

// UserError naming `name` for an empty file, a size that is not a whole number of records, or a
// label above 9 (naming the record).
Batch parse_batch(ByteSpan file, const std::string& name);

}  // namespace regnet::cifar
