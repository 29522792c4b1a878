#pragma once
// A space's draws against its parent's draws that satisfy its restrictions, quantity by quantity
// (chi-square test of homogeneity on counts, pooled where sparse): how tests show that a child space
// (a restriction, a refined space file) samples exactly its parent's conditional distribution.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "core/space/restriction.hpp"
#include "core/space/sampler.hpp"
#include "core/space/space.hpp"
#include "core/stats/distributions.hpp"

namespace regnet::testing {

using Counts = std::map<double, double>;

// P(X > x) for chi-square with k degrees of freedom (Wilson-Hilferty: ample for a 1e-4 threshold).
inline double chi_square_sf(double x, double k) {
  const double h = 2.0 / (9.0 * k);
  return normal_sf((std::cbrt(x / k) - (1 - h)) / std::sqrt(h));
}

// Two-sample chi-square test of homogeneity; categories with an expected count under 5 pooled.
inline double homogeneity_p(const Counts& a, const Counts& b) {
  double na = 0, nb = 0;
  for (const auto& kv : a) na += kv.second;
  for (const auto& kv : b) nb += kv.second;
  Counts all = a;
  for (const auto& [v, c] : b) all[v] += c;
  double stat = 0, pool_a = 0, pool_b = 0, pool = 0;
  int cells = 0;
  auto cell = [&](double ca, double cb) {
    const double t = ca + cb, ea = t * na / (na + nb), eb = t * nb / (na + nb);
    stat += (ca - ea) * (ca - ea) / ea + (cb - eb) * (cb - eb) / eb;
    ++cells;
  };
  for (const auto& [v, t] : all) {
    const double ca = a.count(v) ? a.at(v) : 0, cb = b.count(v) ? b.at(v) : 0;
    if (std::min(t * na, t * nb) / (na + nb) < 5) {
      pool_a += ca;
      pool_b += cb;
      pool += t;
      continue;
    }
    cell(ca, cb);
  }
  if (pool > 0) cell(pool_a, pool_b);
  return cells < 2 ? 1.0 : chi_square_sf(stat, cells - 1);
}

// Per quantity ("width[2]", "total_depth"): counts of its values.
using Table = std::map<std::string, Counts>;

inline void count(const SampleRecord& r, Table& t) {
  for (const char* q : {"depth", "width", "bottleneck_ratio", "group_width"}) {
    const auto v = quantity_values(q, r);
    for (size_t i = 0; i < v->size(); ++i) t[std::string(q) + "[" + std::to_string(i) + "]"][(*v)[i]] += 1;
  }
  for (const char* q : {"num_stages", "total_depth"}) t[q][quantity_values(q, r)->at(0)] += 1;
}

// The parent's draws that satisfy the child's restrictions, and the child's own draws.
struct Draws {
  Table conditional, child;
  int conditional_n = 0, child_n = 0;
};

inline Draws draw_both(const DesignSpace& parent, const DesignSpace& child, int parent_attempts, int child_attempts) {
  Draws d;
  for (int i = 0; i < parent_attempts; ++i) {
    const Candidate c = draw_candidate(parent, 11, static_cast<std::uint64_t>(i));
    if (c.verdict == Verdict::accepted && satisfies(child.restrictions, c.record)) {
      count(c.record, d.conditional);
      ++d.conditional_n;
    }
  }
  for (int i = 0; i < child_attempts; ++i) {
    const Candidate c = draw_candidate(child, 12, static_cast<std::uint64_t>(i));
    if (c.verdict != Verdict::accepted) continue;
    CHECK(satisfies(child.restrictions, c.record));
    count(c.record, d.child);
    ++d.child_n;
  }
  return d;
}

inline void check_same_distribution(const Draws& d) {
  REQUIRE(d.conditional_n >= 300);
  REQUIRE(d.child_n >= 300);
  for (const auto& [q, counts] : d.conditional) {
    INFO(q);
    const auto it = d.child.find(q);
    REQUIRE(it != d.child.end());
    CHECK(homogeneity_p(counts, it->second) > 1e-4);
  }
}

}  // namespace regnet::testing
