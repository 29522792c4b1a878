#include "core/space/sampler.hpp"

// The draws are bit-identical on every machine: lib/core compiles with -ffp-contract=off.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_set>

#include "core/base/error.hpp"
#include "core/base/parallel.hpp"
#include "core/base/threads.hpp"
#include "core/model/compatibility.hpp"
#include "core/model/design_parameters.hpp"
#include "core/model/regnet.hpp"
#include "core/space/distribution.hpp"
#include "core/space/restriction.hpp"

namespace regnet {

namespace {

// --- One attempt ---------------------------------------------------------------------------

// The space with parameter indices resolved and distributions prepared.
struct Plan {
  const DesignSpace& space;
  std::vector<PreparedDistribution> dists;
  std::vector<const DesignParameter*> info;  // per space.parameters: its row of the table
  int depth, width, bottleneck_ratio, group_width, se_ratio, w0, wa, wm, activation;
  // AnyNet depths are drawn first and never adjusted, so a depth constraint can reject an attempt
  // before its other draws (its remaining draws cannot matter: same results, less work).
  std::vector<Order> depth_orders;
  // Ties (restrictions): per space.parameters, the exact conditional of equal stage draws; and per
  // stage count s, P(every tie holds | s) over its maximum, the chance that s is kept, so that s
  // too has its conditional distribution. Empty without ties: the parent's draws, unchanged.
  std::vector<std::optional<TiedDraw>> ties;
  std::vector<double> keep_stages;
  explicit Plan(const DesignSpace& s)
      : space(s),
        depth(index("depth")),
        width(index("width")),
        bottleneck_ratio(index("bottleneck_ratio")),
        group_width(index("group_width")),
        se_ratio(index("se_ratio")),
        w0(index("w0")),
        wa(index("wa")),
        wm(index("wm")),
        activation(index("activation")) {
    if (s.type == SpaceType::anynet)
      for (const auto& c : s.constraints)
        if (c.parameter == "depth") depth_orders.push_back(c.order);
    for (const auto& p : s.parameters) {
      dists.emplace_back(p.dist);
      info.push_back(find_design_parameter(p.name));
    }
    prepare_ties();
  }
  void prepare_ties() {
    for (const auto& r : space.restrictions) {
      if (r.kind != RestrictionKind::tie) continue;
      ties.resize(space.parameters.size());
      const int i = index(r.quantity.c_str());
      ties[static_cast<size_t>(i)].emplace(dists[static_cast<size_t>(i)], space.min_stages, space.max_stages);
    }
    if (ties.empty()) return;
    for (int n = space.min_stages; n <= space.max_stages; ++n) {
      double z = 1;
      for (const auto& t : ties)
        if (t) z *= t->equal_probability(n);
      keep_stages.push_back(z);
    }
    const double top = *std::max_element(keep_stages.begin(), keep_stages.end());
    for (double& k : keep_stages) k /= top;
  }
  // Position of a parameter in space.parameters; -1 where the space's type does not draw it.
  int index(const char* name) const {
    for (size_t i = 0; i < space.parameters.size(); ++i)
      if (space.parameters[i].name == name) return static_cast<int>(i);
    return -1;
  }
};

struct Draws {
  int num_stages = 0;
  std::vector<std::vector<double>> values;  // per space.parameters; one value if shared
  double get(size_t param, int stage) const {
    const auto& v = values[param];
    return v.size() == 1 ? v[0] : v[static_cast<size_t>(stage)];
  }
};

nlohmann::json draws_json(const Plan& plan, const Draws& d) {
  const DesignSpace& space = plan.space;
  nlohmann::json j = nlohmann::json::object();
  if (space.type == SpaceType::anynet) j["num_stages"] = d.num_stages;
  for (size_t i = 0; i < space.parameters.size(); ++i) {
    const auto& p = space.parameters[i];
    const DesignParameter& info = *plan.info[i];
    // A fixed default a space file did not name (activation relu) leaves the records as they were.
    if (!info.complexity && p.dist.kind == DistKind::fixed && p.dist.values[0] == info.fallback) continue;
    if (p.per_stage) {
      nlohmann::json a = nlohmann::json::array();
      for (double x : d.values[i]) a.push_back(value_json(info, x));
      j[p.name] = a;
    } else {
      j[p.name] = value_json(info, d.values[i][0]);
    }
  }
  return j;
}

struct Evaluation {
  Verdict verdict = Verdict::accepted;
  SampleRecord record;
};

template <typename T>
bool monotonic(const std::vector<T>& v, Order order) {
  for (size_t i = 1; i < v.size(); ++i)
    if (order == Order::non_decreasing ? v[i] < v[i - 1] : v[i] > v[i - 1]) return false;
  return true;
}

// Every draw of one attempt, in the documented order. False when the early depth check rejects it
// (skipped when every attempt is recorded).
bool draw_parameters(const Plan& plan, CounterRng& rng, bool always_record, Draws& d) {
  const DesignSpace& space = plan.space;
  d.num_stages = space.min_stages;
  if (space.type == SpaceType::anynet && space.max_stages > space.min_stages) {
    const int span = space.max_stages - space.min_stages + 1;
    d.num_stages = space.min_stages + std::min(span - 1, static_cast<int>(std::floor(rng.uniform() * span)));
    if (!plan.keep_stages.empty() &&
        rng.uniform() >= plan.keep_stages[static_cast<size_t>(d.num_stages - space.min_stages)])
      return false;
  }
  d.values.resize(space.parameters.size());
  for (size_t i = 0; i < space.parameters.size(); ++i) {
    const int count = space.parameters[i].per_stage ? d.num_stages : 1;
    d.values[i].reserve(static_cast<size_t>(count));
    if (i < plan.ties.size() && plan.ties[i])
      d.values[i].assign(static_cast<size_t>(count), plan.ties[i]->draw(d.num_stages, rng.uniform()));
    else
      for (int k = 0; k < count; ++k) d.values[i].push_back(plan.dists[i].draw(rng));
    if (static_cast<int>(i) == plan.depth && !always_record)
      for (Order o : plan.depth_orders)
        if (!monotonic(d.values[i], o)) return false;
  }
  return true;
}

// space_from_json fills in every parameter of the type, so the indices are set.
double value(const Draws& d, int index, int stage = 0) { return d.get(static_cast<size_t>(index), stage); }

Spec anynet_spec(const Plan& plan, const Draws& d) {
  Spec s;
  StageShape shape;
  for (int i = 0; i < d.num_stages; ++i) {
    s.depths.push_back(static_cast<int>(value(d, plan.depth, i)));
    shape.widths.push_back(static_cast<int>(value(d, plan.width, i)));
    shape.bottleneck_ratios.push_back(value(d, plan.bottleneck_ratio, i));
    shape.group_widths.push_back(static_cast<int>(value(d, plan.group_width, i)));
  }
  shape = adjust_block_compatibility(shape, Rounding::pycls);
  s.widths = shape.widths;
  s.bottleneck_ratios = shape.bottleneck_ratios;
  s.group_widths = shape.group_widths;
  s.se_ratio = value(d, plan.se_ratio);
  s.activation = static_cast<Activation>(value(d, plan.activation));
  return with_network_options(std::move(s), plan.space.network);
}

RegNetParams regnet_params(const Plan& plan, const Draws& d) {
  RegNetParams p;
  p.depth = static_cast<int>(value(d, plan.depth));
  p.w0 = value(d, plan.w0);
  p.wa = value(d, plan.wa);
  p.wm = value(d, plan.wm);
  p.group_width = static_cast<int>(value(d, plan.group_width));
  p.bottleneck_ratio = value(d, plan.bottleneck_ratio);
  p.se_ratio = value(d, plan.se_ratio);
  p.q = plan.space.width_quantum;
  return p;
}

// A RegNet draw is kept only when its widths form exactly the stages the space allows.
bool stage_count_allowed(const DesignSpace& space, const RegNetParams& p) {
  const RegNetWidths g = generate_regnet_unchecked(p.wa, p.w0, p.wm, p.depth, p.q);
  return g.num_stages == g.total_stages && g.num_stages >= space.min_stages && g.num_stages <= space.max_stages;
}

Evaluation evaluate(const Plan& plan, std::uint64_t seed, std::uint64_t attempt, const ComplexityWindow& window,
                    bool always_record) {
  const DesignSpace& space = plan.space;
  CounterRng rng(seed, attempt);
  Draws d;
  if (!draw_parameters(plan, rng, always_record, d)) return Evaluation{Verdict::constraint, {}};
  Evaluation ev;
  Spec& s = ev.record.spec;
  if (space.type == SpaceType::anynet) {
    s = anynet_spec(plan, d);
  } else {
    const RegNetParams p = regnet_params(plan, d);
    if (!stage_count_allowed(space, p)) {
      ev.verdict = Verdict::stages;
      if (always_record) ev.record.draw = draws_json(plan, d);
      return ev;
    }
    s = regnet_spec(p, space.network, Rounding::pycls);
    s.activation = static_cast<Activation>(value(d, plan.activation));
    ev.record.regnet = p;
  }
  if (!satisfies_constraints(space, s)) {
    ev.verdict = Verdict::constraint;
  } else {
    // A count beyond 64 bits is above every upper bound; with none, the model cannot be recorded.
    ev.record.complexity = saturated_complexity(s);
    if (!window.contains(ev.record.complexity))
      ev.verdict = Verdict::window;
    else if (overflows(ev.record.complexity))
      complexity(s, "space " + space.name);  // throws
  }
  if (always_record || ev.verdict == Verdict::accepted) ev.record.draw = draws_json(plan, d);
  // Restrictions last: they may need the draws, the complexity and the width fit of the model.
  if (ev.verdict == Verdict::accepted && !satisfies(space.restrictions, ev.record)) ev.verdict = Verdict::constraint;
  return ev;
}

}  // namespace

bool satisfies_constraints(const DesignSpace& space, const Spec& s) {
  for (const auto& c : space.constraints) {
    const DesignParameter* info = find_design_parameter(c.parameter);
    std::vector<double> values;
    for (int i = 0; i < s.num_stages(); ++i) values.push_back(info->stage_value(s, i).value_or(0));
    if (!monotonic(values, c.order)) return false;
  }
  return true;
}

Candidate draw_candidate(const DesignSpace& space, std::uint64_t seed, std::uint64_t attempt,
                         const ComplexityWindow& window) {
  Evaluation ev = evaluate(Plan(space), seed, attempt, window, true);
  return Candidate{ev.verdict, std::move(ev.record)};
}

namespace {

// The verdicts of attempts [first, first + len), and the accepted records of each slice
// (parallel_slices: at most `threads` of them).
struct Chunk {
  std::vector<Verdict> verdicts;
  std::vector<std::vector<SampleRecord>> passes;  // per slice; contiguous slices, so in attempt order
};

Chunk evaluate_chunk(const Plan& plan, const SampleOptions& opt, std::int64_t first, std::int64_t len, int threads) {
  Chunk c;
  c.verdicts.resize(static_cast<size_t>(len));
  c.passes.resize(static_cast<size_t>(threads));
  parallel_slices(len, threads, [&](int t, std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) {
      Evaluation ev = evaluate(plan, opt.seed, static_cast<std::uint64_t>(first + i), opt.window, false);
      c.verdicts[static_cast<size_t>(i)] = ev.verdict;
      if (ev.verdict == Verdict::accepted) c.passes[static_cast<size_t>(t)].push_back(std::move(ev.record));
    }
  });
  return c;
}

// Accepts in attempt order, dropping repeated specs; stops exactly at the attempt that completes the set.
void accept_chunk(Chunk& c, int n, std::unordered_set<std::string>& seen, SampleResult& out) {
  size_t thread_i = 0, pass_i = 0;
  for (size_t i = 0; i < c.verdicts.size() && static_cast<int>(out.samples.size()) < n; ++i) {
    ++out.stats.attempts;
    switch (c.verdicts[i]) {
      case Verdict::stages: ++out.stats.rejected_stages; break;
      case Verdict::constraint: ++out.stats.rejected_constraints; break;
      case Verdict::window: ++out.stats.rejected_window; break;
      case Verdict::accepted: {
        while (pass_i >= c.passes[thread_i].size()) {
          ++thread_i;
          pass_i = 0;
        }
        SampleRecord& r = c.passes[thread_i][pass_i++];
        if (!seen.insert(to_json(r.spec).dump()).second) {
          ++out.stats.duplicates;
          break;
        }
        r.id = static_cast<int>(out.samples.size());
        out.samples.push_back(std::move(r));
        ++out.stats.accepted;
        break;
      }
    }
  }
}

}  // namespace

SampleResult sample_space(const DesignSpace& space, const SampleOptions& opt) {
  if (opt.n < 0) fail("", "n", std::to_string(opt.n) + " must be >= 0");
  if (opt.max_attempts < 1) fail("", "max_attempts", std::to_string(opt.max_attempts) + " must be >= 1");
  const int threads = default_threads(opt.threads);
  const auto t0 = std::chrono::steady_clock::now();
  const Plan plan(space);
  SampleResult out;
  std::unordered_set<std::string> seen;
  std::int64_t chunk = 2048;  // grows: few wasted attempts for easy windows, little overhead for hard ones
  for (std::int64_t next = 0; static_cast<int>(out.samples.size()) < opt.n && next < opt.max_attempts;) {
    const std::int64_t len = std::min(chunk, opt.max_attempts - next);
    Chunk c = evaluate_chunk(plan, opt, next, len, threads);
    accept_chunk(c, opt.n, seen, out);
    next += len;
    chunk = std::min<std::int64_t>(chunk * 2, 65536);
    if (!opt.progress) continue;
    SampleProgress p;
    p.attempts = out.stats.attempts;
    p.accepted = static_cast<int>(out.samples.size());
    p.wanted = opt.n;
    p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    opt.progress(p);
  }
  out.complete = static_cast<int>(out.samples.size()) >= opt.n;
  return out;
}

}  // namespace regnet
