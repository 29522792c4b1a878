#include "core/refine/proposals.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "core/base/rng.hpp"
#include "core/base/text.hpp"
#include "core/model/design_parameters.hpp"
#include "core/space/distribution.hpp"

namespace regnet {

namespace {

using Values = std::vector<double>;

bool has_restriction(const DesignSpace& s, RestrictionKind kind, const std::string& quantity) {
  return std::any_of(s.restrictions.begin(), s.restrictions.end(),
                     [&](const Restriction& r) { return r.kind == kind && r.quantity == quantity; });
}

// A parameter the space really draws (not fixed), with the values it can take (empty: continuous).
struct Drawn {
  const SpaceParameter* p;
  std::vector<std::pair<double, double>> support;
};
std::vector<Drawn> drawn(const DesignSpace& s) {
  std::vector<Drawn> out;
  for (const auto& p : s.parameters)
    if (p.dist.kind != DistKind::fixed) out.push_back({&p, PreparedDistribution(p.dist).probabilities()});
  return out;
}

Proposal with_restriction(ProposalKind kind, const std::string& id, Restriction r, int dof) {
  Proposal p;
  p.kind = kind;
  p.id = id;
  p.restriction = std::move(r);
  p.dof_removed = dof;
  return p;
}

void ties(const DesignSpace& s, std::vector<Proposal>& out) {
  for (const auto& d : drawn(s))
    if (d.p->per_stage && !d.support.empty() && !has_restriction(s, RestrictionKind::tie, d.p->name))
      out.push_back(with_restriction(ProposalKind::tie, "tie-" + d.p->name,
                                     Restriction{RestrictionKind::tie, d.p->name, -INFINITY, INFINITY, {}},
                                     s.max_stages - 1));
}

void orders(const DesignSpace& s, std::vector<Proposal>& out) {
  for (const auto& d : drawn(s)) {
    if (!d.p->per_stage || s.max_stages < 2) continue;
    const bool constrained = std::any_of(s.constraints.begin(), s.constraints.end(),
                                         [&](const MonotonicConstraint& c) { return c.parameter == d.p->name; });
    if (constrained) continue;
    for (Order o : {Order::non_decreasing, Order::non_increasing}) {
      Proposal p;
      p.kind = ProposalKind::order;
      p.id = "order-" + d.p->name + "-" + to_string(o);
      p.order = MonotonicConstraint{d.p->name, o};
      out.push_back(p);
    }
  }
}

// Each model's values of a quantity.
std::vector<Values> values_of(const std::string& quantity, const std::vector<ScoredModel>& models) {
  std::vector<Values> v;
  for (const auto& m : models) v.push_back(quantity_values(quantity, m.record).value_or(Values{}));
  return v;
}

// Indices of the models, best (lowest error) first.
std::vector<size_t> by_error(const std::vector<ScoredModel>& models) {
  std::vector<size_t> idx(models.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return models[a].error < models[b].error; });
  return idx;
}

size_t best_count(size_t n, double fraction) {
  return std::min(n, std::max<size_t>(2, static_cast<size_t>(std::ceil(fraction * static_cast<double>(n)))));
}

double lower_median(Values v) {
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>((v.size() - 1) / 2), v.end());
  return v[(v.size() - 1) / 2];
}

// The good range: over bootstrap resamples of the models, the lowest and highest value of the best
// ones; their medians.
std::pair<double, double> good_range(const std::vector<Values>& values, const std::vector<ScoredModel>& models,
                                     const ProposalOptions& o, std::uint64_t salt) {
  SplitMix64 rng(mix64(o.seed ^ salt));
  Values lows, highs;
  std::vector<size_t> pick(models.size());
  for (int b = 0; b < o.bootstrap; ++b) {
    for (size_t i = 0; i < models.size(); ++i) pick[i] = rng.below(models.size());
    std::stable_sort(pick.begin(), pick.end(), [&](size_t x, size_t y) { return models[x].error < models[y].error; });
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < best_count(pick.size(), o.best_fraction); ++i)
      for (double x : values[pick[i]]) {
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
    lows.push_back(lo);
    highs.push_back(hi);
  }
  return {lower_median(lows), lower_median(highs)};
}

std::pair<double, double> extent(const std::vector<Values>& values) {
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& v : values)
    for (double x : v) {
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
  return {lo, hi};
}

// Quantities whose good range is proposed: the numeric draws, and what describes any model's shape.
std::vector<std::string> range_quantities(const DesignSpace& s) {
  std::vector<std::string> q;
  for (const auto& d : drawn(s))
    if (find_design_parameter(d.p->name)->type != ParameterType::word) q.push_back(d.p->name);
  q.push_back("total_depth");
  if (s.min_stages < s.max_stages) q.push_back("num_stages");
  if (s.type == SpaceType::anynet)
    for (const char* f : {"fit_w0", "fit_wa", "fit_wm"}) q.push_back(f);
  return q;
}

void ranges(const DesignSpace& s, const std::vector<ScoredModel>& models, const ProposalOptions& o,
            std::vector<Proposal>& out) {
  std::uint64_t salt = 0;
  for (const auto& q : range_quantities(s)) {
    const auto values = values_of(q, models);
    const auto [lo, hi] = good_range(values, models, o, ++salt);
    const auto [all_lo, all_hi] = extent(values);
    if (!(lo > all_lo || hi < all_hi) || !(lo <= hi)) continue;
    Restriction r{RestrictionKind::range, q, lo > all_lo ? lo : -INFINITY, hi < all_hi ? hi : INFINITY, {}};
    out.push_back(with_restriction(ProposalKind::range, "range-" + q, r, 0));
  }
  if (s.type != SpaceType::anynet) return;
  // The quantized linear restriction: models as near the line as the best ones are (the paper's §3.3).
  const auto values = values_of("e_fit", models);
  const double hi = good_range(values, models, o, ++salt).second;
  if (hi < extent(values).second)
    out.push_back(with_restriction(ProposalKind::linear, "linear-e_fit",
                                   Restriction{RestrictionKind::range, "e_fit", -INFINITY, hi, {}}, 0));
}

// Value sets and fixed values of the countable draws, from the best models.
void sets(const DesignSpace& s, const std::vector<ScoredModel>& models, const ProposalOptions& o,
          std::vector<Proposal>& out) {
  const std::vector<size_t> order = by_error(models);
  const size_t k = best_count(models.size(), o.best_fraction);
  for (const auto& d : drawn(s)) {
    if (d.support.empty() || static_cast<int>(d.support.size()) > o.max_set_values) continue;
    const auto values = values_of(d.p->name, models);
    std::map<double, int> best, all;
    for (size_t i = 0; i < models.size(); ++i)
      for (double x : values[order[i]]) ++(i < k ? best : all)[x];
    for (const auto& [x, c] : best) all[x] += c;
    if (all.size() < 2) continue;
    Values used;
    for (const auto& kv : best) used.push_back(kv.first);
    const std::string name = d.p->name;
    if (used.size() >= 2 && used.size() < all.size())
      out.push_back(with_restriction(ProposalKind::set, "set-" + name,
                                     {RestrictionKind::set, name, -INFINITY, INFINITY, used}, 0));
    const auto top = std::max_element(best.begin(), best.end(), [](auto& a, auto& b) { return a.second < b.second; });
    out.push_back(with_restriction(ProposalKind::fixed, "fixed-" + name,
                                   {RestrictionKind::set, name, -INFINITY, INFINITY, {top->first}},
                                   d.p->per_stage ? s.max_stages : 1));
  }
}

}  // namespace

std::vector<Proposal> propose(const DesignSpace& space, const std::vector<ScoredModel>& models,
                              const ProposalOptions& options) {
  std::vector<Proposal> out;
  ties(space, out);
  orders(space, out);
  if (models.size() < 2) return out;
  ranges(space, models, options, out);
  sets(space, models, options, out);
  return out;
}

DesignSpace child_space(const DesignSpace& parent, const Proposal& p) {
  DesignSpace child = parent;
  child.name = parent.name + "+" + p.id;
  child.file.clear();
  child.description = "refine: " + parent.name + " with " + to_text(p);
  if (p.restriction) child.restrictions.push_back(*p.restriction);
  if (p.order) child.constraints.push_back(*p.order);
  return child;
}

std::string to_string(ProposalKind k) {
  static const char* names[] = {"tie", "order", "range", "set", "fixed", "linear"};
  return names[static_cast<int>(k)];
}

std::string to_text(const Proposal& p) {
  if (p.order) return to_text(*p.order);
  if (p.kind == ProposalKind::linear) return "quantized linear: " + to_text(*p.restriction);
  if (p.kind == ProposalKind::fixed) return "fixed " + to_text(*p.restriction);
  return to_text(*p.restriction);
}

}  // namespace regnet
