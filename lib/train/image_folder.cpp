// The ImageFolder layout, scanned; open_folder() streams it through the decoding loader.
#include "train/image_folder.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/base/error.hpp"
#include "core/base/output_path.hpp"
#include "train/data_impl.hpp"
#include "train/encoded_dataset.hpp"

namespace fs = std::filesystem;

namespace regnet::train {

bool has_image_extension(const std::string& path) {
  static const std::set<std::string> kExtensions{".jpg", ".jpeg", ".png",  ".ppm", ".bmp",
                                                 ".pgm", ".tif",  ".tiff", ".webp"};
  std::string e = fs::path(path).extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
  return kExtensions.count(e) > 0;
}

namespace {

std::vector<std::string> sorted_entries(const fs::path& dir, bool directories) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const fs::file_status st = path_status(e.path().string());  // an entry that loops: one line naming it
    if (directories ? fs::is_directory(st) : fs::is_regular_file(st)) out.push_back(e.path().filename().string());
  }
  if (ec) fail(dir.string(), "", "cannot list: " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

// The images of one class directory, sorted; other files go to `ignored`.
std::vector<std::string> class_images(const fs::path& dir, std::vector<std::string>& ignored) {
  std::vector<std::string> out;
  if (!fs::is_directory(path_status(dir.string()))) return out;
  for (const auto& name : sorted_entries(dir, false)) {
    const std::string p = (dir / name).string();
    (has_image_extension(p) ? out : ignored).push_back(p);
  }
  return out;
}

void add(FolderSplit& split, std::vector<std::string> paths, std::int64_t label) {
  for (auto& p : paths) {
    split.paths.push_back(std::move(p));
    split.labels.push_back(label);
  }
}

}  // namespace

ImageFolder scan_image_folder(const std::string& root, int max_classes, int per_class) {
  const fs::path train_dir = fs::path(root) / "train", val_dir = fs::path(root) / "val";
  path_status(root);  // a link loop or a name over 255 bytes: one line naming ROOT
  if (!fs::is_directory(path_status(train_dir.string())))
    fail(train_dir.string(), "", "no such directory (ImageFolder wants ROOT/train/<class>/*.JPEG)");
  if (!fs::is_directory(path_status(val_dir.string())))
    fail(val_dir.string(), "", "no such directory (ImageFolder wants ROOT/val/<class>/*.JPEG)");
  ImageFolder f;
  f.root = root;
  f.classes = sorted_entries(train_dir, true);
  if (f.classes.empty()) fail(train_dir.string(), "", "holds no class directories");
  for (const auto& v : sorted_entries(val_dir, true))
    if (!std::binary_search(f.classes.begin(), f.classes.end(), v))
      spdlog::warn("{}: not a class of {} (no such training class): left out", (val_dir / v).string(),
                   train_dir.string());
  if (max_classes > 0 && static_cast<int>(f.classes.size()) > max_classes) f.classes.resize(max_classes);
  for (size_t c = 0; c < f.classes.size(); ++c) {
    auto train = class_images(train_dir / f.classes[c], f.ignored);
    if (train.empty())
      fail((train_dir / f.classes[c]).string(), "",
           "holds no images (.jpg, .jpeg, .png, ...): a class without training images cannot be learned");
    if (per_class > 0 && static_cast<int>(train.size()) > per_class) train.resize(per_class);
    add(f.train, std::move(train), static_cast<std::int64_t>(c));
    add(f.val, class_images(val_dir / f.classes[c], f.ignored), static_cast<std::int64_t>(c));
  }
  if (f.val.paths.empty()) fail(val_dir.string(), "", "holds no images of the training classes");
  if (!f.ignored.empty())
    spdlog::warn("{}: {} without an image extension left out (first: {})", root,
                 f.ignored.size() == 1 ? std::string("1 file") : std::to_string(f.ignored.size()) + " files",
                 f.ignored.front());
  return f;
}

namespace {

// The images are files: read each into the loader thread's buffer.
class FolderSource : public ImageSource {
 public:
  explicit FolderSource(ImageFolder f) : f_(std::move(f)) {}
  std::int64_t count(Split s) const override { return static_cast<std::int64_t>(split(s).paths.size()); }
  std::int64_t label(Split s, std::int64_t i) const override { return split(s).labels[i]; }
  ByteSpan bytes(Split s, std::int64_t i, std::vector<std::uint8_t>& scratch) const override {
    read_file(split(s).paths[i], scratch);
    return {scratch.data(), scratch.size()};
  }
  std::string item_name(Split s, std::int64_t i) const override { return split(s).paths[i]; }

 private:
  const FolderSplit& split(Split s) const { return s == Split::train ? f_.train : f_.val; }
  ImageFolder f_;
};

}  // namespace

std::shared_ptr<Dataset> open_folder(const std::string& root, const DataConfig& cfg) {
  if (!can_decode_images())
    fail(root, "", "ImageFolder input needs OpenCV, and this build has none (rebuild with libopencv-dev)");
  ImageFolder f = scan_image_folder(root, cfg.max_classes, cfg.per_class);
  DatasetInfo info;
  info.name = "imagefolder";
  info.root = root;
  info.num_classes = static_cast<int>(f.classes.size());
  info.train_size = static_cast<std::int64_t>(f.train.paths.size());
  info.test_size = static_cast<std::int64_t>(f.val.paths.size());
  return make_encoded_dataset(std::move(info), std::make_shared<FolderSource>(std::move(f)), cfg);
}

}  // namespace regnet::train
