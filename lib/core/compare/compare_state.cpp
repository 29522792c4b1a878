#include "core/compare/compare_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/base/clock.hpp"
#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/text.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

int trained_count(const TrainedErrors& e) { return static_cast<int>(e.errors.size()); }

int with_error(const TrainedErrors& e) {
  return static_cast<int>(std::count_if(e.errors.begin(), e.errors.end(), [](double x) { return x == x; }));
}

nlohmann::json sweeps_json(const CompareState& s, const std::string& compare_dir) {
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < s.setup.sweeps.size(); ++i) {
    const CompareSweep& w = s.setup.sweeps[i];
    nlohmann::json j{{"name", w.name},
                     {"path", fs::absolute(w.dir).lexically_relative(fs::absolute(compare_dir)).string()},
                     {"samples", w.samples}};
    if (i < s.errors.size())
      j.update({{"trained", trained_count(s.errors[i])},
                {"with_error", with_error(s.errors[i])},
                {"complete", s.errors[i].complete}});
    out.push_back(j);
  }
  return out;
}

nlohmann::json look_json(const CompareState& s, size_t pair, size_t look) {
  nlohmann::json r =
      s.setup.margin > 0 ? to_json(s.three_way[pair].outcome.looks[look]) : to_json(s.pairs[pair].outcome.looks[look]);
  const auto [a, b] = pair_sweeps(s, pair);
  r["a"] = s.setup.sweeps[static_cast<size_t>(a)].name;
  r["b"] = s.setup.sweeps[static_cast<size_t>(b)].name;
  return r;
}

// Look k as every pair that reached it saw it.
nlohmann::json looks_json(const CompareState& s) {
  size_t evaluated = 0;
  for (size_t p = 0; p < pair_count(s); ++p) evaluated = std::max(evaluated, looks_evaluated(s, p));
  nlohmann::json out = nlohmann::json::array();
  for (size_t k = 0; k < evaluated; ++k) {
    nlohmann::json pairs = nlohmann::json::array();
    for (size_t p = 0; p < pair_count(s); ++p)
      if (k < looks_evaluated(s, p)) pairs.push_back(look_json(s, p, k));
    out.push_back({{"look", k + 1}, {"n", s.setup.design.looks[k]}, {"pairs", pairs}});
  }
  return out;
}

nlohmann::json three_way_pairs_json(const CompareState& s) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : s.three_way) {
    const std::string& a = s.setup.sweeps[static_cast<size_t>(p.a)].name;
    const std::string& b = s.setup.sweeps[static_cast<size_t>(p.b)].name;
    const ThreeWayOutcome& o = p.outcome;
    const bool different = o.status == ThreeWayStatus::different;
    nlohmann::json j{
        {"a", a},
        {"b", b},
        {"status", to_string(o.status)},
        {"settled_at", o.settled_at},
        {"decided_by", different ? decided_by(o.looks.back()) : ""},
        {"direction", different ? o.looks.back().direction : 0},
        {"question",
         o.question.non_inferior == 0 ? "two-sided" : (o.question.non_inferior > 0 ? a : b) + " non-inferior"},
        {"verdict", verdict(o, a, b)}};
    if (!o.looks.empty()) j["final_look"] = to_json(o.looks.back());
    out.push_back(j);
  }
  return out;
}

nlohmann::json pairs_json(const CompareState& s) {
  if (s.setup.margin > 0) return three_way_pairs_json(s);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : s.pairs) {
    const std::string& a = s.setup.sweeps[static_cast<size_t>(p.a)].name;
    const std::string& b = s.setup.sweeps[static_cast<size_t>(p.b)].name;
    out.push_back({{"a", a},
                   {"b", b},
                   {"status", to_string(p.outcome.status)},
                   {"decided_at", p.outcome.decided_at},
                   {"verdict", verdict(p.outcome, a, b)}});
  }
  return out;
}

SequentialDesign design_from_json(const nlohmann::json& j, const std::string& where) {
  SequentialDesign d;
  d.looks = get_int_array(j, "looks", where);
  d.alpha = get_double(j, "alpha", where);
  d.spending = spending_from_string(get_string(j, "spending", where), where + ": spending");
  d.pairs = get_int(j, "pairs", where);
  d.simulations = get_int(j, "simulations", where);
  d.seed = get_uint64(j, "seed", where);
  validate(d);
  return d;
}

// The margin and the non-inferior sweep (by name) of a version-2 design.
void read_question(const nlohmann::json& design, const std::string& where, CompareSetup& s) {
  s.margin = design.contains("margin") ? get_double(design, "margin", where) : 0.0;
  // Checked here, not by validate(): the message names this file and field, not --margin.
  if (s.margin != 0 && !(s.margin > 0 && s.margin <= 100))
    fail(where, "margin", excerpt(design["margin"]) + " must be in (0, 100] error points");
  if (!design.contains("non_inferior") || design["non_inferior"].is_null()) return;
  const std::string name = get_string(design, "non_inferior", where);
  for (size_t i = 0; i < s.sweeps.size(); ++i)
    if (s.sweeps[i].name == name) s.candidate = static_cast<int>(i);
  if (s.candidate < 0 || s.margin == 0)
    fail(where, "non_inferior", "'" + name + "' is not one of the sweeps (or no margin)");
}

}  // namespace

size_t pair_count(const CompareState& s) { return s.setup.margin > 0 ? s.three_way.size() : s.pairs.size(); }

std::pair<int, int> pair_sweeps(const CompareState& s, size_t pair) {
  return s.setup.margin > 0 ? std::make_pair(s.three_way[pair].a, s.three_way[pair].b)
                            : std::make_pair(s.pairs[pair].a, s.pairs[pair].b);
}

bool pair_continuing(const CompareState& s, size_t pair) {
  return s.setup.margin > 0 ? s.three_way[pair].outcome.status == ThreeWayStatus::continuing
                            : s.pairs[pair].outcome.status == SequentialStatus::continuing;
}

size_t looks_evaluated(const CompareState& s, size_t pair) {
  return s.setup.margin > 0 ? s.three_way[pair].outcome.looks.size() : s.pairs[pair].outcome.looks.size();
}

std::string overall_status_text(const CompareState& s) {
  if (s.setup.margin == 0) return to_string(overall_status(s.pairs));
  auto any = [&](ThreeWayStatus st) {
    return std::any_of(s.three_way.begin(), s.three_way.end(),
                       [st](const ThreeWayPair& p) { return p.outcome.status == st; });
  };
  if (any(ThreeWayStatus::continuing)) return "continuing";
  return any(ThreeWayStatus::undecided) ? "undecided" : "decided";
}

std::string look_header(const CompareState& s) {
  if (s.setup.margin == 0) return look_header();
  return fmt::format("{:>4} {:>5}  {:<24} {:>5} {:>5} {:>6} {:>9} {:>7} {:>17} {:>17}  {}", "look", "n", "pair", "n_a",
                     "n_b", "D", "boundary", "shift", "interval (diff.)",
                     fmt::format("interval ({}%)", std::lround(100 * (1 - 2 * pair_alpha(s.setup.design)))),
                     "decision");
}

std::string look_row(const CompareState& s, size_t pair, size_t look) {
  if (s.setup.margin == 0) return look_row(s, s.pairs[pair], s.pairs[pair].outcome.looks[look]);
  const ThreeWayPair& p = s.three_way[pair];
  const ThreeWayLook& r = p.outcome.looks[look];
  const std::string& a = s.setup.sweeps[static_cast<size_t>(p.a)].name;
  const std::string& b = s.setup.sweeps[static_cast<size_t>(p.b)].name;
  auto num = [](double v) { return std::isinf(v) ? std::string(v > 0 ? "inf" : "-inf") : fixed(v, 2); };
  auto interval = [&](const ShiftInterval& i) { return "[" + num(i.lower) + ", " + num(i.upper) + "]"; };
  std::string decision = look_decision(p.outcome, r);
  if (r.different()) decision += ": " + (r.direction > 0 ? a : b) + " has the lower errors";
  return fmt::format("{:>4} {:>5}  {:<24} {:>5} {:>5} {:>6} {:>9} {:>7} {:>17} {:>17}  {}", r.look, r.n, a + " vs " + b,
                     r.size.n_a, r.size.n_b, fixed(r.d, 3),
                     r.ks_boundary > 1 ? std::string("-") : fixed(r.ks_boundary, 3),
                     r.size.n_a > 0 && r.size.n_b > 0 ? num(r.shift) : std::string("-"), interval(r.ci_different),
                     interval(r.ci_equivalence), decision);
}

SequentialStatus overall_status(const std::vector<PairOutcome>& pairs) {
  auto any = [&](SequentialStatus s) {
    return std::any_of(pairs.begin(), pairs.end(), [s](const PairOutcome& p) { return p.outcome.status == s; });
  };
  if (any(SequentialStatus::continuing)) return SequentialStatus::continuing;
  return any(SequentialStatus::undecided) ? SequentialStatus::undecided : SequentialStatus::decided;
}

std::vector<std::string> decision_lines(const CompareState& s) {
  std::vector<std::string> out;
  for (const auto& p : s.three_way) {
    const std::string& a = s.setup.sweeps[static_cast<size_t>(p.a)].name;
    const std::string& b = s.setup.sweeps[static_cast<size_t>(p.b)].name;
    out.push_back(a + " vs " + b + ": " + verdict(p.outcome, a, b));
  }
  for (const auto& p : s.pairs) {
    const std::string& a = s.setup.sweeps[static_cast<size_t>(p.a)].name;
    const std::string& b = s.setup.sweeps[static_cast<size_t>(p.b)].name;
    out.push_back(a + " vs " + b + ": " + verdict(p.outcome, a, b));
  }
  return out;
}

std::string look_header() {
  return fmt::format("{:>4} {:>5}  {:<24} {:>5} {:>5} {:>6} {:>9} {:>10}  {}", "look", "n", "pair", "n_a", "n_b", "D",
                     "boundary", "p fixed-n", "decision");
}

std::string look_row(const CompareState& s, const PairOutcome& p, const LookResult& r) {
  const std::string& a = s.setup.sweeps[static_cast<size_t>(p.a)].name;
  const std::string& b = s.setup.sweeps[static_cast<size_t>(p.b)].name;
  const bool last = r.look == static_cast<int>(s.setup.design.looks.size());
  const std::string lower = r.direction > 0   ? a + " has the lower errors"
                            : r.direction < 0 ? b + " has the lower errors"
                                              : "the EDFs cross";
  const std::string decision = r.reject         ? "reject H0: " + lower
                               : last           ? "undecided"
                               : r.boundary > 1 ? "cannot reject yet"
                                                : "continue";
  return fmt::format("{:>4} {:>5}  {:<24} {:>5} {:>5} {:>6} {:>9} {:>10}  {}", r.look, r.n, a + " vs " + b, r.size.n_a,
                     r.size.n_b, fixed(r.d, 3), r.boundary > 1 ? std::string("-") : fixed(r.boundary, 3),
                     significant(r.p_nominal, 3), decision);
}

std::string compare_json_path(const std::string& compare_dir) {
  return (fs::path(compare_dir) / "compare.json").string();
}

bool is_compare_dir(const std::string& dir) {
  std::error_code ec;
  return fs::is_regular_file(compare_json_path(dir), ec);
}

nlohmann::json to_json(const CompareState& s, const std::string& compare_dir) {
  nlohmann::json design = to_json(s.setup.design);
  design["max_n"] = s.setup.design.looks.back();
  if (s.setup.margin > 0) {
    design["margin"] = s.setup.margin;
    design["non_inferior"] = s.setup.candidate >= 0
                                 ? nlohmann::json(s.setup.sweeps[static_cast<size_t>(s.setup.candidate)].name)
                                 : nlohmann::json();
  }
  return {{"format_version", s.setup.margin > 0 ? 2 : 1},
          {"command", "compare"},
          {"tool_version", REGNET_VERSION},
          {"updated_unix", unix_seconds()},
          {"sweeps", sweeps_json(s, compare_dir)},
          {"design", design},
          {"metric", to_string(s.setup.metric)},
          {"training", s.setup.training},
          {"looks", looks_json(s)},
          {"pairs", pairs_json(s)},
          {"status", overall_status_text(s)},
          {"decision", decision_lines(s)},
          {"warnings", s.warnings}};
}

CompareSetup compare_setup_from_json(const nlohmann::json& j, const std::string& compare_dir) {
  const std::string where = compare_json_path(compare_dir);
  const int version = get_int(j, "format_version", where);
  if (version > kCompareFormatVersion)
    fail(where, "format_version",
         std::to_string(version) + " is newer than this tool's " + std::to_string(kCompareFormatVersion) +
             " (update regnet-explore)");
  CompareSetup s;
  const nlohmann::json& sweeps = require(j, "sweeps", where);
  if (!sweeps.is_array() || sweeps.size() < 2) fail(where, "sweeps", "expected an array of at least 2 sweeps");
  for (size_t i = 0; i < sweeps.size(); ++i) {
    const std::string w = where + ": sweeps[" + std::to_string(i) + "]";
    const std::string path = get_string(sweeps[i], "path", w);
    s.sweeps.push_back({get_string(sweeps[i], "name", w), (fs::path(compare_dir) / path).lexically_normal().string(),
                        get_int(sweeps[i], "samples", w, 0)});
  }
  const nlohmann::json& design = require(j, "design", where);
  s.design = design_from_json(design, where + ": design");
  read_question(design, where + ": design", s);
  s.metric = error_metric_from_string(get_string(j, "metric", where, "best"), where + ": metric");
  if (j.contains("training")) s.training = j["training"];
  return s;
}

void write_compare_json(const std::string& compare_dir, const CompareState& s) {
  std::error_code ec;
  fs::create_directories(compare_dir, ec);
  if (ec) fail(compare_dir, "", "cannot create the compare directory: " + ec.message());
  write_json_atomic(compare_json_path(compare_dir), to_json(s, compare_dir));
}

std::optional<CompareSetup> read_compare_setup(const std::string& compare_dir) {
  if (!is_compare_dir(compare_dir)) return std::nullopt;
  return compare_setup_from_json(read_json_file(compare_json_path(compare_dir)), compare_dir);
}

std::vector<std::string> expand_compare_dirs(const std::vector<std::string>& dirs) {
  std::vector<std::string> out;
  for (const auto& d : dirs) {
    if (!is_compare_dir(d)) {
      out.push_back(d);
      continue;
    }
    const auto setup = read_compare_setup(d);
    for (const auto& s : setup->sweeps) out.push_back(s.dir);
  }
  return out;
}

}  // namespace regnet
