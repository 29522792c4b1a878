// The LibTorch runtime (train/runtime.hpp) and the version-dependent calls (train/torch_compat.hpp):
// the version compiled against, CUDA as LibTorch sees it, the thread count set and read back.
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <regex>
#include <string>

#include "core/base/threads.hpp"
#include "train/runtime.hpp"
#include "train/torch_compat.hpp"

using namespace regnet;
using namespace regnet::train;

TEST_CASE("runtime: the LibTorch version, CUDA and threads as LibTorch reports them", "[runtime]") {
  const std::string v = torch_version();
  CHECK(std::regex_match(v, std::regex("[0-9]+\\.[0-9]+\\.[0-9]+")));
  CHECK(v == std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                 std::to_string(TORCH_VERSION_PATCH));
  const RuntimeInfo r = runtime_info();
  CHECK(r.torch_version == v);
  CHECK(r.cuda == torch::cuda::is_available());
  CHECK(r.cuda_devices == (r.cuda ? static_cast<int>(torch::cuda::device_count()) : 0));
  CHECK(r.threads == torch::get_num_threads());
}

TEST_CASE("runtime: set_threads sets LibTorch's intra-op threads, 0 meaning every core", "[runtime]") {
  const int before = torch::get_num_threads();
  CHECK(set_threads(1) == 1);
  CHECK(torch::get_num_threads() == 1);
  CHECK(runtime_info().threads == 1);
  const int all = set_threads(0);
  CHECK(all == default_threads(0));
  CHECK(all >= 1);
  CHECK(torch::get_num_threads() == all);
  set_threads(before);
}

TEST_CASE("torch compat: CUDA autocast off changes nothing", "[runtime]") {
  const auto x = torch::ones({2, 2});
  {
    CudaAutocast off(false);
    CHECK(torch::equal(torch::mm(x, x), torch::full({2, 2}, 2.0)));
    CHECK(torch::mm(x, x).dtype() == torch::kFloat);
  }
  CHECK(torch::mm(x, x).dtype() == torch::kFloat);
}
