#include "train/export.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/output_path.hpp"
#include "core/base/terminal_text.hpp"
#include "core/model/complexity.hpp"
#include "train/network_impl.hpp"

namespace regnet::train {

namespace fs = std::filesystem;

namespace {

// FILE.pt -> FILE.json / FILE.check.pt
std::string sibling(const std::string& out, const std::string& suffix) {
  fs::path p(out);
  if (p.extension() == ".pt" || p.extension() == ".pth") p.replace_extension();
  return p.string() + suffix;
}

// Each output as the user will see it, and the file written for it (output_file: a link's target).
struct Output {
  std::string shown, target;
};

Output checked_output(const std::string& path, const ExportRequest& r) {
  const Output o{path, output_file(path, "--out", r.force)};
  std::error_code ec;
  for (const auto& [input, option] : r.inputs)
    if (!input.empty() && fs::equivalent(o.target, input, ec))
      fail(path, "--out", "is the " + option + " input: choose another --out");
  return o;
}

// The check pass holds its input and, at most, every activation: refuse what cannot fit.
void check_pass_fits(const ExportRequest& r, const std::string& where) {
  const Complexity c = complexity(r.spec, where);
  const double bytes = 4.0 * r.check_batch *
                       (static_cast<double>(r.spec.input_channels) * r.spec.input_size * r.spec.input_size +
                        static_cast<double>(c.acts));
  if (bytes > static_cast<double>(kMaxCheckBytes))
    fail(where, "--check-input",
         fmt::format("the check pass at input_size {} needs about {:.3g} GiB (at most {} GiB); use a smaller "
                     "--input-size",
                     r.spec.input_size, bytes / (1 << 30), kMaxCheckBytes >> 30));
}

std::string check_bytes(AnyNet& net, const ExportRequest& r) {
  // A fixed input from its own generator: independent of the weights' seed.
  auto gen = at::detail::createCPUGenerator(12345);
  auto x = at::randn({r.check_batch, r.spec.input_channels, r.spec.input_size, r.spec.input_size}, gen);
  torch::NoGradGuard no_grad;
  auto y = net->forward(x);
  c10::Dict<std::string, at::Tensor> check;
  check.insert("input", x.contiguous());
  check.insert("output", y.contiguous());
  const std::vector<char> bytes = plain_pickle(check);
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace

ExportResult export_model(const ExportRequest& r) {
  validate(r.spec, r.out_path.empty() ? "spec" : r.out_path);
  const Output weights = checked_output(r.out_path, r);
  const Output spec = checked_output(sibling(r.out_path, ".json"), r);
  const Output check = r.check ? checked_output(sibling(r.out_path, ".check.pt"), r) : Output{};
  if (r.check) check_pass_fits(r, r.out_path);

  std::vector<std::pair<std::string, std::string>> files;
  ExportResult out;
  try {
    torch::manual_seed(r.seed);
    AnyNet net = build_network(r.spec);
    if (!r.weights_path.empty()) load_state_dict(*net, r.weights_path);
    place_network(*net, torch::kCPU, false);
    net->eval();
    const auto sd = state_dict(*net);
    out.tensors = static_cast<std::int64_t>(sd.size());
    for (const auto& p : net->parameters()) out.parameters += p.numel();
    const std::vector<char> bytes = plain_pickle(sd);
    files.emplace_back(weights.target, std::string(bytes.begin(), bytes.end()));
    files.emplace_back(spec.target, json_text(to_json(r.spec)) + "\n");
    if (r.check) files.emplace_back(check.target, check_bytes(net, r));
  } catch (const c10::Error& e) {  // e.g. memory: one line, nothing written
    const std::string what = e.what_without_backtrace();
    fail(r.out_path, "", "cannot build the network: " + what.substr(0, what.find('\n')));
  }
  create_parent_dirs(weights.target, "--out");
  write_files_atomic(files);  // all three or none
  out.weights_file = weights.shown;
  out.spec_file = spec.shown;
  out.check_file = check.shown;
  out.weights_from = r.weights_path;
  out.seed = r.seed;
  return out;
}

nlohmann::json to_json(const ExportResult& r) {
  nlohmann::json j{{"weights", r.weights_file},
                   {"spec", r.spec_file},
                   {"tensors", r.tensors},
                   {"parameters", r.parameters},
                   {"initialized_from", r.weights_from.empty() ? "seed" : r.weights_from}};
  if (!r.check_file.empty()) j["check"] = r.check_file;
  return j;
}

std::string to_text(const ExportResult& r) {
  std::string t = fmt::format(
      "wrote {} ({} tensors, {} parameters, weights from {})\n", one_line(r.weights_file), r.tensors, r.parameters,
      r.weights_from.empty() ? fmt::format("fresh init, seed {}", r.seed) : one_line(r.weights_from));
  t += fmt::format("wrote {} (spec)\n", one_line(r.spec_file));
  if (!r.check_file.empty())
    t += fmt::format("wrote {} (fixed input and our output, eval mode)\n", one_line(r.check_file));
  return t;
}

}  // namespace regnet::train
