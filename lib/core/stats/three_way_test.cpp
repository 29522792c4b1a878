#include "core/stats/three_way_test.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/base/error.hpp"
#include "core/base/text.hpp"
#include "core/stats/ks.hpp"

namespace regnet {

namespace {

// Errors on a grid (top-1 errors of a test set) carry floating-point noise (21.999999999999996):
// interval ends this close to 0 or the margin count as on it, so the closed-interval argument for
// ties (docs/statistics.md) holds for them too.
constexpr double kTolerance = 1e-9;

ThreeWayLook evaluate_look(const std::vector<double>& a, const std::vector<double>& b, const ThreeWayBoundary& bound,
                           const LookHeader& header, const ThreeWayQuestion& q) {
  ThreeWayLook r;
  static_cast<LookHeader&>(r) = header;
  r.ks_boundary = bound.ks_reachable() ? bound.ks_d() : 2;
  if (a.empty() || b.empty()) return r;
  const KsDistance ks = ks_distance(a, b, bound.lcm, bound.ks_h_reject);
  r.d = ks.d;
  r.ks_reject = ks.reject;
  const PairwiseDifferences diff(a, b);
  r.shift = hodges_lehmann(diff);
  r.ci_different = shift_interval(diff, bound.r_different);
  r.ci_equivalence = shift_interval(diff, bound.r_equivalence);
  r.interval_reject = r.ci_different.lower > kTolerance || r.ci_different.upper < -kTolerance;
  const double m = q.margin - kTolerance;
  r.equivalent = -m < r.ci_equivalence.lower && r.ci_equivalence.upper < m;
  // a no worse than b: a - b below +margin; b no worse than a: b - a below +margin.
  if (q.non_inferior != 0)
    r.non_inferior = q.non_inferior > 0 ? r.ci_equivalence.upper < m : r.ci_equivalence.lower > -m;
  if (r.interval_reject)
    r.direction = r.ci_different.lower > 0 ? -1 : 1;
  else if (r.ks_reject)
    r.direction = ks.direction;
  return r;
}

// The status a look settles, or continuing.
// Where both a margin claim and "different" hold (a real shift smaller than the margin), the
// margin claim is the answer to the question asked; the verdict names the difference too.
ThreeWayStatus look_status(const ThreeWayLook& r, const ThreeWayQuestion& q) {
  if (q.non_inferior == 0 && r.equivalent) return ThreeWayStatus::equivalent;
  if (q.non_inferior != 0 && r.non_inferior) return ThreeWayStatus::non_inferior;
  if (r.different()) return ThreeWayStatus::different;
  return ThreeWayStatus::continuing;
}

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fixed(v, 2);
}

std::string interval_text(const ShiftInterval& i) { return "[" + number(i.lower) + ", " + number(i.upper) + "]"; }

// "1.0", "0.25": the margin as given, with at least one decimal.
std::string margin_text(double m) {
  const std::string s = shortest(m);
  return s.find_first_of(".e") == std::string::npos ? s + ".0" : s;
}

// "RegNetX has the lower errors (the interval excludes 0, KS D = 0.875 >= 0.875)".
std::string lower_text(const ThreeWayLook& r, const std::string& a, const std::string& b) {
  std::string by = r.interval_reject ? "the interval excludes 0" : "";
  if (r.ks_reject)
    by += (by.empty() ? "" : ", ") + fmt::format("KS D = {} >= {}", fixed(r.d, 3), fixed(r.ks_boundary, 3));
  return (r.direction > 0 ? a : b) + " has the lower errors (" + by + ")";
}

std::string different_text(const ThreeWayLook& r, const std::string& a, const std::string& b) {
  return fmt::format("different at look {} ({}): {}: shift {} {}", r.look, look_sizes_text(r.size), lower_text(r, a, b),
                     number(r.shift), interval_text(r.ci_different));
}

// A margin claim made where "different" holds as well.
std::string also_different(const ThreeWayLook& r, const std::string& a, const std::string& b) {
  return r.different() ? "; different as well: " + lower_text(r, a, b) : "";
}

std::string non_inferior_text(const ThreeWayOutcome& o, const ThreeWayLook& r, const std::string& a,
                              const std::string& b) {
  const bool cand_a = o.question.non_inferior > 0;
  const double worst = cand_a ? r.ci_equivalence.upper : -r.ci_equivalence.lower;
  return fmt::format("non-inferior within {} at look {} ({}): {}'s errors are at most {} above {}'s: shift {} {}{}",
                     margin_text(o.question.margin), r.look, look_sizes_text(r.size), cand_a ? a : b, number(worst),
                     cand_a ? b : a, number(r.shift), interval_text(r.ci_equivalence), also_different(r, a, b));
}

std::string undecided_text(const ThreeWayOutcome& o, const ThreeWayLook& r) {
  const std::string ks =
      r.ks_boundary > 1 ? "KS cannot decide" : fmt::format("D = {} < {}", fixed(r.d, 3), fixed(r.ks_boundary, 3));
  const std::string what = o.question.non_inferior == 0 ? "not inside +-" : "not below ";
  return fmt::format("undecided at {}: shift {} {}, {}{}, and 0 inside {}; {}", look_sizes_text(r.size),
                     number(r.shift), interval_text(r.ci_equivalence), what, margin_text(o.question.margin),
                     interval_text(r.ci_different), ks);
}

}  // namespace

void validate(const ThreeWayQuestion& q) {
  if (!(q.margin > 0 && q.margin <= 100))
    fail("", "margin", fmt::format("{} must be in (0, 100] error points", shortest(q.margin)));
  if (q.non_inferior < -1 || q.non_inferior > 1)
    fail("", "non-inferior", std::to_string(q.non_inferior) + ": -1, 0 or 1");
}

std::string to_string(ThreeWayStatus s) {
  static const char* const names[] = {"different", "equivalent", "non-inferior", "undecided", "continuing"};
  return names[static_cast<int>(s)];
}

ThreeWayOutcome three_way_test(const TrainedErrors& a, const TrainedErrors& b, const SequentialDesign& design,
                               const ThreeWayQuestion& question) {
  validate(design);
  validate(question);
  ThreeWayOutcome o;
  o.design = design;
  o.question = question;
  o.trained = {static_cast<int>(a.errors.size()), static_cast<int>(b.errors.size())};
  const LookPrefixes p = look_prefixes(a, b, design.looks);
  const std::vector<ThreeWayBoundary> bounds = three_way_boundaries(design, p.sizes);
  for (size_t k = 0; k < p.sizes.size(); ++k) {
    const LookHeader header = look_header(bounds[k], static_cast<int>(k + 1), design.looks[k]);
    const ThreeWayLook r = evaluate_look(p.a[k], p.b[k], bounds[k], header, question);
    o.looks.push_back(r);
    o.status = look_status(r, question);
    if (o.status != ThreeWayStatus::continuing) {
      o.settled_at = r.look;
      return o;
    }
  }
  o.status = p.sizes.size() == design.looks.size() ? ThreeWayStatus::undecided : ThreeWayStatus::continuing;
  return o;
}

std::vector<PairQuestion> pair_questions(int m, double margin, int candidate) {
  const std::vector<std::pair<int, int>> pairs = sweep_pairs(m);
  if (candidate >= m) fail("", "non-inferior", fmt::format("sweep {} of {}", candidate + 1, m));
  std::vector<PairQuestion> out;
  for (const auto& [i, j] : pairs) {
    if (candidate >= 0 && i != candidate && j != candidate) continue;
    out.push_back({i, j, {margin, candidate < 0 ? 0 : (i == candidate ? 1 : -1)}});
  }
  return out;
}

std::vector<ThreeWayPair> three_way_pairs(const std::vector<TrainedErrors>& sweeps, const SequentialDesign& design,
                                          double margin, int candidate) {
  const std::vector<PairQuestion> pairs = pair_questions(static_cast<int>(sweeps.size()), margin, candidate);
  SequentialDesign d = design;
  d.pairs = static_cast<int>(pairs.size());
  std::vector<ThreeWayPair> out;
  for (const PairQuestion& p : pairs)
    out.push_back(
        {p.a, p.b, three_way_test(sweeps[static_cast<size_t>(p.a)], sweeps[static_cast<size_t>(p.b)], d, p.question)});
  return out;
}

std::string decided_by(const ThreeWayLook& r) {
  if (r.ks_reject && r.interval_reject) return "KS and interval";
  return r.ks_reject ? "KS" : (r.interval_reject ? "interval" : "");
}

std::string verdict(const ThreeWayOutcome& o, const std::string& name_a, const std::string& name_b) {
  if (o.status == ThreeWayStatus::continuing)
    return continuing_text(o.design, o.looks.size(), o.trained, name_a, name_b);
  const ThreeWayLook& r = o.looks.back();
  switch (o.status) {
    case ThreeWayStatus::different: return different_text(r, name_a, name_b);
    case ThreeWayStatus::equivalent:
      return fmt::format("equivalent within {} at look {} ({}): shift {} {}{}", margin_text(o.question.margin), r.look,
                         look_sizes_text(r.size), number(r.shift), interval_text(r.ci_equivalence),
                         also_different(r, name_a, name_b));
    case ThreeWayStatus::non_inferior: return non_inferior_text(o, r, name_a, name_b);
    default: return undecided_text(o, r);
  }
}

std::string look_decision(const ThreeWayOutcome& o, const ThreeWayLook& r) {
  const ThreeWayStatus s = look_status(r, o.question);
  if (s == ThreeWayStatus::different) return "different (" + decided_by(r) + ")";
  if (s != ThreeWayStatus::continuing) return to_string(s) + (r.different() ? " (and different)" : "");
  const bool last = o.status == ThreeWayStatus::undecided && r.look == static_cast<int>(o.looks.size());
  return last ? "undecided" : "continue";
}

std::string three_way_table(const ThreeWayOutcome& o) {
  const std::string format = "{:>4} {:>5} {:>5} {:>5} {:>6} {:>8} {:>7} {:>17} {:>17}  {}\n";
  const int level = static_cast<int>(std::lround(100 * (1 - 2 * pair_alpha(o.design))));
  std::string out = fmt::format(format, "look", "n", "n_a", "n_b", "D", "boundary", "shift", "interval (diff.)",
                                fmt::format("interval ({}%)", level), "decision");
  for (const ThreeWayLook& r : o.looks)
    out += fmt::format(format, r.look, r.n, r.size.n_a, r.size.n_b, fixed(r.d, 3),
                       r.ks_boundary > 1 ? std::string("-") : fixed(r.ks_boundary, 3), number(r.shift),
                       interval_text(r.ci_different), interval_text(r.ci_equivalence), look_decision(o, r));
  return out;
}

nlohmann::json to_json(const ThreeWayQuestion& q) { return {{"margin", q.margin}, {"non_inferior", q.non_inferior}}; }

namespace {

nlohmann::json end_json(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }
nlohmann::json interval_json(const ShiftInterval& i) { return {end_json(i.lower), end_json(i.upper)}; }

}  // namespace

nlohmann::json to_json(const ThreeWayLook& r) {
  nlohmann::json j = to_json(static_cast<const LookHeader&>(r), r.ks_boundary);
  j.update({{"shift", r.size.n_a > 0 && r.size.n_b > 0 ? nlohmann::json(r.shift) : nlohmann::json()},
            {"interval_different", interval_json(r.ci_different)},
            {"interval_equivalence", interval_json(r.ci_equivalence)},
            {"ks_reject", r.ks_reject},
            {"interval_reject", r.interval_reject},
            {"different", r.different()},
            {"equivalent", r.equivalent},
            {"non_inferior", r.non_inferior},
            {"direction", r.direction}});
  return j;
}

nlohmann::json to_json(const ThreeWayOutcome& o) {
  nlohmann::json looks = nlohmann::json::array();
  for (const ThreeWayLook& r : o.looks) looks.push_back(to_json(r));
  const bool settled = o.settled_at > 0;
  return {{"design", to_json(o.design)},
          {"question", to_json(o.question)},
          {"looks", looks},
          {"status", to_string(o.status)},
          {"settled_at", o.settled_at},
          {"decided_by", settled && o.status == ThreeWayStatus::different ? decided_by(o.looks.back()) : ""},
          {"trained", {{"a", o.trained.n_a}, {"b", o.trained.n_b}}},
          {"verdict", verdict(o)}};
}

}  // namespace regnet
