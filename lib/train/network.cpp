#include "train/network.hpp"

#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/export.h>
#include <torch/csrc/jit/serialization/pickler.h>

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/output_path.hpp"
#include "core/model/complexity.hpp"
#include "train/network_impl.hpp"

namespace regnet::train {

namespace nn = torch::nn;
namespace fs = std::filesystem;

namespace {

nn::Conv2d conv(int w_in, int w_out, int k, int stride = 1, int groups = 1, bool bias = false) {
  return nn::Conv2d(nn::Conv2dOptions(w_in, w_out, k).stride(stride).padding((k - 1) / 2).groups(groups).bias(bias));
}

nn::BatchNorm2d bn(int w) { return nn::BatchNorm2d(nn::BatchNormOptions(w).eps(1e-5).momentum(0.1)); }

// pycls's init_weights: conv ~ N(0, sqrt(2 / fan_out)) with fan_out = k*k*out_channels (not divided
// by groups), BN gamma 1 / beta 0, FC ~ N(0, 0.01) with bias 0. SE conv biases keep the default.
void init_weights(nn::Module& m) {
  torch::NoGradGuard no_grad;
  if (auto* c = m.as<nn::Conv2d>()) {
    const auto& w = c->weight;
    const double fan_out = static_cast<double>(w.size(2) * w.size(3) * w.size(0));
    w.normal_(0.0, std::sqrt(2.0 / fan_out));
  } else if (auto* b = m.as<nn::BatchNorm2d>()) {
    b->weight.fill_(1.0);
    b->bias.zero_();
  } else if (auto* l = m.as<nn::Linear>()) {
    l->weight.normal_(0.0, 0.01);
    l->bias.zero_();
  }
}

}  // namespace

namespace {

// The activation in place (pycls's inplace ReLU / SiLU).
torch::Tensor activate_(torch::Tensor x, Activation act) {
  return act == Activation::silu ? torch::silu_(x) : x.relu_();
}

// f_ex[1]: parameterless, so the state dict is the same for either.
nn::AnyModule activation_module(Activation act) {
  return act == Activation::silu ? nn::AnyModule(nn::SiLU()) : nn::AnyModule(nn::ReLU(nn::ReLUOptions(true)));
}
}  // namespace

StemImpl::StemImpl(int w_in, int w_out, int stride, Activation activation)
    : conv(register_module("conv", regnet::train::conv(w_in, w_out, 3, stride))),
      bn(register_module("bn", regnet::train::bn(w_out))),
      act(activation) {}

torch::Tensor StemImpl::forward(torch::Tensor x) { return activate_(bn(conv(x)), act); }

SEImpl::SEImpl(int w, int w_se, Activation act)
    : f_ex(register_module("f_ex", nn::Sequential(conv(w, w_se, 1, 1, 1, true), activation_module(act),
                                                  conv(w_se, w, 1, 1, 1, true), nn::Sigmoid()))) {}

torch::Tensor SEImpl::forward(torch::Tensor x) { return x * f_ex->forward(torch::adaptive_avg_pool2d(x, {1, 1})); }

BottleneckTransformImpl::BottleneckTransformImpl(int w_in, int w_out, int stride, double bottleneck_ratio,
                                                 int group_width, int w_se, Activation activation)
    : act(activation) {
  const int w_b = bottleneck_width(w_out, bottleneck_ratio);
  const int groups = w_b / group_width;
  a = register_module("a", conv(w_in, w_b, 1));
  a_bn = register_module("a_bn", bn(w_b));
  b = register_module("b", conv(w_b, w_b, 3, stride, groups));
  b_bn = register_module("b_bn", bn(w_b));
  if (w_se > 0) se = register_module("se", SE(w_b, w_se, act));
  c = register_module("c", conv(w_b, w_out, 1));
  c_bn = register_module("c_bn", bn(w_out));
}

torch::Tensor BottleneckTransformImpl::forward(torch::Tensor x) {
  x = activate_(a_bn(a(x)), act);
  x = activate_(b_bn(b(x)), act);
  if (se) x = se(x);
  return c_bn(c(x));
}

ResBottleneckBlockImpl::ResBottleneckBlockImpl(int w_in, int w_out, int stride, double bottleneck_ratio,
                                               int group_width, int w_se, Activation activation)
    : act(activation) {
  if (w_in != w_out || stride != 1) {
    proj = register_module("proj", conv(w_in, w_out, 1, stride));
    bn = register_module("bn", regnet::train::bn(w_out));
  }
  f = register_module("f", BottleneckTransform(w_in, w_out, stride, bottleneck_ratio, group_width, w_se, act));
}

torch::Tensor ResBottleneckBlockImpl::forward(torch::Tensor x) {
  auto shortcut = proj ? bn(proj(x)) : x;
  return activate_(f(x).add_(shortcut), act);  // no activation before the add
}

AnyStageImpl::AnyStageImpl(int w_in, int w_out, int stride, int depth, double bottleneck_ratio, int group_width,
                           double se_ratio, Activation act) {
  for (int i = 0; i < depth; ++i) {
    const int b_in = i == 0 ? w_in : w_out;
    // SE width from the block's INPUT width (pycls), not the bottleneck width.
    const int w_se = se_ratio > 0 ? static_cast<int>(std::nearbyint(se_ratio * b_in)) : 0;
    blocks.push_back(register_module(
        "b" + std::to_string(i + 1),
        ResBottleneckBlock(b_in, w_out, i == 0 ? stride : 1, bottleneck_ratio, group_width, w_se, act)));
  }
}

torch::Tensor AnyStageImpl::forward(torch::Tensor x) {
  for (auto& b : blocks) x = b(x);
  return x;
}

AnyHeadImpl::AnyHeadImpl(int w_in, int num_classes)
    : fc(register_module("fc", nn::Linear(nn::LinearOptions(w_in, num_classes).bias(true)))) {}

torch::Tensor AnyHeadImpl::forward(torch::Tensor x) { return fc(torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1)); }

AnyNetImpl::AnyNetImpl(const Spec& s) {
  stem = register_module("stem", Stem(s.input_channels, s.stem_width, stem_stride(s.stem_type), s.activation));
  int w_in = s.stem_width;
  for (int i = 0; i < s.num_stages(); ++i) {
    stages.push_back(register_module("s" + std::to_string(i + 1),
                                     AnyStage(w_in, s.widths[i], s.strides[i], s.depths[i], s.bottleneck_ratios[i],
                                              s.group_widths[i], s.se_ratio, s.activation)));
    w_in = s.widths[i];
  }
  head = register_module("head", AnyHead(w_in, s.num_classes));
}

torch::Tensor AnyNetImpl::forward(torch::Tensor x) {
  x = stem(x);
  for (auto& s : stages) x = s(x);
  return head(x);
}

AnyNet build_network(const Spec& spec) {
  validate(spec, "spec");
  const std::int64_t params = complexity(spec, "spec").params;
  if (params > kMaxNetworkParameters)
    fail("spec", "params",
         fmt::format("{} parameters: more than the {} a network built here may have", params, kMaxNetworkParameters));
  AnyNet net(spec);
  net->apply([](nn::Module& m) { init_weights(m); });
  return net;
}

void place_network(torch::nn::Module& net, const torch::Device& device, bool channels_last) {
  torch::NoGradGuard no_grad;
  const auto fmt = channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
  auto move = [&](torch::Tensor& t) {
    if (t.dim() == 4)
      t.set_data(t.to(t.options().device(device), false, false, fmt));
    else
      t.set_data(t.to(device));
  };
  for (auto& p : net.parameters()) move(p);
  for (auto& b : net.buffers()) move(b);
}

c10::Dict<std::string, at::Tensor> state_dict(const torch::nn::Module& net) {
  c10::Dict<std::string, at::Tensor> d;
  for (const auto& p : net.named_parameters()) d.insert(p.key(), p.value().detach().cpu().contiguous());
  for (const auto& b : net.named_buffers()) d.insert(b.key(), b.value().detach().cpu().contiguous());
  return d;
}

std::vector<char> plain_pickle(const c10::IValue& v) {
  std::vector<char> data, out;
  torch::jit::Pickler pickler([&](const char* b, size_t n) { data.insert(data.end(), b, b + n); }, nullptr, nullptr,
                              nullptr, nullptr, /*tag_aggregates=*/false);
  pickler.protocol();
  pickler.pushIValue(v);
  pickler.stop();
  caffe2::serialize::PyTorchStreamWriter writer([&](const void* p, size_t n) {
    out.insert(out.end(), static_cast<const char*>(p), static_cast<const char*>(p) + n);
    return n;
  });
  torch::jit::writeArchiveAndTensors("data", data.data(), data.size(), pickler.tensorData(), writer);
  writer.writeEndOfFile();  // before `out` is returned, not in the writer's destructor after it
  return out;
}

void save_state_dict(const torch::nn::Module& net, const std::string& path) {
  const std::vector<char> bytes = plain_pickle(state_dict(net));
  create_parent_dirs(path, "");
  write_file_atomic(path, std::string(bytes.begin(), bytes.end()));
}

void load_state_dict(torch::nn::Module& net, const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) fail(path, "", "is a directory, not a weights file");
  if (fs::exists(path, ec) && !fs::is_regular_file(path, ec)) fail(path, "", "is not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "", "cannot open weights file");
  // A trainer checkpoint (a torch::save archive with the network under "model")?
  {
    torch::serialize::InputArchive ar, model;
    bool is_checkpoint = false;
    try {
      ar.load_from(path, torch::kCPU);
      is_checkpoint = ar.try_read("model", model);
    } catch (const c10::Error&) {
    }
    if (is_checkpoint) {
      std::map<std::string, std::vector<std::int64_t>> shapes;
      for (const auto& p : net.named_parameters()) shapes[p.key()] = p.value().sizes().vec();
      for (const auto& b : net.named_buffers()) shapes[b.key()] = b.value().sizes().vec();
      const auto device = net.parameters().empty() ? torch::Device(torch::kCPU) : net.parameters()[0].device();
      try {
        net.load(model);
      } catch (const c10::Error& e) {
        fail(path, "",
             "checkpoint does not match this network (" + std::string(e.what_without_backtrace()).substr(0, 120) + ")");
      }
      for (const auto& p : net.named_parameters())
        if (p.value().sizes().vec() != shapes[p.key()])
          fail(path, p.key(), "checkpoint shape " + c10::str(p.value().sizes()) + " does not match the network's");
      for (const auto& b : net.named_buffers())
        if (b.value().sizes().vec() != shapes[b.key()])
          fail(path, b.key(), "checkpoint shape " + c10::str(b.value().sizes()) + " does not match the network's");
      place_network(net, device, false);
      return;
    }
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  c10::IValue v;
  try {
    v = torch::pickle_load(bytes);
  } catch (const c10::Error& e) {
    fail(path, "",
         "not a state dict written by regnet-explore or torch.save (" +
             std::string(e.what_without_backtrace()).substr(0, 120) + ")");
  }
  if (!v.isGenericDict()) fail(path, "", "not a state dict (expected a dict of tensors)");
  auto dict = v.toGenericDict();
  torch::NoGradGuard no_grad;
  size_t matched = 0;
  auto assign = [&](const std::string& name, torch::Tensor& t) {
    auto it = dict.find(name);
    if (it == dict.end()) fail(path, name, "missing from the state dict");
    if (!it->value().isTensor()) fail(path, name, "is not a tensor");
    const auto src = it->value().toTensor();
    if (src.sizes() != t.sizes())
      fail(path, name, "shape " + c10::str(src.sizes()) + " does not match the network's " + c10::str(t.sizes()));
    t.copy_(src);
    ++matched;
  };
  for (auto& p : net.named_parameters()) assign(p.key(), p.value());
  for (auto& b : net.named_buffers()) assign(b.key(), b.value());
  if (matched != dict.size()) {
    for (const auto& e : dict) {
      const std::string k = e.key().toStringRef();
      if (!net.named_parameters().contains(k) && !net.named_buffers().contains(k))
        fail(path, k, "not a tensor of this network (the weights belong to another spec)");
    }
  }
}

std::vector<StateTensor> network_state(const Spec& spec) {
  auto net = build_network(spec);
  std::vector<StateTensor> out;
  for (const auto& p : net->named_parameters()) out.push_back({p.key(), p.value().sizes().vec(), true});
  for (const auto& b : net->named_buffers()) out.push_back({b.key(), b.value().sizes().vec(), false});
  return out;
}

std::int64_t network_parameter_count(const Spec& spec) {
  std::int64_t n = 0;
  for (const auto& t : network_state(spec)) {
    if (!t.parameter) continue;
    std::int64_t k = 1;
    for (auto d : t.shape) k *= d;
    n += k;
  }
  return n;
}

}  // namespace regnet::train
