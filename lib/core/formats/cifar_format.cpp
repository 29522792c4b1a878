#include "core/formats/cifar_format.hpp"

#include "core/base/error.hpp"

namespace regnet::cifar {

Batch parse_batch(ByteSpan file, const std::string& name) {
  if (file.size == 0 || file.size % kRecordSize != 0)
    fail(name, "",
         "corrupt: " + std::to_string(file.size) + " bytes is not a whole number of " + std::to_string(kRecordSize) +
             "-byte records");
  const Batch b{file};
  for (std::size_t i = 0; i < b.count(); ++i)
    if (b.label(i) >= kClasses)
      fail(name, "", "corrupt: label " + std::to_string(b.label(i)) + " at record " + std::to_string(i));
  return b;
}

}  // namespace regnet::cifar
