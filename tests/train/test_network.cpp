// The network built from a spec: parameter counts against complexity(), shapes, pycls names, init.
#include <torch/torch.h>
#include "test_paths.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <random>

#include "core/base/json_io.hpp"
#include "core/model/complexity.hpp"
#include "core/model/model_zoo.hpp"
#include "train/network.hpp"
#include "train/network_impl.hpp"

using namespace regnet;
using namespace regnet::train;

namespace {

// A random group-compatible spec: bottleneck width a multiple of the group width.
Spec random_spec(std::mt19937& rng) {
  auto pick = [&](std::vector<int> v) { return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)]; };
  Spec s;
  s.stem_type = pick({0, 1}) ? StemType::simple_stem_in : StemType::res_stem_cifar;
  s.stem_width = pick({8, 16, 24, 32});
  const int stages = pick({1, 2, 3, 4});
  for (int i = 0; i < stages; ++i) {
    const int g = pick({1, 2, 4, 8, 16});
    const int b = pick({1, 2, 4});
    const int wb = g * pick({1, 2, 3}) * (g < 8 ? 8 / g : 1);  // >= 8: an SE width of at least 2
    s.depths.push_back(pick({1, 2, 3}));
    s.group_widths.push_back(g);
    s.bottleneck_ratios.push_back(b);
    s.widths.push_back(wb * b);
    s.strides.push_back(pick({1, 2}));
  }
  s.se_ratio = pick({0, 1}) ? 0.25 : 0.0;
  s.input_channels = pick({1, 3});
  s.num_classes = pick({7, 10, 1000});
  s.input_size = 32;
  return s;
}

std::map<std::string, std::vector<std::int64_t>> shapes(const Spec& s) {
  std::map<std::string, std::vector<std::int64_t>> out;
  for (const auto& t : network_state(s)) out[t.name] = t.shape;
  return out;
}

}  // namespace

TEST_CASE("network: parameter count equals complexity(spec).params for random specs", "[network]") {
  std::mt19937 rng(7);
  for (int i = 0; i < 40; ++i) {
    const Spec s = random_spec(rng);
    INFO(to_json(s).dump());
    CHECK(network_parameter_count(s) == complexity(s).params);
  }
}

TEST_CASE("network: zoo RegNetX-200MF and RegNetY-200MF parameter counts match pycls", "[network]") {
  const auto zoo = read_json_file(std::string(REGNET_TEST_DATA) + "/regnet_zoo.json");
  for (const std::string name : {"RegNetX-200MF", "RegNetY-200MF"}) {
    INFO(name);
    std::int64_t published = -1;
    for (const auto& m : zoo)
      if (m["name"] == name) published = m["params"].get<std::int64_t>();
    const Spec s = named_model_spec(name);
    CHECK(network_parameter_count(s) == published);
    CHECK(network_parameter_count(s) == complexity(s).params);
  }
  CHECK(network_parameter_count(named_model_spec("RegNetX-200MF")) == 2684792);
}

TEST_CASE("network: forward gives [batch, classes] for both stems and memory formats", "[network]") {
  torch::manual_seed(0);
  Spec s;
  s.stem_width = 16;
  s.depths = {1, 2};
  s.widths = {16, 32};
  s.bottleneck_ratios = {1, 1};
  s.group_widths = {8, 8};
  s.strides = {2, 2};
  s.input_channels = 1;
  s.num_classes = 10;
  for (auto stem : {StemType::simple_stem_in, StemType::res_stem_cifar}) {
    s.stem_type = stem;
    s.se_ratio = stem == StemType::res_stem_cifar ? 0.25 : 0.0;
    auto net = build_network(s);
    net->eval();
    torch::NoGradGuard ng;
    auto x = torch::randn({3, 1, 28, 28});
    auto y = net->forward(x);
    CHECK(y.sizes() == torch::IntArrayRef({3, 10}));
    place_network(*net, torch::kCPU, true);
    auto y2 = net->forward(x.contiguous(at::MemoryFormat::ChannelsLast));
    CHECK(torch::allclose(y, y2, 1e-4, 1e-5));
  }
}

TEST_CASE("network: module names and shapes follow pycls", "[network]") {
  Spec s;
  s.stem_width = 32;
  s.depths = {2, 1};
  s.widths = {48, 96};
  s.bottleneck_ratios = {2, 1};
  s.group_widths = {8, 16};
  s.strides = {2, 2};
  s.se_ratio = 0.25;
  s.input_channels = 3;
  s.num_classes = 10;
  const auto t = shapes(s);
  using V = std::vector<std::int64_t>;
  CHECK(t.at("stem.conv.weight") == V{32, 3, 3, 3});
  CHECK(t.at("stem.bn.weight") == V{32});
  CHECK(t.at("stem.bn.running_mean") == V{32});
  CHECK(t.at("stem.bn.running_var") == V{32});
  CHECK(t.at("stem.bn.num_batches_tracked") == V{});
  // First block: projection (32 -> 48, stride 2); w_b = 48 / 2 = 24, 24 / 8 = 3 groups.
  CHECK(t.at("s1.b1.proj.weight") == V{48, 32, 1, 1});
  CHECK(t.at("s1.b1.bn.weight") == V{48});
  CHECK(t.at("s1.b1.f.a.weight") == V{24, 32, 1, 1});
  CHECK(t.at("s1.b1.f.a_bn.bias") == V{24});
  CHECK(t.at("s1.b1.f.b.weight") == V{24, 8, 3, 3});
  CHECK(t.at("s1.b1.f.b_bn.weight") == V{24});
  // SE width from the block INPUT width: round(0.25 * 32) = 8 (not 0.25 * w_b = 6).
  CHECK(t.at("s1.b1.f.se.f_ex.0.weight") == V{8, 24, 1, 1});
  CHECK(t.at("s1.b1.f.se.f_ex.0.bias") == V{8});
  CHECK(t.at("s1.b1.f.se.f_ex.2.weight") == V{24, 8, 1, 1});
  CHECK(t.at("s1.b1.f.se.f_ex.2.bias") == V{24});
  CHECK(t.at("s1.b1.f.c.weight") == V{48, 24, 1, 1});
  CHECK(t.at("s1.b1.f.c_bn.weight") == V{48});
  // Second block: 48 -> 48, stride 1: identity shortcut, SE from 48 -> 12.
  CHECK(t.count("s1.b2.proj.weight") == 0);
  CHECK(t.count("s1.b2.bn.weight") == 0);
  CHECK(t.at("s1.b2.f.se.f_ex.0.weight") == V{12, 24, 1, 1});
  CHECK(t.at("s2.b1.proj.weight") == V{96, 48, 1, 1});
  CHECK(t.at("s2.b1.f.b.weight") == V{96, 16, 3, 3});
  CHECK(t.at("head.fc.weight") == V{10, 96});
  CHECK(t.at("head.fc.bias") == V{10});
  // A stride-1 stage whose width does not change has no projection at all.
  Spec same = s;
  same.widths = {32, 96};
  same.strides = {1, 2};
  same.bottleneck_ratios = {1, 1};
  same.se_ratio = 0;
  const auto u = shapes(same);
  CHECK(u.count("s1.b1.proj.weight") == 0);
  CHECK(u.count("s1.b1.f.se.f_ex.0.weight") == 0);
  CHECK(u.count("s2.b1.proj.weight") == 1);
}

TEST_CASE("network: initialization as pycls (conv N(0, sqrt(2/fan_out)), BN 1/0, FC N(0, 0.01))", "[network]") {
  torch::manual_seed(3);
  Spec s;
  s.stem_width = 32;
  s.depths = {1};
  s.widths = {256};
  s.bottleneck_ratios = {1};
  s.group_widths = {16};
  s.strides = {2};
  s.num_classes = 1000;
  auto net = build_network(s);
  auto p = net->named_parameters();
  // 3x3 group conv 256 -> 256: fan_out = 9 * 256, not divided by the 16 groups.
  CHECK(p["s1.b1.f.b.weight"].std().item<double>() == Approx(std::sqrt(2.0 / (9 * 256))).epsilon(0.03));
  CHECK(p["s1.b1.f.a.weight"].std().item<double>() == Approx(std::sqrt(2.0 / 256)).epsilon(0.03));
  CHECK(p["head.fc.weight"].std().item<double>() == Approx(0.01).epsilon(0.03));
  CHECK(p["head.fc.bias"].abs().max().item<double>() == 0.0);
  CHECK(p["s1.b1.f.c_bn.weight"].eq(1).all().item<bool>());
  CHECK(p["s1.b1.f.c_bn.bias"].eq(0).all().item<bool>());
  auto bn = net->stem->bn;
  CHECK(bn->options.eps() == 1e-5);
  CHECK(bn->options.momentum().value() == 0.1);
}

TEST_CASE("network: state dict round trip through a pickle file", "[network]") {
  torch::manual_seed(5);
  Spec s;
  s.stem_type = StemType::res_stem_cifar;
  s.stem_width = 8;
  s.depths = {1, 1};
  s.widths = {8, 16};
  s.bottleneck_ratios = {1, 1};
  s.group_widths = {4, 8};
  s.strides = {2, 2};
  s.se_ratio = 0.25;
  s.input_channels = 1;
  s.num_classes = 10;
  auto a = build_network(s);
  auto b = build_network(s);  // different random init
  const std::string path = (std::filesystem::temp_directory_path() / "regnet-test-sd.pt").string();
  save_state_dict(*a, path);
  load_state_dict(*b, path);
  for (const auto& kv : a->named_parameters()) CHECK(torch::equal(kv.value(), b->named_parameters()[kv.key()]));
  Spec other = s;
  other.widths = {8, 24};
  auto c = build_network(other);
  CHECK_THROWS_WITH(load_state_dict(*c, path), Catch::Contains(path) && Catch::Contains("shape"));
  std::filesystem::remove(path);
}
