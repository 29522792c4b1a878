#include "core/report/models_csv.hpp"

#include <cmath>
#include <map>

#include "core/base/text.hpp"

namespace regnet {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

namespace {

std::string number(double v) { return std::isfinite(v) ? shortest(v) : ""; }

// The structural parameters of any sample (complexity has its own columns), in parameter order.
std::vector<std::string> structure_keys(const Analysis& a) {
  std::map<int, std::string> keys;
  std::vector<ModelPoint> all;
  for (const auto& s : a.sweeps)
    for (const auto& r : s.rows) {
      all.push_back(r.model);
      for (const auto& p : parameters_of(std::vector<ModelPoint>{r.model}))
        if (p.group != ParameterGroup::complexity) keys[parameter_order(p.key)] = p.key;
    }
  for (const auto& p : parameters_of(all))  // and those the samples differ in (activation)
    if (p.group == ParameterGroup::choice) keys[parameter_order(p.key)] = p.key;
  std::vector<std::string> out;
  for (const auto& [order, key] : keys) out.push_back(key);
  return out;
}

// The normalized weight of each analyzed model by id (0 outside the range); none unless normalized.
std::map<int, double> weights_by_id(const SweepAnalysis& s) {
  std::map<int, double> w;
  for (size_t i = 0; i < s.models.size() && i < s.weights.size(); ++i) w[s.models[i].id] = s.weights[i];
  return w;
}

std::string row_text(const std::string& sweep, const SampleRow& r, const std::vector<std::string>& keys,
                     const std::map<int, double>& weights) {
  const Complexity& c = r.model.complexity;
  std::vector<std::string> f{csv_field(sweep),      std::to_string(r.model.id), r.status,
                             number(r.final_top1),  number(r.best_top1),        number(r.final_top5),
                             number(r.best_top5),   std::to_string(c.flops),    std::to_string(c.params),
                             std::to_string(c.acts)};
  for (const auto& k : keys) {
    const auto v = parameter_value(r.model, k);
    f.push_back(v ? number(*v) : "");
  }
  f.push_back(number(r.seconds));
  const auto w = weights.find(r.model.id);
  f.push_back(w == weights.end() ? "" : number(w->second));
  return join(f, ",") + "\r\n";
}

}  // namespace

std::string models_csv(const Analysis& a) {
  const auto keys = structure_keys(a);
  std::vector<std::string> header{"sweep",      "id",        "status", "final_top1", "best_top1",
                                  "final_top5", "best_top5", "flops",  "params",     "acts"};
  header.insert(header.end(), keys.begin(), keys.end());
  header.push_back("seconds");
  header.push_back("normalized_weight");
  std::string out = join(header, ",") + "\r\n";
  for (const auto& s : a.sweeps) {
    const auto weights = weights_by_id(s);
    for (const auto& r : s.rows) out += row_text(s.name, r, keys, weights);
  }
  return out;
}

}  // namespace regnet
