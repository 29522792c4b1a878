#include "core/space/sample_sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "core/base/error.hpp"
#include "core/base/progress.hpp"
#include "core/base/terminal_text.hpp"
#include "core/base/text.hpp"
#include "core/base/units.hpp"
#include "core/sweep/directory.hpp"

namespace regnet {

namespace {

nlohmann::json window_json(const Window& w) {
  return {{"lo", w.lo ? nlohmann::json(*w.lo) : nlohmann::json()},
          {"hi", w.hi ? nlohmann::json(*w.hi) : nlohmann::json()}};
}

// The window as the user wrote it, exactly (null when not given).
nlohmann::json asked(const std::string& text, const Window& w) {
  return text.empty() ? nlohmann::json() : nlohmann::json(to_string(w));
}

nlohmann::json request_json(const SampleRequest& r, const ComplexityWindow& w) {
  return {{"space", r.space},
          {"n", r.n},
          {"flops", asked(r.flops, w.flops)},
          {"params", asked(r.params, w.params)},
          {"acts", asked(r.acts, w.acts)},
          {"seed", r.seed},
          {"max_attempts", r.max_attempts},
          {"threads", r.threads},
          {"out", r.out},
          {"network_overrides", to_json(r.net)}};
}

nlohmann::json to_json(const CountRange& x) { return {{"min", x.min}, {"median", x.median}, {"max", x.max}}; }

std::string range_text(const CountRange& x) {
  return format_count(x.min) + " .. " + format_count(x.median) + " .. " + format_count(x.max);
}

void summarize_complexity(const std::vector<SampleRecord>& samples, SampleSummary& s) {
  std::vector<std::int64_t> flops, params, acts;
  for (const auto& r : samples) {
    flops.push_back(r.complexity.flops);
    params.push_back(r.complexity.params);
    acts.push_back(r.complexity.acts);
  }
  s.flops = count_range(flops);
  s.params = count_range(params);
  s.acts = count_range(acts);
}

}  // namespace

CountRange count_range(std::vector<std::int64_t> v) {
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  return {v.front(), v[v.size() / 2], v.back()};
}

void check_request(const SampleRequest& r) {
  if (r.n < 1 || r.n > kMaxSamples) fail("", "-n", fmt::format("{} must be in [1, {}]", r.n, kMaxSamples));
  if (r.max_attempts < 1 || r.max_attempts > kMaxAttempts)
    fail("", "--max-attempts", fmt::format("{} must be in [1, {}]", r.max_attempts, kMaxAttempts));
  if (r.max_attempts < r.n)
    fail("", "--max-attempts", fmt::format("{} is below -n {}: that many models cannot be found", r.max_attempts, r.n));
  if (r.threads < 0 || r.threads > kMaxThreads)
    fail("", "--threads", fmt::format("{} must be in [0, {}] (0: every core)", r.threads, kMaxThreads));
  require_new_sweep_dir(r.out);  // before the work, not after it (create_sweep checks again)
}

ComplexityWindow request_window(const SampleRequest& r) {
  ComplexityWindow w;
  if (!r.flops.empty()) w.flops = parse_window(r.flops, "--flops");
  if (!r.params.empty()) w.params = parse_window(r.params, "--params");
  if (!r.acts.empty()) w.acts = parse_window(r.acts, "--acts");
  return w;
}

nlohmann::json to_json(const SampleStats& st) {
  return {{"attempts", st.attempts},
          {"accepted", st.accepted},
          {"rate", st.rate()},
          {"rejected_window", st.rejected_window},
          {"rejected_constraints", st.rejected_constraints},
          {"rejected_stages", st.rejected_stages},
          {"duplicates", st.duplicates}};
}

std::string acceptance_percent(const SampleStats& st) { return significant(100.0 * st.rate(), 4) + "%"; }

std::string shortfall_message(const SampleStats& st, std::size_t found, int wanted) {
  return fmt::format(
      "only {} of {} models found in {} attempts (acceptance {}; rejected: {} outside the window, {} by "
      "constraints, {} by stage count, {} duplicates). Widen --flops/--params/--acts or raise --max-attempts; "
      "nothing was written",
      found, wanted, format_thousands(st.attempts), acceptance_percent(st), format_thousands(st.rejected_window),
      format_thousands(st.rejected_constraints), format_thousands(st.rejected_stages), format_thousands(st.duplicates));
}

nlohmann::json sweep_json(const SampleRequest& r, const DesignSpace& loaded, const NetworkOptions& network,
                          const SampleStats& stats, const std::string& created) {
  const ComplexityWindow w = request_window(r);
  nlohmann::json space = to_json(loaded);
  space["file"] = loaded.file;
  return {
      {"format_version", kSweepFormatVersion},
      {"tool_version", REGNET_VERSION},
      {"created", created},
      {"command", "sample"},
      {"request", request_json(r, w)},
      {"space_name", loaded.name},
      {"space", space},
      {"network", to_json(network)},
      {"window", {{"flops", window_json(w.flops)}, {"params", window_json(w.params)}, {"acts", window_json(w.acts)}}},
      {"seed", r.seed},
      {"n", r.n},
      {"acceptance", to_json(stats)}};
}

std::string utc_timestamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

SampleSummary sample_sweep(const SampleRequest& request, const std::function<void(const SampleProgress&)>& progress) {
  check_request(request);
  const DesignSpace loaded = apply_activation(load_space(request.space), request.net);
  SampleSummary out{request, loaded, {}, 0, {}, {}, {}};
  out.space.network = apply_overrides(loaded.network, request.net);
  SampleOptions so;
  so.n = request.n;
  so.seed = request.seed;
  so.max_attempts = request.max_attempts;
  so.threads = request.threads;
  so.window = request_window(request);
  so.progress = progress;
  const auto t0 = std::chrono::steady_clock::now();
  const SampleResult r = sample_space(out.space, so);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.stats = r.stats;
  if (!r.complete) fail("", loaded.name, shortfall_message(r.stats, r.samples.size(), request.n));
  create_sweep(request.out, sweep_json(request, loaded, out.space.network, r.stats, utc_timestamp()), r.samples);
  summarize_complexity(r.samples, out);
  return out;
}

nlohmann::json to_json(const SampleSummary& s) {
  return {{"out", s.request.out},
          {"space", s.space.name},
          {"n", s.request.n},
          {"seed", s.request.seed},
          {"acceptance", to_json(s.stats)},
          {"seconds", s.seconds},
          {"flops", to_json(s.flops)},
          {"params", to_json(s.params)},
          {"acts", to_json(s.acts)},
          {"network", to_json(s.space.network)}};
}

std::string summary_text(const SampleSummary& s) {
  const SampleStats& st = s.stats;
  const NetworkOptions& net = s.space.network;
  std::string t = fmt::format("sampled {} models from {} (seed {}) in {} attempts: acceptance {}, {} s\n", s.request.n,
                              one_line(s.space.name), s.request.seed, format_thousands(st.attempts),
                              acceptance_percent(st), fixed(s.seconds, 2));
  t += fmt::format("  rejected: {} outside the window, {} by constraints, {} by stage count, {} duplicates\n",
                   format_thousands(st.rejected_window), format_thousands(st.rejected_constraints),
                   format_thousands(st.rejected_stages), format_thousands(st.duplicates));
  t += fmt::format("  network: {} px, {} channels, {} classes, stem {} width {}\n", net.input_size, net.input_channels,
                   net.num_classes, to_string(net.stem_type), net.stem_width);
  t += "  flops (MACs) " + range_text(s.flops) + " (min, median, max)\n";
  t += "  params       " + range_text(s.params) + "\n";
  t += "  acts         " + range_text(s.acts) + "\n";
  return t + fmt::format("wrote {} (sweep.json + {} samples)\n", one_line(s.request.out), s.request.n);
}

std::string progress_line(const SampleProgress& p) {
  const double eta = eta_at_rate(p.accepted, p.wanted - p.accepted, p.seconds);
  const double percent = p.attempts ? 100.0 * p.accepted / static_cast<double>(p.attempts) : 0.0;
  return fmt::format("sampling {} {}/{} accepted, {} attempts ({}%), {} elapsed, ETA {}",
                     render_bar(static_cast<double>(p.accepted) / p.wanted, 20), p.accepted, p.wanted,
                     format_thousands(p.attempts), significant(percent, 4), format_duration(p.seconds),
                     format_duration(eta));
}

}  // namespace regnet
