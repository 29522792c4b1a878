// regnet-explore sample: draw N models from a design space into a complexity window and write
// a new sweep directory (docs/sweep-format.md).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/sampler.hpp"
#include "core/space.hpp"
#include "core/sweep.hpp"
#include "core/units.hpp"
#include "network_options.hpp"

namespace regnet::cli {

namespace {

struct Options {
  std::string space, out, flops, params, acts;
  int n = 0;
  std::uint64_t seed = 1;
  int threads = 0;
  std::int64_t max_attempts = 10'000'000;
  bool json = false;
  NetworkOverrides net;
};

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::json window_json(const Window& w) {
  return {{"lo", w.lo ? nlohmann::json(*w.lo) : nlohmann::json()},
          {"hi", w.hi ? nlohmann::json(*w.hi) : nlohmann::json()}};
}

// Progress on stderr once sampling takes longer than a second (core/progress.hpp: redrawn in
// place on a terminal, a plain line now and then in logs).
class ProgressPrinter {
 public:
  void operator()(const SampleProgress& p) {
    if (p.seconds < 1.0) return;
    if (!display_) display_ = std::make_unique<ProgressDisplay>(stderr);
    const double eta = p.accepted > 0 ? p.seconds * (p.wanted - p.accepted) / p.accepted : -1.0;
    char line[200];
    std::snprintf(line, sizeof line, "sampling %s %d/%d accepted, %s attempts (%.4g%%), %s elapsed, ETA %s",
                  render_bar(static_cast<double>(p.accepted) / p.wanted, 20).c_str(), p.accepted, p.wanted,
                  format_thousands(p.attempts).c_str(),
                  p.attempts ? 100.0 * p.accepted / static_cast<double>(p.attempts) : 0.0,
                  format_duration(p.seconds).c_str(), format_duration(eta).c_str());
    display_->update({line});
  }
  void finish() {
    if (display_) display_->finish();
  }

 private:
  std::unique_ptr<ProgressDisplay> display_;
};

struct Range {
  std::int64_t min = 0, median = 0, max = 0;
};
Range range_of(std::vector<std::int64_t> v) {
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  return {v.front(), v[v.size() / 2], v.back()};
}

void run(const Options& o) {
  namespace fs = std::filesystem;
  if (o.n < 1) fail("", "-n", std::to_string(o.n) + " must be >= 1");
  if (o.max_attempts < 1) fail("", "--max-attempts", std::to_string(o.max_attempts) + " must be >= 1");
  if (o.threads < 0) fail("", "--threads", std::to_string(o.threads) + " must be >= 0 (0: every core)");
  {  // Fail before the work, not after it (create_sweep checks again).
    std::error_code ec;
    if (fs::exists(o.out, ec) && (!fs::is_directory(o.out, ec) || !fs::is_empty(o.out, ec)))
      fail(o.out, "", "already exists and is not empty (choose another --out, or remove it)");
  }
  const DesignSpace loaded = load_space(o.space);
  DesignSpace space = loaded;
  space.network = apply_overrides(loaded.network, o.net);

  SampleOptions so;
  so.n = o.n;
  so.seed = o.seed;
  so.max_attempts = o.max_attempts;
  so.threads = o.threads;
  if (!o.flops.empty()) so.window.flops = parse_window(o.flops, "--flops");
  if (!o.params.empty()) so.window.params = parse_window(o.params, "--params");
  if (!o.acts.empty()) so.window.acts = parse_window(o.acts, "--acts");
  ProgressPrinter progress;
  so.progress = [&progress](const SampleProgress& p) { progress(p); };

  const auto t0 = std::chrono::steady_clock::now();
  const SampleResult r = sample_space(space, so);
  progress.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const SampleStats& st = r.stats;
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.4g%%", 100.0 * st.rate());
  if (!r.complete)
    fail("", space.name,
         "only " + std::to_string(r.samples.size()) + " of " + std::to_string(o.n) + " models found in " +
             format_thousands(st.attempts) + " attempts (acceptance " + rate + "; rejected: " +
             format_thousands(st.rejected_window) + " outside the window, " + format_thousands(st.rejected_constraints) +
             " by constraints, " + format_thousands(st.rejected_stages) + " by stage count, " +
             format_thousands(st.duplicates) + " duplicates). Widen --flops/--params/--acts or raise --max-attempts; "
             "nothing was written");

  nlohmann::json request{{"space", o.space},
                         {"n", o.n},
                         {"flops", o.flops.empty() ? nlohmann::json() : nlohmann::json(to_string(so.window.flops))},
                         {"params", o.params.empty() ? nlohmann::json() : nlohmann::json(to_string(so.window.params))},
                         {"acts", o.acts.empty() ? nlohmann::json() : nlohmann::json(to_string(so.window.acts))},
                         {"seed", o.seed},
                         {"max_attempts", o.max_attempts},
                         {"threads", o.threads},
                         {"out", o.out},
                         {"network_overrides", to_json(o.net)}};
  const nlohmann::json acceptance{{"attempts", st.attempts},
                                  {"accepted", st.accepted},
                                  {"rate", st.rate()},
                                  {"rejected_window", st.rejected_window},
                                  {"rejected_constraints", st.rejected_constraints},
                                  {"rejected_stages", st.rejected_stages},
                                  {"duplicates", st.duplicates}};
  nlohmann::json loaded_json = to_json(loaded);
  loaded_json["file"] = loaded.file;
  const nlohmann::json sweep{{"format_version", kSweepFormatVersion},
                             {"tool_version", REGNET_VERSION},
                             {"created", utc_now()},
                             {"command", "sample"},
                             {"request", request},
                             {"space_name", space.name},
                             {"space", loaded_json},
                             {"network", to_json(space.network)},
                             {"window",
                              {{"flops", window_json(so.window.flops)},
                               {"params", window_json(so.window.params)},
                               {"acts", window_json(so.window.acts)}}},
                             {"seed", o.seed},
                             {"n", o.n},
                             {"acceptance", acceptance}};
  create_sweep(o.out, sweep, r.samples);

  std::vector<std::int64_t> flops, params, acts;
  for (const auto& s : r.samples) {
    flops.push_back(s.complexity.flops);
    params.push_back(s.complexity.params);
    acts.push_back(s.complexity.acts);
  }
  const Range f = range_of(flops), p = range_of(params), a = range_of(acts);
  if (o.json) {
    auto rj = [](const Range& x) { return nlohmann::json{{"min", x.min}, {"median", x.median}, {"max", x.max}}; };
    nlohmann::json out{{"out", o.out},       {"space", space.name}, {"n", o.n},
                       {"seed", o.seed},     {"acceptance", acceptance}, {"seconds", seconds},
                       {"flops", rj(f)},     {"params", rj(p)},      {"acts", rj(a)},
                       {"network", to_json(space.network)}};
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::printf("sampled %d models from %s (seed %llu) in %s attempts: acceptance %s, %.2f s\n", o.n, space.name.c_str(),
              static_cast<unsigned long long>(o.seed), format_thousands(st.attempts).c_str(), rate, seconds);
  std::printf("  rejected: %s outside the window, %s by constraints, %s by stage count, %s duplicates\n",
              format_thousands(st.rejected_window).c_str(), format_thousands(st.rejected_constraints).c_str(),
              format_thousands(st.rejected_stages).c_str(), format_thousands(st.duplicates).c_str());
  std::printf("  network: %d px, %d channels, %d classes, stem %s width %d\n", space.network.input_size,
              space.network.input_channels, space.network.num_classes, to_string(space.network.stem_type).c_str(),
              space.network.stem_width);
  std::printf("  flops (MACs) %s .. %s .. %s (min, median, max)\n", format_count(f.min).c_str(),
              format_count(f.median).c_str(), format_count(f.max).c_str());
  std::printf("  params       %s .. %s .. %s\n", format_count(p.min).c_str(), format_count(p.median).c_str(),
              format_count(p.max).c_str());
  std::printf("  acts         %s .. %s .. %s\n", format_count(a.min).c_str(), format_count(a.median).c_str(),
              format_count(a.max).c_str());
  std::printf("wrote %s (sweep.json + %d samples)\n", o.out.c_str(), o.n);
}

}  // namespace

void add_sample_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("sample", "Draw N models from a design space into a complexity window; write a sweep");
  cmd->add_option("--space", o->space, "design space: a name from `regnet-explore spaces` or a .json file")->required();
  cmd->add_option("-n", o->n, "number of models")->required();
  cmd->add_option("--flops", o->flops, "flops (MACs) window LO:HI, e.g. 360M:400M, :400M, 2M:");
  cmd->add_option("--params", o->params, "parameter-count window LO:HI");
  cmd->add_option("--acts", o->acts, "activation-count window LO:HI");
  cmd->add_option("--seed", o->seed, "random seed; sample i depends only on (seed, attempt)")->capture_default_str();
  cmd->add_option("--out", o->out, "new sweep directory (must not exist, or be empty)")->required();
  add_network_options(cmd, o->net);
  cmd->add_option("--threads", o->threads, "threads (0: every core); results do not depend on it")
      ->capture_default_str();
  cmd->add_option("--max-attempts", o->max_attempts, "give up after this many attempts in all")->capture_default_str();
  cmd->add_flag("--json", o->json, "print the summary as JSON");
  cmd->footer(
      "Counts take SI suffixes (k, M, G; 400MF is 400M). flops are multiply-accumulates (MACs), pycls's\n"
      "convention. Rejection sampling: draws outside the window, breaking a constraint, with a wrong RegNet\n"
      "stage count, or repeating an earlier spec are dropped; the acceptance rate is printed and recorded.\n\n"
      "Examples:\n"
      "  regnet-explore sample --space AnyNetXA -n 500 --flops 360M:400M --seed 1 --out sweeps/xa\n"
      "  regnet-explore sample --space RegNetX -n 100 --preset fashion-mnist --flops 4M:12M --out sweeps/fm-regnetx\n"
      "  regnet-explore sample --space my_space.json -n 50 --params :3M --input-size 32 --stem res_stem_cifar --out s\n");
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
