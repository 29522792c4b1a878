#pragma once
// A dataset of encoded images (an ImageFolder's files, a JPEG pack's payloads), decoded per
// pass by loader threads into uint8 batches: random-resized crop for training, resize + centre
// crop for testing, flips left to the device. Unreadable images are counted and skipped with
// one warning, or stop the pass under DataConfig::strict. Included only by lib/train .cpp files.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/mapped_file.hpp"
#include "train/data_impl.hpp"
#include "train/image_decoder.hpp"

namespace regnet::train {

// Where the encoded images come from. Called from several loader threads at once.
class ImageSource {
 public:
  virtual ~ImageSource() = default;
  virtual std::int64_t count(Split s) const = 0;
  virtual std::int64_t label(Split s, std::int64_t i) const = 0;
  // Image i's bytes: a view into the source, or `scratch` filled. DecodeError if unreadable.
  virtual ByteSpan bytes(Split s, std::int64_t i, std::vector<std::uint8_t>& scratch) const = 0;
  virtual std::string item_name(Split s, std::int64_t i) const = 0;  // names it in messages
};

// Reads a whole file into `out`; DecodeError saying why not.
void read_file(const std::string& path, std::vector<std::uint8_t>& out);

// info: name, root, num_classes and sizes set; the rest (channels, image size, ImageNet's
// mean/std, not in memory) is filled here from cfg (image_size 0 = 224).
std::shared_ptr<Dataset> make_encoded_dataset(DatasetInfo info, std::shared_ptr<const ImageSource> source,
                                              const DataConfig& cfg);

// Images in a dataset's passes so far that could not be decoded (each counted once).
std::int64_t unreadable_images(const Dataset& d);

}  // namespace regnet::train
