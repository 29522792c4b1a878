#include "train/export.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_io.hpp"
#include "train/network_impl.hpp"

namespace regnet::train {

namespace {

// FILE.pt -> FILE.json / FILE.check.pt
std::string sibling(const std::string& out, const std::string& suffix) {
  std::filesystem::path p(out);
  if (p.extension() == ".pt" || p.extension() == ".pth") p.replace_extension();
  return p.string() + suffix;
}

}  // namespace

ExportResult export_model(const ExportRequest& r) {
  if (r.out_path.empty()) fail("", "--out", "an output file is needed");
  validate(r.spec, r.out_path);
  torch::manual_seed(r.seed);
  AnyNet net = build_network(r.spec);
  if (!r.weights_path.empty()) load_state_dict(*net, r.weights_path);
  place_network(*net, torch::kCPU, false);
  net->eval();

  ExportResult out;
  out.weights_file = r.out_path;
  out.spec_file = sibling(r.out_path, ".json");
  save_state_dict(*net, out.weights_file);
  write_json_atomic(out.spec_file, to_json(r.spec));
  const auto sd = state_dict(*net);
  out.tensors = static_cast<std::int64_t>(sd.size());
  for (const auto& p : net->parameters()) out.parameters += p.numel();

  if (r.check) {
    out.check_file = sibling(r.out_path, ".check.pt");
    // A fixed input from its own generator: independent of the weights' seed.
    auto gen = at::detail::createCPUGenerator(12345);
    auto x = at::randn({r.check_batch, r.spec.input_channels, r.spec.input_size, r.spec.input_size}, gen);
    torch::NoGradGuard no_grad;
    auto y = net->forward(x);
    c10::Dict<std::string, at::Tensor> check;
    check.insert("input", x.contiguous());
    check.insert("output", y.contiguous());
    const std::vector<char> bytes = torch::pickle_save(check);
    write_file_atomic(out.check_file, std::string(bytes.begin(), bytes.end()));
  }
  return out;
}

}  // namespace regnet::train
