#include "core/stats/sequential_test.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/base/error.hpp"
#include "core/base/text.hpp"
#include "core/stats/edf.hpp"
#include "core/stats/ks.hpp"

namespace regnet {

namespace {

// Sample ids a look at n planned models covers, or -1 when the sweep has not got that far.
int ids_at(const TrainedErrors& e, int n) {
  const int have = static_cast<int>(e.errors.size());
  if (have >= n) return n;
  return e.complete ? have : -1;
}

std::vector<double> finite_prefix(const std::vector<double>& v, int ids) {
  std::vector<double> out;
  for (int i = 0; i < ids; ++i)
    if (std::isfinite(v[static_cast<size_t>(i)])) out.push_back(v[static_cast<size_t>(i)]);
  return out;
}

LookResult evaluate_look(const std::vector<double>& a, const std::vector<double>& b, const KsBoundary& bound, int look,
                         int n) {
  LookResult r;
  static_cast<LookHeader&>(r) = look_header(bound, look, n);
  r.boundary = bound.d();
  if (a.empty() || b.empty()) return r;
  const KsDistance ks = ks_distance(a, b, bound.lcm, bound.h_reject);
  r.d = ks.d;
  r.reject = ks.reject;
  r.direction = ks.direction;
  r.p_nominal = ks_two_sample(a, b).p_value;
  return r;
}

std::string decision_text(const SequentialOutcome& o, const LookResult& r) {
  if (r.reject) return "reject H0";
  const bool last = o.status == SequentialStatus::undecided && r.look == static_cast<int>(o.looks.size());
  return last ? "undecided" : (r.boundary > 1 ? "cannot reject" : "continue");
}

}  // namespace

LookHeader look_header(const LookPlan& plan, int look, int n) {
  LookHeader h;
  h.look = look;
  h.n = n;
  h.size = plan.size;
  h.t = plan.t;
  h.alpha_spent = plan.alpha_spent;
  return h;
}

KsDistance ks_distance(const std::vector<double>& a, const std::vector<double>& b, long lcm, long h_reject) {
  const KsLattice h = ks_lattice(a, b);
  KsDistance k;
  k.d = static_cast<double>(std::max(h.plus, h.minus)) / static_cast<double>(lcm);
  k.reject = std::max(h.plus, h.minus) >= h_reject;
  k.direction = (h.plus > h.minus) - (h.plus < h.minus);
  return k;
}

std::string look_sizes_text(const LookSize& s) {
  return s.n_a == s.n_b ? fmt::format("n = {}", s.n_a) : fmt::format("n = {}, {}", s.n_a, s.n_b);
}

std::string continuing_text(const SequentialDesign& d, size_t evaluated, const LookSize& trained,
                            const std::string& name_a, const std::string& name_b) {
  return fmt::format("continuing: look {} needs {} per sweep ({} has {}, {} has {})", evaluated + 1,
                     plural(d.looks[evaluated], "model"), name_a, trained.n_a, name_b, trained.n_b);
}

std::vector<std::pair<int, int>> sweep_pairs(int m) {
  if (m < 2) fail("", "sweeps", fmt::format("{} given: a comparison needs at least 2", m));
  std::vector<std::pair<int, int>> out;
  for (int i = 0; i < m; ++i)
    for (int j = i + 1; j < m; ++j) out.emplace_back(i, j);
  return out;
}

LookPrefixes look_prefixes(const TrainedErrors& a, const TrainedErrors& b, const std::vector<int>& looks) {
  LookPrefixes p;
  for (int n : looks) {
    const int ids_a = ids_at(a, n), ids_b = ids_at(b, n);
    if (ids_a < 0 || ids_b < 0) break;
    p.a.push_back(finite_prefix(a.errors, ids_a));
    p.b.push_back(finite_prefix(b.errors, ids_b));
    p.sizes.push_back({static_cast<int>(p.a.back().size()), static_cast<int>(p.b.back().size())});
  }
  return p;
}

std::string to_string(SequentialStatus s) {
  static const char* const names[] = {"decided", "undecided", "continuing"};
  return names[static_cast<int>(s)];
}

SequentialOutcome sequential_ks(const TrainedErrors& a, const TrainedErrors& b, const SequentialDesign& design) {
  validate(design);
  SequentialOutcome o;
  o.design = design;
  o.trained = {static_cast<int>(a.errors.size()), static_cast<int>(b.errors.size())};
  const LookPrefixes p = look_prefixes(a, b, design.looks);
  const std::vector<LookSize>& sizes = p.sizes;
  const std::vector<KsBoundary> bounds = ks_boundaries(design, sizes);
  for (size_t k = 0; k < sizes.size(); ++k) {
    o.looks.push_back(evaluate_look(p.a[k], p.b[k], bounds[k], static_cast<int>(k + 1), design.looks[k]));
    if (o.looks.back().reject) {
      o.status = SequentialStatus::decided;
      o.decided_at = static_cast<int>(k + 1);
      return o;
    }
  }
  o.status = sizes.size() == design.looks.size() ? SequentialStatus::undecided : SequentialStatus::continuing;
  return o;
}

SequentialOutcome sequential_ks(const std::vector<double>& a, const std::vector<double>& b,
                                const SequentialDesign& design) {
  return sequential_ks(TrainedErrors{a, false}, TrainedErrors{b, false}, design);
}

std::vector<PairOutcome> sequential_ks_pairs(const std::vector<TrainedErrors>& sweeps, const SequentialDesign& design) {
  const std::vector<std::pair<int, int>> pairs = sweep_pairs(static_cast<int>(sweeps.size()));
  SequentialDesign d = design;
  d.pairs = static_cast<int>(pairs.size());
  std::vector<PairOutcome> out;
  for (const auto& [i, j] : pairs)
    out.push_back({i, j, sequential_ks(sweeps[static_cast<size_t>(i)], sweeps[static_cast<size_t>(j)], d)});
  return out;
}

bool all_settled(const std::vector<PairOutcome>& pairs) {
  return std::none_of(pairs.begin(), pairs.end(),
                      [](const PairOutcome& p) { return p.outcome.status == SequentialStatus::continuing; });
}

std::string verdict(const SequentialOutcome& o, const std::string& name_a, const std::string& name_b) {
  if (o.status == SequentialStatus::continuing)
    return continuing_text(o.design, o.looks.size(), o.trained, name_a, name_b);
  const LookResult& r = o.looks.back();
  if (o.status == SequentialStatus::decided) {
    const std::string lower = r.direction > 0   ? name_a + " has the lower errors"
                              : r.direction < 0 ? name_b + " has the lower errors"
                                                : "neither EDF is above the other throughout";
    return fmt::format("decided at look {} ({}): D = {} >= {}, {}", r.look, look_sizes_text(r.size), fixed(r.d, 3),
                       fixed(r.boundary, 3), lower);
  }
  const std::string bound = r.boundary > 1 ? "no reachable boundary" : "< " + fixed(r.boundary, 3);
  return fmt::format("undecided at {}: D = {} {}", look_sizes_text(r.size), fixed(r.d, 3), bound);
}

std::string looks_table(const SequentialOutcome& o) {
  std::string out = fmt::format("{:>4} {:>5} {:>5} {:>5} {:>6} {:>8} {:>6} {:>8} {:>9}  {}\n", "look", "n", "n_a",
                                "n_b", "t", "alpha", "D", "boundary", "p fixed-n", "decision");
  for (const LookResult& r : o.looks)
    out += fmt::format("{:>4} {:>5} {:>5} {:>5} {:>6} {:>8} {:>6} {:>8} {:>9}  {}\n", r.look, r.n, r.size.n_a,
                       r.size.n_b, fixed(r.t, 3), significant(r.alpha_spent, 3), fixed(r.d, 3),
                       r.boundary > 1 ? std::string("-") : fixed(r.boundary, 3), significant(r.p_nominal, 3),
                       decision_text(o, r));
  return out;
}

nlohmann::json to_json(const LookHeader& r, double boundary) {
  return {{"look", r.look},    {"n", r.n},
          {"n_a", r.size.n_a}, {"n_b", r.size.n_b},
          {"t", r.t},          {"alpha_spent", r.alpha_spent},
          {"d", r.d},          {"boundary", boundary > 1 ? nlohmann::json() : nlohmann::json(boundary)}};
}

nlohmann::json to_json(const LookResult& r) {
  nlohmann::json j = to_json(static_cast<const LookHeader&>(r), r.boundary);
  j.update({{"p_nominal", r.p_nominal}, {"reject", r.reject}, {"direction", r.direction}});
  return j;
}

nlohmann::json to_json(const SequentialOutcome& o) {
  nlohmann::json looks = nlohmann::json::array();
  for (const LookResult& r : o.looks) looks.push_back(to_json(r));
  return {{"design", to_json(o.design)},
          {"looks", looks},
          {"status", to_string(o.status)},
          {"decided_at", o.decided_at},
          {"trained", {{"a", o.trained.n_a}, {"b", o.trained.n_b}}},
          {"verdict", verdict(o)}};
}

}  // namespace regnet
