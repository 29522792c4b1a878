#pragma once
// LibTorch modules of the AnyNet network (the paper's Fig. 3) with pycls's module names, so a state
// dict loads into pycls's AnyNet with load_state_dict(strict=True). Included only by lib/train
// .cpp files: it pulls in <torch/torch.h>.
#include <torch/torch.h>

#include <string>
#include <vector>

#include "core/model/spec.hpp"

namespace regnet::train {

// In these comments ReLU stands for the spec's activation (ReLU or SiLU, Spec::activation).

// conv 3x3 -> BN -> ReLU; stride 2 (simple_stem_in) or 1 (res_stem_cifar).
struct StemImpl : torch::nn::Module {
  StemImpl(int w_in, int w_out, int stride, Activation act);
  torch::Tensor forward(torch::Tensor x);
  torch::nn::Conv2d conv{nullptr};
  torch::nn::BatchNorm2d bn{nullptr};
  Activation act;
};
TORCH_MODULE(Stem);

// Squeeze-excitation: GAP -> 1x1 conv (bias) -> ReLU -> 1x1 conv (bias) -> sigmoid -> scale.
struct SEImpl : torch::nn::Module {
  SEImpl(int w, int w_se, Activation act);
  torch::Tensor forward(torch::Tensor x);
  torch::nn::Sequential f_ex{nullptr};  // 0 conv, 1 ReLU, 2 conv, 3 sigmoid (pycls's indices)
};
TORCH_MODULE(SE);

// 1x1 (w_in -> w_b) -> BN -> ReLU -> 3x3 group conv (stride) -> BN -> ReLU -> [SE] -> 1x1 -> BN.
struct BottleneckTransformImpl : torch::nn::Module {
  BottleneckTransformImpl(int w_in, int w_out, int stride, double bottleneck_ratio, int group_width, int w_se,
                          Activation act);
  torch::Tensor forward(torch::Tensor x);
  torch::nn::Conv2d a{nullptr}, b{nullptr}, c{nullptr};
  torch::nn::BatchNorm2d a_bn{nullptr}, b_bn{nullptr}, c_bn{nullptr};
  SE se{nullptr};  // null for the X block
  Activation act;
};
TORCH_MODULE(BottleneckTransform);

// out = ReLU(shortcut + f(x)); projection shortcut (1x1 conv stride s + BN) iff w_in != w_out or s != 1.
struct ResBottleneckBlockImpl : torch::nn::Module {
  ResBottleneckBlockImpl(int w_in, int w_out, int stride, double bottleneck_ratio, int group_width, int w_se,
                         Activation act);
  torch::Tensor forward(torch::Tensor x);
  torch::nn::Conv2d proj{nullptr};
  torch::nn::BatchNorm2d bn{nullptr};
  BottleneckTransform f{nullptr};
  Activation act;
};
TORCH_MODULE(ResBottleneckBlock);

// Blocks b1..bd; only b1 has the stage's stride.
struct AnyStageImpl : torch::nn::Module {
  AnyStageImpl(int w_in, int w_out, int stride, int depth, double bottleneck_ratio, int group_width, double se_ratio,
               Activation act);
  torch::Tensor forward(torch::Tensor x);
  std::vector<ResBottleneckBlock> blocks;
};
TORCH_MODULE(AnyStage);

// Global average pool -> fully connected with bias.
struct AnyHeadImpl : torch::nn::Module {
  AnyHeadImpl(int w_in, int num_classes);
  torch::Tensor forward(torch::Tensor x);
  torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(AnyHead);

struct AnyNetImpl : torch::nn::Module {
  explicit AnyNetImpl(const Spec& spec);
  torch::Tensor forward(torch::Tensor x);
  Stem stem{nullptr};
  std::vector<AnyStage> stages;  // s1..sN
  AnyHead head{nullptr};
};
TORCH_MODULE(AnyNet);

// Validates the spec (and kMaxNetworkParameters), builds and initializes the network (pycls's
// init) from the current torch seed, on the CPU.
AnyNet build_network(const Spec& spec);

// Moves parameters and buffers to `device`; with channels_last also converts 4-d weights
// (Tensor::to with a memory format: contiguous(ChannelsLast) is a no-op for 1x1 weights).
// Keeps each tensor's identity (set_data), so an optimizer built before or after still works.
void place_network(torch::nn::Module& net, const torch::Device& device, bool channels_last);

// The state dict (parameters then buffers, each in module order) by pycls names, on the CPU,
// contiguous: what Python's torch.load + load_state_dict expects.
c10::Dict<std::string, at::Tensor> state_dict(const torch::nn::Module& net);
// torch::pickle_save's archive without the type tags it wraps a typed dict in
// (torch.jit._pickle.restore_type_tag): PyTorch 2.6 and later load with weights_only=True by
// default and refuse that global, so only a plain dict of tensors loads with `torch.load(path)`
// everywhere. Same format otherwise (a zip with data.pkl and the tensors); pickle_load reads it.
std::vector<char> plain_pickle(const c10::IValue& v);
// Writes state_dict(net) with plain_pickle, atomically (tmp + rename).
void save_state_dict(const torch::nn::Module& net, const std::string& path);
// Reads a file written by save_state_dict (or Python's torch.save of a state dict of plain
// tensors) into net; every name must match with the same shape, else UserError naming the file.
void load_state_dict(torch::nn::Module& net, const std::string& path);

}  // namespace regnet::train
