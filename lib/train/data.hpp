#pragma once
// Datasets: Fashion-MNIST/MNIST IDX, CIFAR-10 binary, ImageFolder (JPEG, PNG, ...), and packs
// (docs/data.md). Torch-free header; the Dataset object itself is in data_impl.hpp.
//
// Small datasets (IDX, CIFAR) live in memory as one uint8 tensor, moved to the GPU when training
// there, with augmentation done per batch on that device. ImageFolders and JPEG packs stream
// through loader threads that decode crops into pinned uint8 batches; raw packs are gathered
// from the mapped file and augmented on the device like the in-memory sets.
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace regnet::train {

struct DataConfig {
  // "fashion-mnist", "mnist", "cifar10", "imagefolder" (root: the folder), "pack" (root: the
  // file), or a path: a directory (IDX, CIFAR or ImageFolder layout) or a pack file (*.pack).
  std::string source = "fashion-mnist";
  std::string root;              // directory (or pack file) with the data; empty = the source's default
  int image_size = 0;            // 0 = native (28 for IDX, 32 for CIFAR, a raw pack's side, else 224)
  int max_classes = 0;           // subset: first K classes (0 = all)
  int per_class = 0;             // subset: first M training images per class (0 = all)
  int loader_threads = 0;        // decoding threads for streamed datasets (0 = all cores)
  bool strict = false;           // an unreadable image stops the pass (else: skipped, counted)
  bool reduced_decoding = true;  // JPEG crops decoded at 1/2, 1/4, 1/8 scale where large enough
};

struct DatasetInfo {
  std::string name;
  std::string root;
  int num_classes = 0;
  int channels = 0;
  int image_size = 0;
  std::int64_t train_size = 0;
  std::int64_t test_size = 0;
  bool in_memory = true;
  std::vector<double> mean, stdev;  // per-channel normalization, in [0, 1] pixel units
};

class Dataset;  // defined in data_impl.hpp

// Opens and (for small datasets) loads into memory. A missing or corrupt file is a UserError
// naming the file.
std::shared_ptr<Dataset> open_dataset(const DataConfig& cfg);
DatasetInfo dataset_info(const Dataset& d);

// The default directory of a named source ("fashion-mnist" -> /usr/share/datasets/fashion-mnist);
// the environment variable REGNET_DATA_ROOT, when set, replaces /usr/share/datasets.
std::string default_data_root(const std::string& source);

nlohmann::json to_json(const DatasetInfo& info);

}  // namespace regnet::train
