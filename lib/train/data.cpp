// open_dataset: which reader a source names (each reader in its own file).
#include "train/data.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "core/base/output_path.hpp"
#include "train/data_impl.hpp"

namespace fs = std::filesystem;

namespace regnet::train {

std::string default_data_root(const std::string& source) {
  const char* env = std::getenv("REGNET_DATA_ROOT");
  const std::string base = env && *env ? env : "/usr/share/datasets";
  return base + "/" + source;
}

nlohmann::json to_json(const DatasetInfo& i) {
  return nlohmann::json{{"name", i.name},
                        {"root", i.root},
                        {"num_classes", i.num_classes},
                        {"channels", i.channels},
                        {"image_size", i.image_size},
                        {"train_size", i.train_size},
                        {"test_size", i.test_size},
                        {"in_memory", i.in_memory},
                        {"mean", i.mean},
                        {"std", i.stdev}};
}

DatasetInfo dataset_info(const Dataset& d) { return d.info(); }

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool is_pack_path(const std::string& p) {
  const std::string l = lower(p);
  return (l.size() > 5 && l.compare(l.size() - 5, 5, ".pack") == 0) || fs::is_regular_file(path_status(p, "--data"));
}

// A path: recognised by its files.
std::shared_ptr<Dataset> open_path(const std::string& root, const DataConfig& cfg) {
  if (is_pack_path(root)) return open_pack(root, cfg);
  if (!fs::is_directory(root))
    fail(root, "", "not a known dataset (fashion-mnist, mnist, cifar10, imagefolder), a directory, nor a pack file");
  const std::string name = fs::path(root).filename().string();
  if (fs::exists(root + "/train-images-idx3-ubyte.gz") || fs::exists(root + "/train-images-idx3-ubyte"))
    return open_idx(name, root, cfg);
  if (fs::exists(root + "/data_batch_1.bin") || fs::exists(root + "/cifar-10-batches-bin"))
    return open_cifar(name, root, cfg);
  if (fs::is_directory(root + "/train")) return open_folder(root, cfg);
  fail(root, "", "no IDX (train-images-idx3-ubyte.gz), CIFAR-10 (data_batch_1.bin) or ImageFolder (train/) data here");
}

}  // namespace

std::shared_ptr<Dataset> open_dataset(const DataConfig& cfg) {
  if (cfg.image_size < 0) fail("", "image_size", std::to_string(cfg.image_size) + " must be >= 0 (0 = native)");
  if (cfg.max_classes < 0) fail("", "max_classes", std::to_string(cfg.max_classes) + " must be >= 0");
  if (cfg.per_class < 0) fail("", "per_class", std::to_string(cfg.per_class) + " must be >= 0");
  const std::string src = lower(cfg.source);
  auto root_or = [&](const std::string& name) { return cfg.root.empty() ? default_data_root(name) : cfg.root; };
  if (src == "fashion-mnist" || src == "fashion_mnist" || src == "fashionmnist")
    return open_idx("fashion-mnist", root_or("fashion-mnist"), cfg);
  if (src == "mnist") return open_idx("mnist", root_or("mnist"), cfg);
  if (src == "cifar10" || src == "cifar-10") return open_cifar("cifar10", root_or("cifar10"), cfg);
  if (src == "imagefolder" || src == "imagenet" || src == "pack" || src == "packed") {
    if (cfg.root.empty())
      fail("", "data root", src + " needs --data-root (a folder with train/ and val/, or a .pack file)");
    return is_pack_path(cfg.root) ? open_pack(cfg.root, cfg) : open_folder(cfg.root, cfg);
  }
  return open_path(cfg.source, cfg);
}

}  // namespace regnet::train
