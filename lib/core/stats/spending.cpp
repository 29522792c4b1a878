#include "core/stats/spending.hpp"

#include <algorithm>
#include <cmath>

#include "core/base/error.hpp"
#include "core/base/text.hpp"
#include "core/stats/distributions.hpp"

namespace regnet {

namespace {

double obrien_fleming(double alpha, double t) {
  if (t <= 0) return 0.0;
  return 2 * normal_sf(normal_quantile(1 - alpha / 2) / std::sqrt(t));
}

double pocock(double alpha, double t) { return alpha * std::log1p((std::exp(1.0) - 1) * t); }

struct SpendingEntry {
  Spending kind;
  const char* name;
  double (*spent)(double alpha, double t);
};

const SpendingEntry kSpending[] = {
    {Spending::obrien_fleming, "obrien-fleming", obrien_fleming},
    {Spending::pocock, "pocock", pocock},
};

const SpendingEntry& entry(Spending s) {
  return *std::find_if(std::begin(kSpending), std::end(kSpending), [&](const auto& e) { return e.kind == s; });
}

}  // namespace

double spent_alpha(Spending s, double alpha, double t) {
  t = std::clamp(t, 0.0, 1.0);
  return t == 1 ? alpha : std::min(alpha, entry(s).spent(alpha, t));
}

Spending spending_from_string(const std::string& name, const std::string& where) {
  if (name == "obf") return Spending::obrien_fleming;
  for (const auto& e : kSpending)
    if (name == e.name) return e.kind;
  fail(where, "spending", "'" + name + "' is not a spending function (" + join(spending_names(), ", ") + ")");
}

std::string to_string(Spending s) { return entry(s).name; }

std::vector<std::string> spending_names() {
  std::vector<std::string> names;
  for (const auto& e : kSpending) names.emplace_back(e.name);
  return names;
}

}  // namespace regnet
