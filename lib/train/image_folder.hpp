#pragma once
// The ImageFolder layout (ROOT/train/<class>/*, ROOT/val/<class>/*), as torchvision reads it:
// classes are train/'s subdirectories in sorted order, labels their indices. Torch-free: the
// folder dataset and the packer (pack_writer) both start here.
#include <cstdint>
#include <string>
#include <vector>

namespace regnet::train {

struct FolderSplit {
  std::vector<std::string> paths;  // sorted within each class, classes in label order
  std::vector<std::int64_t> labels;
};

struct ImageFolder {
  std::string root;
  std::vector<std::string> classes;
  FolderSplit train, val;
  std::vector<std::string> ignored;  // files without an image extension (never read)
};

// Files with an image extension (.jpg .jpeg .png .ppm .bmp .pgm .tif .tiff .webp, any case).
bool has_image_extension(const std::string& path);

// Scans `root`, keeping the first `max_classes` classes (0 = all) and the first `per_class`
// training images of each (0 = all). UserError naming the directory for a missing train/ or
// val/, no class directories, or a training class without images. val/ directories that are
// no training class are left out with a warning.
ImageFolder scan_image_folder(const std::string& root, int max_classes = 0, int per_class = 0);

}  // namespace regnet::train
