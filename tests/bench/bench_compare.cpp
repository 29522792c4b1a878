// How many trainings the group-sequential KS comparison saves (docs/statistics.md, "Benchmark").
// For each scenario it runs many simulated comparisons, with errors resampled from a recorded
// pair of sweeps (CSV sweep,id,error) or drawn from synthetic distributions, and prints for the
// sequential designs, a Bonferroni-over-looks peer and the fixed-n KS test at every look size:
// the power, the null rejection rate and the mean number of trainings (both sweeps) until a
// decision. The fixed-n protocol "at the same error rates" is the smallest look size whose
// fixed-n power on the same draws reaches the sequential power.
//
// With a margin it also runs the three-outcome benchmark (bench_three_way.hpp).
//
// Usage: bench_compare [--csv FILE] [--reps N] [--seed S] [--alpha A] [--looks 8,12,16,24,32]
//                      [--margin M] [--only ks|three-way] [--table-max-n 32,64,128]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bench_three_way.hpp"
#include "core/base/error.hpp"
#include "core/base/rng.hpp"
#include "core/stats/edf.hpp"
#include "core/stats/ks.hpp"
#include "core/stats/sequential_test.hpp"

using namespace regnet;

namespace {

struct Options {
  std::string csv;
  int reps = 2000;
  std::uint64_t seed = 1;
  SequentialDesign design;
  double margin = 1;
  std::string only;  // "", "ks" or "three-way"
  std::vector<int> table_max_n = {32, 64, 128};
};

using Draw = std::function<std::vector<double>(SplitMix64&, int)>;

// A pair of error distributions under H1 (a, b) and one for both sweeps under H0.
struct Scenario {
  std::string name;
  Draw a, b, null;
};

double uniform(SplitMix64& rng) { return (static_cast<double>(rng.next() >> 11) + 0.5) * 0x1.0p-53; }

Draw normal_errors(double mean, double sd, double grid) {
  return [=](SplitMix64& rng, int n) {
    std::vector<double> e;
    for (int i = 0; i < n; ++i) {
      const double x = mean + sd * std::sqrt(-2 * std::log(uniform(rng))) * std::cos(6.283185307179586 * uniform(rng));
      e.push_back(grid > 0 ? std::round(x / grid) * grid : x);
    }
    return e;
  };
}

// Draws with replacement from recorded errors: the empirical distribution stands for the space's.
Draw resample(std::vector<double> pool) {
  return [pool](SplitMix64& rng, int n) {
    std::vector<double> e;
    for (int i = 0; i < n; ++i) e.push_back(pool[rng.below(pool.size())]);
    return e;
  };
}

struct CsvRow {
  std::string sweep;
  int id = 0;
  double error = NAN;  // "nan" or empty: the model failed or diverged
};

CsvRow parse_row(const std::string& path, int number, const std::string& line) {
  std::stringstream fields(line);
  std::string id, error;
  CsvRow row;
  try {
    if (std::getline(fields, row.sweep, ',') && std::getline(fields, id, ',') && std::getline(fields, error)) {
      row.id = std::stoi(id);
      if (error != "nan" && !error.empty()) row.error = std::stod(error);
      return row;
    }
  } catch (const std::logic_error&) {  // not a number
  }
  fail(path, "line " + std::to_string(number), "expected sweep,id,error, found '" + line + "'");
}

// sweep -> finite errors by id, in the order the sweeps first appear.
std::vector<std::pair<std::string, std::vector<double>>> read_errors_csv(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  int number = 0;
  // '#' lines say where the errors came from (scripts/bench-compare.sh --export writes them).
  const auto next_line = [&] {
    while (std::getline(in, line)) {
      ++number;
      if (!line.empty() && line[0] != '#') return true;
    }
    return false;
  };
  if (!next_line() || line.rfind("sweep,id,error", 0) != 0)
    fail(path, "header", "expected 'sweep,id,error', found '" + line + "'");
  std::vector<std::pair<std::string, std::vector<std::pair<int, double>>>> rows;
  while (next_line()) {
    const CsvRow row = parse_row(path, number, line);
    auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.first == row.sweep; });
    if (it == rows.end()) it = rows.insert(rows.end(), {row.sweep, {}});
    it->second.emplace_back(row.id, row.error);
  }
  std::vector<std::pair<std::string, std::vector<double>>> out;
  for (auto& [sweep, by_id] : rows) {
    std::sort(by_id.begin(), by_id.end());
    std::vector<double> e;
    for (const auto& [id, err] : by_id)
      if (std::isfinite(err)) e.push_back(err);
    out.emplace_back(sweep, e);
  }
  return out;
}

std::vector<Scenario> scenarios(const Options& o) {
  std::vector<Scenario> s;
  if (!o.csv.empty() && std::ifstream(o.csv)) {
    const auto sweeps = read_errors_csv(o.csv);
    if (sweeps.size() != 2) fail(o.csv, "sweep", fmt::format("{} sweeps found, the bench compares 2", sweeps.size()));
    for (const auto& [name, e] : sweeps)
      if (e.empty()) fail(o.csv, name, "no finite errors to resample");
    std::vector<double> pooled = sweeps[0].second;
    pooled.insert(pooled.end(), sweeps[1].second.begin(), sweeps[1].second.end());
    const KsResult recorded = ks_two_sample(sweeps[0].second, sweeps[1].second);
    s.push_back({fmt::format("{} ({}) vs {} ({}) recorded, resampled; recorded D = {:.3f}", sweeps[0].first,
                             sweeps[0].second.size(), sweeps[1].first, sweeps[1].second.size(), recorded.d),
                 resample(sweeps[0].second), resample(sweeps[1].second), resample(pooled)});
  } else if (!o.csv.empty()) {
    std::cout << fmt::format("note: no recorded errors at {}: synthetic pairs only.\n\n", o.csv);
  }
  // Population KS distance of a normal shift of delta sd: 2 Phi(delta/2) - 1.
  s.push_back({"synthetic normal, shift 2.56 sd (population D 0.80, like AnyNetXA vs RegNetX)", normal_errors(30, 2, 0),
               normal_errors(35.13, 2, 0), normal_errors(30, 2, 0)});
  s.push_back({"synthetic normal on a 0.05% grid, sd 0.3, shift 2.56 sd (ties)", normal_errors(30, 0.3, 0.05),
               normal_errors(30.77, 0.3, 0.05), normal_errors(30, 0.3, 0.05)});
  s.push_back({"synthetic normal, shift 1 sd (population D 0.38)", normal_errors(30, 2, 0), normal_errors(32, 2, 0),
               normal_errors(30, 2, 0)});
  s.push_back({"synthetic normal, shift 0.5 sd (population D 0.20)", normal_errors(30, 2, 0), normal_errors(31, 2, 0),
               normal_errors(30, 2, 0)});
  return s;
}

// Rejections and trainings of one method summed over the replications, under H1 and H0.
struct Tally {
  std::string name;
  double power = 0, null_rate = 0, trainings_h1 = 0, trainings_h0 = 0;
};

struct Methods {
  std::vector<SequentialDesign> designs;  // pocock, obrien-fleming
  std::vector<Tally> sequential, bonferroni, fixed;
};

// One replication of every method on the same draw; h1 says where the tally goes.
void run_once(const Options& o, Methods& m, const std::vector<double>& a, const std::vector<double>& b, bool h1) {
  const auto& looks = o.design.looks;
  auto add = [h1](Tally& t, bool reject, int trainings) {
    (h1 ? t.power : t.null_rate) += reject;
    (h1 ? t.trainings_h1 : t.trainings_h0) += trainings;
  };
  for (size_t i = 0; i < m.designs.size(); ++i) {
    const SequentialOutcome out = sequential_ks(a, b, m.designs[i]);
    add(m.sequential[i], out.status == SequentialStatus::decided, 2 * out.looks.back().n);
  }
  bool stopped = false;
  for (size_t k = 0; k < looks.size(); ++k) {
    const std::vector<double> pa(a.begin(), a.begin() + looks[k]), pb(b.begin(), b.begin() + looks[k]);
    const double p = ks_two_sample(pa, pb).p_value;
    add(m.fixed[k], p <= o.design.alpha, 2 * looks[k]);
    if (!stopped && (p <= o.design.alpha / looks.size() || k + 1 == looks.size())) {
      add(m.bonferroni[0], p <= o.design.alpha / looks.size(), 2 * looks[k]);
      stopped = true;
    }
  }
}

Methods make_methods(const Options& o) {
  Methods m;
  for (Spending s : {Spending::pocock, Spending::obrien_fleming}) {
    SequentialDesign d = o.design;
    d.spending = s;
    m.designs.push_back(d);
    m.sequential.push_back({"sequential " + to_string(s)});
  }
  m.bonferroni.push_back({fmt::format("Bonferroni over looks (p <= alpha/{})", o.design.looks.size())});
  for (int n : o.design.looks) m.fixed.push_back({fmt::format("fixed n = {}", n)});
  return m;
}

void print_row(const Tally& t, int reps) {
  std::cout << fmt::format("  {:<38} {:>6.3f} {:>9.4f} {:>10.1f} {:>10.1f}\n", t.name, t.power / reps,
                           t.null_rate / reps, t.trainings_h1 / reps, t.trainings_h0 / reps);
}

// The fixed-n test at the same error rates: the smallest look size with power >= the sequential
// one; and the saving against the fixed n of the last look (the protocol without looks).
void print_saving(const Tally& seq, const std::vector<Tally>& fixed, const std::vector<int>& looks, int reps) {
  const double mean = seq.trainings_h1 / reps;
  const auto match = std::find_if(fixed.begin(), fixed.end(), [&](const Tally& f) { return f.power >= seq.power; });
  const std::string matched =
      match == fixed.end()
          ? fmt::format("no fixed n up to {} reaches it ({:.3f} at n = {})", looks.back(), fixed.back().power / reps,
                        looks.back())
          : fmt::format("fixed n = {} reaches it ({:.3f}) with {} trainings: {:.2f}x", looks[match - fixed.begin()],
                        match->power / reps, 2 * looks[match - fixed.begin()], 2 * looks[match - fixed.begin()] / mean);
  const std::string last =
      match == fixed.end() - 1 ? "" : fmt::format("; fixed n = {}: {:.2f}x", looks.back(), 2 * looks.back() / mean);
  std::cout << fmt::format("  {}: power {:.3f} in {:.1f} trainings on average; {}{}\n", seq.name, seq.power / reps,
                           mean, matched, last);
}

void run_scenario(const Options& o, const Scenario& s, std::uint64_t seed) {
  Methods m = make_methods(o);
  SplitMix64 rng(seed);
  const int n = o.design.looks.back();
  for (int r = 0; r < o.reps; ++r) {
    run_once(o, m, s.a(rng, n), s.b(rng, n), true);
    run_once(o, m, s.null(rng, n), s.null(rng, n), false);
  }
  std::cout << fmt::format("{}\n  {} comparisons under H1 and {} under H0, alpha {}\n", s.name, o.reps, o.reps,
                           o.design.alpha);
  std::cout << fmt::format("  {:<38} {:>6} {:>9} {:>10} {:>10}\n", "method", "power", "null rate", "trainings",
                           "under H0");
  for (const auto* group : {&m.sequential, &m.bonferroni, &m.fixed})
    for (const Tally& t : *group) print_row(t, o.reps);
  for (const Tally& t : m.sequential) print_saving(t, m.fixed, o.design.looks, o.reps);
  std::cout << "\n";
}

// Boundary computation time: the first call per design simulates, later ones hit the cache.
void time_boundaries(const Options& o) {
  std::vector<LookSize> sizes;
  for (int n : o.design.looks) sizes.push_back({n, n});
  for (Spending s : {Spending::pocock, Spending::obrien_fleming}) {
    SequentialDesign d = o.design;
    d.spending = s;
    d.seed ^= 0x5eed;  // not yet cached
    const std::clock_t c0 = std::clock();
    const auto t0 = std::chrono::steady_clock::now();
    const auto b = ks_boundaries(d, sizes);
    const auto t1 = std::chrono::steady_clock::now();
    const double cpu = 1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    ks_boundaries(d, sizes);
    const auto t2 = std::chrono::steady_clock::now();
    const double first = std::chrono::duration<double, std::milli>(t1 - t0).count();
    const double cached = std::chrono::duration<double, std::milli>(t2 - t1).count();
    std::string bounds;
    for (const KsBoundary& k : b) bounds += k.reachable() ? fmt::format(" {:.3f}", k.d()) : " -";
    std::cout << fmt::format(
        "boundaries {} ({} simulations): {:.0f} ms ({:.0f} ms CPU), cached {:.3f} ms; D >={}; "
        "simulated null rejection {:.4f} +- {:.4f}\n",
        to_string(s), d.simulations, first, cpu, cached, bounds, b.back().crossing, b.back().mc_error);
  }
  std::cout << "\n";
}

std::vector<int> parse_looks(const std::string& text) {
  std::vector<int> looks;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) looks.push_back(std::stoi(item));
  return looks;
}

void parse_option(Options& o, const std::string& flag, const std::string& value) {
  try {
    if (flag == "--csv")
      o.csv = value;
    else if (flag == "--reps")
      o.reps = std::stoi(value);
    else if (flag == "--seed")
      o.seed = std::stoull(value);
    else if (flag == "--alpha")
      o.design.alpha = std::stod(value);
    else if (flag == "--looks")
      o.design.looks = parse_looks(value);
    else if (flag == "--margin")
      o.margin = std::stod(value);
    else if (flag == "--only")
      o.only = value;
    else if (flag == "--table-max-n")
      o.table_max_n = parse_looks(value);
    else
      fail("", flag, "unknown option (--csv, --reps, --seed, --alpha, --looks, --margin, --only, --table-max-n)");
  } catch (const std::logic_error&) {  // std::stoi and friends: not a number, or out of range
    fail("", flag, "'" + value + "' is not a number (list)");
  }
}

bench::ThreeWayBenchOptions three_way_options(const Options& o) {
  bench::ThreeWayBenchOptions t;
  t.design = o.design;
  t.margin = o.margin;
  t.reps = o.reps;
  t.seed = o.seed;
  t.table_max_n = o.table_max_n;
  if (!o.csv.empty() && std::ifstream(o.csv)) {
    const auto sweeps = read_errors_csv(o.csv);
    t.name_a = sweeps[0].first;
    t.recorded_a = sweeps[0].second;
    t.name_b = sweeps[1].first;
    t.recorded_b = sweeps[1].second;
  }
  return t;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {
    if (i + 1 >= argc) fail("", argv[i], "needs a value");
    parse_option(o, argv[i], argv[i + 1]);
  }
  if (o.reps < 1) fail("", "--reps", std::to_string(o.reps) + " must be >= 1");
  if (!(o.margin > 0 && o.margin <= 100)) fail("", "--margin", std::to_string(o.margin) + " must be in (0, 100]");
  if (!o.only.empty() && o.only != "ks" && o.only != "three-way")
    fail("", "--only", "'" + o.only + "': ks or three-way");
  for (int n : o.table_max_n)
    if (n < 8 || n > 1024) fail("", "--table-max-n", std::to_string(n) + " must be in 8..1024");
  validate(o.design);
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    const std::vector<Scenario> all = scenarios(o);  // a bad CSV fails before any work
    if (o.only != "three-way") {
      time_boundaries(o);
      std::uint64_t seed = o.seed;
      for (const Scenario& s : all) run_scenario(o, s, seed++);
    }
    if (o.only != "ks") run_three_way_bench(three_way_options(o));
    return 0;
  } catch (const std::exception& e) {  // UserError (a bad option, CSV or design)
    std::cerr << "bench_compare: " << e.what() << "\n";
    return 2;
  }
}
