#pragma once
// The AnyNet network built from a Spec (the paper's Fig. 3), seen without LibTorch: the names and
// shapes of its state-dict tensors, by pycls's module names (stem.conv.weight, s1.b1.f.a.weight,
// s1.b1.f.se.f_ex.0.bias, head.fc.weight ...). The module itself lives in network_impl.hpp.
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/spec.hpp"

namespace regnet::train {

// The most trainable parameters a network may have (8 GB of float32 weights; RegNetY-32GF has 145M):
// build_network refuses a larger spec with a UserError instead of running out of memory.
constexpr std::int64_t kMaxNetworkParameters = 2'000'000'000;

struct StateTensor {
  std::string name;
  std::vector<std::int64_t> shape;
  bool parameter = true;  // false: a BN buffer (running_mean, running_var, num_batches_tracked)
};

// Builds the network (on the CPU) and lists its state dict in order. Validates the spec.
std::vector<StateTensor> network_state(const Spec& spec);

// Number of trainable parameters of the built network; equals complexity(spec).params.
std::int64_t network_parameter_count(const Spec& spec);

}  // namespace regnet::train
