// CIFAR-10's binary version (data_batch_1..5.bin, test_batch.bin), read into memory.
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/base/error.hpp"
#include "core/formats/cifar_format.hpp"
#include "train/memory_dataset.hpp"

namespace fs = std::filesystem;

namespace regnet::train {

namespace {

void read_cifar_file(const std::string& path, std::vector<std::uint8_t>& pixels, std::vector<std::int64_t>& labels) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "", "no such file; put CIFAR-10's binary version there or pass another --data-root");
  const std::vector<std::uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const cifar::Batch batch = cifar::parse_batch({b.data(), b.size()}, path);
  for (std::size_t i = 0; i < batch.count(); ++i) {
    labels.push_back(batch.label(i));
    pixels.insert(pixels.end(), batch.pixels(i), batch.pixels(i) + cifar::kImageBytes);
  }
}

}  // namespace

std::shared_ptr<Dataset> open_cifar(const std::string& name, std::string root, const DataConfig& cfg) {
  if (!fs::exists(root + "/data_batch_1.bin") && fs::exists(root + "/cifar-10-batches-bin/data_batch_1.bin"))
    root += "/cifar-10-batches-bin";
  auto load = [&](const std::vector<std::string>& files, torch::Tensor& x, torch::Tensor& y) {
    std::vector<std::uint8_t> px;
    std::vector<std::int64_t> lb;
    for (const auto& f : files) read_cifar_file(root + "/" + f, px, lb);
    const auto n = static_cast<std::int64_t>(lb.size());
    x = torch::from_blob(px.data(), {n, 3, 32, 32}, torch::kByte).clone();
    y = torch::from_blob(lb.data(), {n}, torch::kLong).clone();
  };
  torch::Tensor trx, try_, tex, tey;
  load({"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"}, trx, try_);
  load({"test_batch.bin"}, tex, tey);
  DatasetInfo info;
  info.name = name;
  info.root = root;
  return make_memory_dataset(std::move(info), trx, try_, tex, tey, cfg);
}

}  // namespace regnet::train
