// The width fit (docs/reference.md §7, docs/fit.md).
//
// For fixed (w0, wm), block j's stage index k_j = round(ln(1 + t j) / ln wm), t = wa / w0, steps
// from k to k+1 at t = (wm^(k+1/2) - 1) / j. So e_fit is piecewise constant in t, and sweeping
// the sorted breakpoints while updating the error block by block finds the best wa exactly.
// The breakpoints in t do not depend on w0: they are sorted once per wm and shared by every w0.
#include "core/model/width_fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/base/error.hpp"

namespace regnet {

double fit_error(const std::vector<int>& observed, double w0, double wa, double wm, int q) {
  if (observed.empty()) fail("", "widths", "no widths to fit");
  if (!(w0 > 0) || !(wa >= 0) || !(wm > 1) || q < 1)
    fail("", "fit",
         "invalid parameters w0=" + std::to_string(w0) + " wa=" + std::to_string(wa) + " wm=" + std::to_string(wm));
  const RegNetWidths g = generate_regnet_unchecked(wa, w0, wm, static_cast<int>(observed.size()), q);
  double sum = 0;
  for (size_t j = 0; j < observed.size(); ++j) {
    if (observed[j] <= 0) fail("", "widths[" + std::to_string(j) + "]", std::to_string(observed[j]) + " must be > 0");
    if (g.block_widths[j] <= 0) return std::numeric_limits<double>::infinity();
    sum += std::abs(std::log(static_cast<double>(g.block_widths[j]) / observed[j]));
  }
  return sum / static_cast<double>(observed.size());
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Event {
  double t;  // wa / w0 where block j moves up a stage
  int j;     // block
  int k;     // from stage k to k+1
};

// The best wa piece for one (w0, wm).
struct Piece {
  double err_sum = kInf;  // sum over blocks of |ln(pred/obs)|
  double t_lo = 0, t_hi = 0;
};

struct Candidate {
  double err_sum = kInf;
  int w0 = 0;
  double wm = 0;
  double t_lo = 0, t_hi = 0;
};

class Searcher {
 public:
  Searcher(const std::vector<int>& observed, const FitGrid& grid) : grid_(grid), d_(static_cast<int>(observed.size())) {
    for (int w : observed) log_obs_.push_back(std::log(static_cast<double>(w)));
    t_cap_ = grid.wa_max / grid.w0_min;
  }

  // Breakpoints for wm, sorted by t, up to t_limit (default: the largest t any w0 may use).
  void prepare(double wm, double t_limit = -1) {
    wm_ = wm;
    events_.clear();
    max_k_ = 0;
    const double lnwm = std::log(wm);
    const double cap = t_limit >= 0 ? t_limit : t_cap_;
    for (int j = 1; j < d_; ++j) {
      for (int k = 0;; ++k) {
        const double t = (std::exp((k + 0.5) * lnwm) - 1) / j;
        if (t > cap) break;
        events_.push_back({t, j, k});
        max_k_ = std::max(max_k_, k + 1);
      }
    }
    std::sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) { return a.t < b.t; });
  }

  Piece sweep(int w0) {
    // log of the quantized width of each stage index, as generate_regnet computes it.
    level_.resize(static_cast<size_t>(max_k_ + 1));
    for (int k = 0; k <= max_k_; ++k) {
      const double w = std::nearbyint(w0 * std::pow(wm_, k) / grid_.q) * grid_.q;
      level_[static_cast<size_t>(k)] = w > 0 ? std::log(w) : -kInf;
    }
    const double t_max = grid_.wa_max / w0;
    double err = 0;
    for (int j = 0; j < d_; ++j) err += std::abs(level_[0] - log_obs_[static_cast<size_t>(j)]);
    Piece best;
    double lo = 0;
    auto consider = [&](double hi) {
      // A piece too thin to hold a representable wa robustly is skipped.
      if (err < best.err_sum - 1e-12 && hi - lo > 1e-9 * (1 + lo)) best = {err, lo, hi};
    };
    for (const Event& e : events_) {
      if (e.t > t_max) break;
      consider(e.t);
      const double lobs = log_obs_[static_cast<size_t>(e.j)];
      err += std::abs(level_[static_cast<size_t>(e.k + 1)] - lobs) - std::abs(level_[static_cast<size_t>(e.k)] - lobs);
      lo = e.t;
    }
    consider(t_max);
    if (lo == 0 && t_max == 0) best = {err, 0, 0};  // wa_max = 0: the single point
    return best;
  }

  Candidate best_at(int w0, double wm) {
    prepare(wm, grid_.wa_max / w0);
    const Piece p = sweep(w0);
    return {p.err_sum, w0, wm, p.t_lo, p.t_hi};
  }

  const std::vector<Event>& events() const { return events_; }

 private:
  FitGrid grid_;
  int d_;
  std::vector<double> log_obs_;
  double t_cap_ = 0;
  double wm_ = 2;
  int max_k_ = 0;
  std::vector<Event> events_;
  std::vector<double> level_;
};

bool better(const Candidate& a, const Candidate& b) { return a.err_sum < b.err_sum - 1e-12; }

// The number with the fewest decimals in [lo, hi) (strictly inside unless lo == 0): 36 rather
// than 36.4417 when both give the same widths.
double nicest_in(double lo, double hi) {
  if (lo <= 0) return 0;
  const double margin = 1e-9 * (1 + std::abs(lo));
  for (int p = 0; p <= 9; ++p) {
    const double scale = std::pow(10.0, p);
    double c = std::ceil(lo * scale) / scale;
    if (c <= lo + margin) c = (std::ceil(lo * scale) + 1) / scale;
    if (c < hi - margin) return c;
  }
  return 0.5 * (lo + hi);
}

void validate_grid(const FitGrid& g) {
  if (g.q < 1) fail("", "q", std::to_string(g.q) + " must be >= 1");
  if (g.w0_min < 1 || g.w0_step < 1 || g.w0_max < g.w0_min)
    fail("", "w0 grid",
         std::to_string(g.w0_min) + ".." + std::to_string(g.w0_max) + " step " + std::to_string(g.w0_step) +
             " is empty");
  if (!(g.wa_max >= 0)) fail("", "wa_max", std::to_string(g.wa_max) + " must be >= 0");
  if (!(g.wm_min > 1) || !(g.wm_max >= g.wm_min) || g.wm_points < 1)
    fail("", "wm grid",
         "[" + std::to_string(g.wm_min) + ", " + std::to_string(g.wm_max) + "] with " + std::to_string(g.wm_points) +
             " points is not a range above 1");
}

// --- The search's stages -----------------------------------------------------------------------

constexpr double kExact = 1e-12;  // an e_fit sum this small is an exact fit: stop searching

struct CoarseResult {
  std::vector<int> w0s;
  std::vector<Candidate> per_w0;  // the best (wm, wa piece) of each w0
  double wm_step = 0;
};

// Every w0 x a wm grid, wa exact.
CoarseResult coarse_search(Searcher& s, const FitGrid& grid) {
  CoarseResult r;
  for (int w0 = grid.w0_min; w0 <= grid.w0_max; w0 += grid.w0_step) r.w0s.push_back(w0);
  r.per_w0.resize(r.w0s.size());
  r.wm_step = grid.wm_points > 1 ? (grid.wm_max - grid.wm_min) / (grid.wm_points - 1) : 0.0;
  for (int i = 0; i < grid.wm_points; ++i) {
    const double wm = grid.wm_points > 1 ? grid.wm_min + i * r.wm_step : grid.wm_min;
    s.prepare(wm);
    for (size_t a = 0; a < r.w0s.size(); ++a) {
      const Piece p = s.sweep(r.w0s[a]);
      const Candidate c{p.err_sum, r.w0s[a], wm, p.t_lo, p.t_hi};
      if (better(c, r.per_w0[a])) r.per_w0[a] = c;
    }
  }
  return r;
}

// The coarse results best first (stable: ties keep the smaller w0).
std::vector<Candidate> ranked(const CoarseResult& coarse) {
  std::vector<Candidate> r = coarse.per_w0;
  std::stable_sort(r.begin(), r.end(), [](const Candidate& a, const Candidate& b) { return better(a, b); });
  return r;
}

// The three best w0, and w0 = observed[0] (block 0's predicted width is w0 itself) when on the grid.
std::vector<Candidate> refine_candidates(const CoarseResult& coarse, const std::vector<Candidate>& order,
                                         const std::vector<int>& observed) {
  std::vector<Candidate> cands(order.begin(), order.begin() + std::min<ptrdiff_t>(3, order.size()));
  for (size_t a = 0; a < coarse.w0s.size(); ++a)
    if (coarse.w0s[a] == observed[0] &&
        std::none_of(cands.begin(), cands.end(), [&](const Candidate& c) { return c.w0 == coarse.w0s[a]; }))
      cands.push_back(coarse.per_w0[a]);
  return cands;
}

// The wm values that cut [wm_min, wm_max] into cells of constant quantized widths for w0: where
// stage k's width w0 wm^k rounds to an observed width W (the edges W +- q/2). Only when an exact
// fit is possible (w0 = observed[0], widths non-decreasing) can a narrow exact region exist that
// the grids might miss; otherwise just the range's ends.
std::vector<double> exact_fit_cuts(const Candidate& cand, const std::vector<int>& observed, const FitGrid& grid) {
  std::vector<double> cuts{grid.wm_min, grid.wm_max};
  const bool exact_possible = cand.w0 == observed[0] && std::is_sorted(observed.begin(), observed.end());
  if (exact_possible) {
    std::vector<int> distinct = observed;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    const double w0 = cand.w0;
    for (int w : distinct)
      for (double edge : {w - 0.5 * grid.q, w + 0.5 * grid.q}) {
        if (!(edge > w0)) continue;
        const double r = std::log(edge / w0);
        // wm = (edge / w0)^(1/k) for the levels k that put it in [wm_min, wm_max].
        const int k_lo = std::max(1, static_cast<int>(std::ceil(r / std::log(grid.wm_max))));
        const int k_hi = static_cast<int>(std::floor(r / std::log(grid.wm_min)));
        for (int k = k_lo; k <= k_hi; ++k) cuts.push_back(std::exp(r / k));
      }
  }
  std::sort(cuts.begin(), cuts.end());
  return cuts;
}

// In each cell: its midpoint and points just inside both ends (the stage boundaries can confine
// an exact fit to one end of a cell).
void search_cells(Searcher& s, Candidate& cand, const std::vector<double>& cuts) {
  for (size_t i = 0; i + 1 < cuts.size() && cand.err_sum > kExact; ++i) {
    const double lo = cuts[i], hi = cuts[i + 1], inset = 1e-7 * hi;
    if (!(hi - lo > 4 * inset)) continue;
    for (double wm : {0.5 * (lo + hi), hi - inset, lo + inset}) {
      const Candidate t = s.best_at(cand.w0, wm);
      if (better(t, cand)) cand = t;
      if (cand.err_sum <= kExact) break;
    }
  }
}

// Two levels of 41-point grids around the best wm so far, each spanning two steps of the one before.
void zoom_wm(Searcher& s, Candidate& cand, const FitGrid& grid, double wm_step) {
  double span = wm_step > 0 ? wm_step : 0.05;
  for (int level = 0; level < 2 && cand.err_sum > kExact; ++level) {
    const double lo = std::max(grid.wm_min, cand.wm - span), hi = std::min(grid.wm_max, cand.wm + span);
    const int points = 41;
    const int w0c = cand.w0;
    for (int i = 0; i < points; ++i) {
      const Candidate t = s.best_at(w0c, lo + (hi - lo) * i / (points - 1));
      if (better(t, cand)) cand = t;
    }
    span = (hi - lo) / (points - 1);
  }
}

// Refines the three best w0 (and observed[0]) in wm: the exact-fit cells, then the zoomed grids.
Candidate refine(Searcher& s, const CoarseResult& coarse, const std::vector<int>& observed, const FitGrid& grid) {
  const std::vector<Candidate> order = ranked(coarse);
  Candidate best = order.front();
  if (!grid.refine) return best;
  const std::vector<Candidate> cands = refine_candidates(coarse, order, observed);
  for (size_t c = 0; c < cands.size() && best.err_sum > kExact; ++c) {
    Candidate cand = cands[c];
    search_cells(s, cand, exact_fit_cuts(cand, observed, grid));
    zoom_wm(s, cand, grid, coarse.wm_step);
    if (better(cand, best)) best = cand;
  }
  return best;
}

// Prefer a rounder wm (2, then 3 decimals) when it fits as well.
Candidate round_wm(Searcher& s, Candidate best, const FitGrid& grid) {
  for (int decimals = 2; decimals <= 3; ++decimals) {
    const double scale = std::pow(10.0, decimals);
    const double wm = std::clamp(std::nearbyint(best.wm * scale) / scale, grid.wm_min, grid.wm_max);
    if (wm == best.wm || !(wm > 1)) continue;
    const Candidate t = s.best_at(best.w0, wm);
    if (!better(best, t)) return t;
  }
  return best;
}

void validate_widths(const std::vector<int>& observed) {
  if (observed.empty()) fail("", "widths", "no widths to fit");
  for (size_t j = 0; j < observed.size(); ++j)
    if (observed[j] <= 0) fail("", "widths[" + std::to_string(j) + "]", std::to_string(observed[j]) + " must be > 0");
}

}  // namespace

WidthFit fit_widths(const std::vector<int>& observed, const FitGrid& grid) {
  validate_widths(observed);
  validate_grid(grid);
  Searcher s(observed, grid);
  const CoarseResult coarse = coarse_search(s, grid);
  const Candidate best = round_wm(s, refine(s, coarse, observed, grid), grid);
  WidthFit f;
  f.depth = static_cast<int>(observed.size());
  f.w0 = best.w0;
  f.wm = best.wm;
  f.wa = std::min(grid.wa_max, nicest_in(best.t_lo * best.w0, best.t_hi * best.w0));
  f.predicted = generate_regnet_unchecked(f.wa, f.w0, f.wm, f.depth, grid.q).block_widths;
  f.e_fit = fit_error(observed, f.w0, f.wa, f.wm, grid.q);
  return f;
}

}  // namespace regnet
