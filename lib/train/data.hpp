#pragma once
// Datasets: Fashion-MNIST/MNIST IDX, CIFAR-10 binary, ImageFolder (JPEG via OpenCV). Torch-free header;
// the Dataset object itself lives in data.cpp (its interface for the trainer in data_impl.hpp).
//
// Small datasets (IDX, CIFAR) live in memory as one uint8 tensor, moved to the GPU when training
// there, with augmentation done per batch on that device. ImageFolder streams through a bounded
// multi-threaded decoder.
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace regnet::train {

struct DataConfig {
  std::string source = "fashion-mnist";  // "fashion-mnist", "mnist", "cifar10", "imagefolder", or a path
  std::string root;                      // directory with the files; empty = the source's default
  int image_size = 0;                    // 0 = native (28 for IDX, 32 for CIFAR, 224 for ImageFolder)
  int max_classes = 0;                   // subset: first K classes (0 = all)
  int per_class = 0;                     // subset: first M training images per class (0 = all)
  int loader_threads = 0;                // decoding threads for streamed datasets (0 = all cores)
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
