#include "core/stats/nds_comparison.hpp"

#include <string>

#include "core/base/error.hpp"
#include "core/stats/stats_json.hpp"

namespace regnet {

namespace {

// Sample i's errors and weights inside the range.
std::pair<std::vector<double>, std::vector<double>> inside(const NdsNormalization& n, size_t i,
                                                           const std::vector<double>& errors) {
  if (errors.size() != n.bin[i].size())
    fail("", "--errors", std::to_string(errors.size()) + " errors for " + std::to_string(n.bin[i].size()) + " models");
  std::pair<std::vector<double>, std::vector<double>> out;
  for (size_t k = 0; k < errors.size(); ++k)
    if (n.bin[i][k] >= 0) {
      out.first.push_back(errors[k]);
      out.second.push_back(n.weights[i][k]);
    }
  return out;
}

}  // namespace

NdsComparison nds_compare(const std::vector<std::vector<double>>& complexity,
                          const std::vector<std::vector<double>>& errors, const NdsOptions& options,
                          const std::vector<double>& at) {
  std::vector<std::string> names;
  for (size_t i = 0; i < complexity.size(); ++i) names.push_back("sample " + std::to_string(i + 1));
  NdsComparison c{nds_normalize(complexity, names, options), {}, {}, {}};
  if (!errors.empty() && errors.size() != complexity.size())
    fail("", "--errors",
         std::to_string(errors.size()) + " samples of errors for " + std::to_string(complexity.size()) +
             " of complexity");
  const NdsNormalization& n = c.normalization;
  for (size_t i = 0; i < errors.size(); ++i) {
    const auto [e, w] = inside(n, i, errors[i]);
    c.weighted_edf.push_back(weighted_edf(errors[i], n.weights[i], at.empty() ? errors[i] : at));
    c.curves.push_back(edf_curve(e, w));
  }
  for (size_t i = 0; i < errors.size(); ++i)
    for (size_t j = i + 1; j < errors.size(); ++j) {
      const auto [ei, wi] = inside(n, i, errors[i]);
      const auto [ej, wj] = inside(n, j, errors[j]);
      c.pairs.push_back({i, j, ks_two_sample_weighted(ei, wi, ej, wj)});
    }
  return c;
}

nlohmann::json to_json(const NdsComparison& c) {
  const NdsNormalization& n = c.normalization;
  nlohmann::json j = to_json(n);
  j["samples"] = nlohmann::json::array();
  for (size_t i = 0; i < n.bin.size(); ++i) {
    nlohmann::json s{{"bin", n.bin[i]}, {"weights", n.weights[i]}, {"outside", n.outside[i]}};
    if (i < c.curves.size()) {
      s["weighted_edf"] = c.weighted_edf[i];
      s.update(to_json(c.curves[i]));
    }
    j["samples"].push_back(s);
  }
  if (c.pairs.empty()) return j;
  j["ks"] = nlohmann::json::array();
  for (const auto& p : c.pairs) {
    j["ks"].push_back(to_json(p.ks));
    j["ks"].back().update({{"a", p.a}, {"b", p.b}});
  }
  return j;
}

}  // namespace regnet
