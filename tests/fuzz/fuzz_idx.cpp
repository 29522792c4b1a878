// IDX files (Fashion-MNIST, MNIST) as idx_format parses them, once as images and once as labels:
// a header and views that lie inside the input, sizes that multiply out, or one error line.
#include "core/formats/idx_format.hpp"
#include "fuzz_target.hpp"

using namespace regnet;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteSpan file{data, size};
  auto inside = [&](ByteSpan v) { return v.data >= data && v.size <= size && v.data + v.size <= data + size; };
  fuzz::run(data, size, [&](const std::string&) {
    const idx::Images x = idx::parse_images(file, "train-images-idx3-ubyte");
    fuzz::check(x.count > 0 && x.rows > 0 && x.cols > 0, "an empty image set read");
    fuzz::check(inside(x.pixels), "pixels outside the input");
    fuzz::check(std::uint64_t(x.count) * x.rows * x.cols == x.pixels.size, "pixels do not multiply out");
  });
  return fuzz::run(data, size, [&](const std::string&) {
    const idx::Labels y = idx::parse_labels(file, "train-labels-idx1-ubyte");
    fuzz::check(inside(y.labels) && y.labels.size == y.count, "labels outside the input or miscounted");
  });
}
