// CIFAR-10 binary batches as cifar_format parses them: whole records with labels 0..9 that lie
// inside the input, or one error line.
#include "core/formats/cifar_format.hpp"
#include "fuzz_target.hpp"

using namespace regnet;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(data, size, [&](const std::string&) {
    const cifar::Batch b = cifar::parse_batch({data, size}, "data_batch_1.bin");
    fuzz::check(b.count() > 0 && b.count() * cifar::kRecordSize == size, "records do not fill the file");
    for (std::size_t i = 0; i < b.count(); ++i) fuzz::check(b.label(i) < cifar::kClasses, "a label above 9");
    fuzz::check(b.pixels(b.count() - 1) + cifar::kImageBytes == data + size, "the last record ends elsewhere");
  });
}
