#pragma once
// Datasets: Fashion-MNIST/MNIST IDX, CIFAR-10 binary, ImageFolder (JPEG via OpenCV). Torch-free header;
// the Dataset object itself lives in data.cpp.
#include <cstdint>
#include <memory>
#include <string>

namespace regnet::train {

struct DataConfig {
  std::string source = "fashion-mnist";  // "fashion-mnist", "mnist", "cifar10", "imagefolder", or a path
  std::string root;                      // directory with the files; empty = the source's default
  int image_size = 0;                    // 0 = native (28 for IDX, 32 for CIFAR, 224 for ImageFolder)
  int max_classes = 0;                   // ImageFolder subset: first K classes (0 = all)
  int per_class = 0;                     // ImageFolder subset: first M images per class (0 = all)
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
};

class Dataset;  // defined in data.cpp

// Opens and (for small datasets) loads into memory. A missing or corrupt file is a UserError
// naming the file.
std::shared_ptr<Dataset> open_dataset(const DataConfig& cfg);
DatasetInfo dataset_info(const Dataset& d);

}  // namespace regnet::train
