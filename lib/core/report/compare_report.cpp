#include "core/report/compare_report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/text.hpp"

namespace regnet {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A number of compare.json, NaN when absent or null (an unbounded interval end, no boundary).
double num(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : kNaN;
}

double end_of(const nlohmann::json& j, const char* key, size_t i) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_array() || j[key].size() <= i || !j[key][i].is_number())
    return kNaN;
  return j[key][i].get<double>();
}

std::string str(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

double margin_of(const nlohmann::json& cmp) { return num(cmp.value("design", nlohmann::json::object()), "margin"); }

// Every look's entry of pair (a, b), in order.
std::vector<nlohmann::json> pair_looks(const nlohmann::json& cmp, const std::string& a, const std::string& b) {
  std::vector<nlohmann::json> out;
  for (const auto& look : cmp.value("looks", nlohmann::json::array()))
    for (const auto& p : look.value("pairs", nlohmann::json::array()))
      if (str(p, "a") == a && str(p, "b") == b) out.push_back(p);
  return out;
}

void add_pair_layers(Figure& f, const nlohmann::json& cmp, const nlohmann::json& pair, int index, bool margin) {
  const std::string a = str(pair, "a"), b = str(pair, "b"), id = "p" + std::to_string(index);
  std::vector<double> n, y, lo, hi;
  for (const auto& r : pair_looks(cmp, a, b)) {
    n.push_back(num(r, "n"));
    y.push_back(margin ? num(r, "shift") : num(r, "d"));
    lo.push_back(margin ? end_of(r, "interval_equivalence", 0) : num(r, "boundary"));
    hi.push_back(margin ? end_of(r, "interval_equivalence", 1) : kNaN);
  }
  f.columns.insert(f.columns.end(), {{id + "_n", n}, {id + "_y", y}, {id + "_lo", lo}, {id + "_hi", hi}});
  if (margin) {
    f.layers.push_back(
        {a + " vs " + b, LayerStyle::errorlines, {id + "_n", id + "_y", id + "_lo", id + "_hi"}, index, 2});
    return;
  }
  f.layers.push_back({a + " vs " + b + ": D", LayerStyle::linespoints, {id + "_n", id + "_y"}, index, 2});
  f.layers.push_back({"boundary", LayerStyle::dashed, {id + "_n", id + "_lo"}, index, 1.5});
}

Figure compare_figure(const CompareRecord& r, size_t k) {
  const nlohmann::json& cmp = r.json;
  const double m = margin_of(cmp);
  const bool margin = std::isfinite(m) && m > 0;
  Figure f;
  f.name = "compare_" + std::to_string(k + 1);
  f.title = "Looks of the comparison in " + r.dir;
  f.xlabel = "models per sweep (n)";
  f.ylabel = margin ? "shift (error points)" : "KS distance D";
  f.key = "top right";
  f.headroom = 0.2;
  f.caption =
      margin ? "At each look, the Hodges-Lehmann shift (first sweep minus second) with its equivalence interval; "
               "the dashed lines are +-margin, the dotted one 0. A pair is equivalent once its interval lies "
               "between the dashed lines, different once the (wider) difference interval excludes 0."
             : "At each look, each pair's KS distance D (solid) and the boundary it must reach to decide (dashed).";
  int index = 0;
  for (const auto& p : cmp.value("pairs", nlohmann::json::array())) add_pair_layers(f, cmp, p, index++, margin);
  const auto looks = cmp.value("design", nlohmann::json::object()).value("looks", std::vector<int>{});
  if (margin && !looks.empty()) {
    const std::vector<double> x{0.0, double(looks.back())};
    f.columns.insert(f.columns.end(), {{"edge_x", x}, {"upper", {m, m}}, {"lower", {-m, -m}}, {"zero", {0, 0}}});
    f.layers.push_back({"", LayerStyle::dashed, {"edge_x", "upper"}, -1, 1.5});
    f.layers.push_back({"", LayerStyle::dashed, {"edge_x", "lower"}, -1, 1.5});
    f.layers.push_back({"", LayerStyle::dotted, {"edge_x", "zero"}, -1, 1});
    // Room below too: an interval ending at -margin would otherwise put that line on the x axis.
    f.headroom = 0;
    f.settings.push_back("set offsets 0, 0, graph 0.2, graph 0.08  # headroom for the key, and below -margin");
  }
  return f;
}

std::string cell(double v, int decimals) { return std::isfinite(v) ? fixed(v, decimals) : "-"; }

std::string interval_cell(const nlohmann::json& r, const char* key) {
  return "[" + cell(end_of(r, key, 0), 2) + ", " + cell(end_of(r, key, 1), 2) + "]";
}

std::string decision_cell(const nlohmann::json& r, bool margin) {
  if (!margin) return r.value("reject", false) ? "reject H0" : "";
  std::vector<std::string> held;
  if (r.value("equivalent", false)) held.push_back("equivalent");
  if (r.value("non_inferior", false)) held.push_back("non-inferior");
  if (r.value("different", false)) held.push_back("different");
  return join(held, ", ");
}

HtmlTable looks_table(const nlohmann::json& cmp, bool margin) {
  HtmlTable t;
  std::vector<HtmlCell> head{th("look"), th("n"), th("pair", "l"), th("n_a"), th("n_b"), th("D"), th("boundary")};
  if (margin) head.insert(head.end(), {th("shift"), th("interval (different)"), th("interval (equivalence)")});
  head.push_back(th("held at this look", "l"));
  t.rows.push_back(head);
  for (const auto& look : cmp.value("looks", nlohmann::json::array()))
    for (const auto& r : look.value("pairs", nlohmann::json::array())) {
      std::vector<HtmlCell> row{td(std::to_string(look.value("look", 0))),
                                td(cell(num(r, "n"), 0)),
                                td(html_escape(str(r, "a") + " vs " + str(r, "b")), "l"),
                                td(cell(num(r, "n_a"), 0)),
                                td(cell(num(r, "n_b"), 0)),
                                td(cell(num(r, "d"), 3)),
                                td(cell(num(r, "boundary"), 3))};
      if (margin)
        row.insert(row.end(), {td(cell(num(r, "shift"), 2)), td(interval_cell(r, "interval_different")),
                               td(interval_cell(r, "interval_equivalence"))});
      row.push_back(td(decision_cell(r, margin), "l"));
      t.rows.push_back(row);
    }
  return t;
}

std::string design_text(const nlohmann::json& cmp) {
  const nlohmann::json d = cmp.value("design", nlohmann::json::object());
  std::vector<std::string> looks;
  for (const auto& n : d.value("looks", nlohmann::json::array())) looks.push_back(n.dump());
  const double m = margin_of(cmp);
  return fmt::format("looks at {} models per sweep, alpha {} ({}{}), status {}", join(looks, ", "),
                     cell(num(d, "alpha"), 3), str(d, "spending"),
                     std::isfinite(m) ? ", margin " + shortest(m) + " error points" : "", str(cmp, "status"));
}

// What a field of compare.json's results may hold (null too, where it is a number: an unbounded end).
enum class Kind { number, whole, flag, text, interval };
struct FieldKind {
  const char* key;
  Kind kind;
};
constexpr FieldKind kPairLookFields[] = {{"a", Kind::text},
                                         {"b", Kind::text},
                                         {"n", Kind::number},
                                         {"n_a", Kind::number},
                                         {"n_b", Kind::number},
                                         {"d", Kind::number},
                                         {"boundary", Kind::number},
                                         {"shift", Kind::number},
                                         {"interval_different", Kind::interval},
                                         {"interval_equivalence", Kind::interval},
                                         {"reject", Kind::flag},
                                         {"equivalent", Kind::flag},
                                         {"non_inferior", Kind::flag},
                                         {"different", Kind::flag}};
constexpr FieldKind kLookFields[] = {{"look", Kind::whole}};
constexpr FieldKind kPairFields[] = {{"a", Kind::text}, {"b", Kind::text}};
constexpr FieldKind kDesignFields[] = {{"alpha", Kind::number}, {"margin", Kind::number}, {"spending", Kind::text}};
constexpr FieldKind kTopFields[] = {{"status", Kind::text}};

bool number_or_null(const nlohmann::json& v) { return v.is_null() || v.is_number(); }

// "" when `v` is of `kind`, else what it should be.
std::string kind_error(const nlohmann::json& v, Kind kind) {
  switch (kind) {
    case Kind::number: return number_or_null(v) ? "" : "is not a number";
    case Kind::whole:
      return v.is_number_integer() && v.get<double>() >= 0 && v.get<double>() < 2147483648.0 ? ""
                                                                                             : "is not a look number";
    case Kind::flag: return v.is_boolean() ? "" : "is not true or false";
    case Kind::text: return v.is_string() ? "" : "is not a string";
    case Kind::interval:
      return v.is_null() || (v.is_array() && v.size() == 2 && number_or_null(v[0]) && number_or_null(v[1]))
                 ? ""
                 : "is not an interval [low, high]";
  }
  return "";
}

template <size_t N>
void check_fields(const nlohmann::json& j, const FieldKind (&fields)[N], const std::string& where,
                  const std::string& path) {
  if (!j.is_object()) fail(where, path.empty() ? "" : path, excerpt(j) + " is not an object");
  for (const auto& f : fields) {
    if (!j.contains(f.key)) continue;
    const std::string why = kind_error(j.at(f.key), f.kind);
    if (!why.empty()) fail(where, (path.empty() ? "" : path + ".") + f.key, excerpt(j.at(f.key)) + " " + why);
  }
}

// cmp[key] as an array (absent: empty), else a UserError.
const nlohmann::json& array_field(const nlohmann::json& j, const char* key, const std::string& where,
                                  const std::string& path) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  if (!j.contains(key)) return kEmpty;
  const nlohmann::json& v = j.at(key);
  if (!v.is_array()) fail(where, path + key, excerpt(v) + " is not an array");
  return v;
}

std::string at(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

}  // namespace

void check_compare_results(const nlohmann::json& cmp, const std::string& where) {
  check_fields(cmp, kTopFields, where, "");
  if (cmp.contains("design")) check_fields(cmp.at("design"), kDesignFields, where, "design");
  const auto& looks = array_field(cmp, "looks", where, "");
  for (size_t i = 0; i < looks.size(); ++i) {
    check_fields(looks[i], kLookFields, where, at("looks", i));
    const auto& pairs = array_field(looks[i], "pairs", where, at("looks", i) + ".");
    for (size_t k = 0; k < pairs.size(); ++k)
      check_fields(pairs[k], kPairLookFields, where, at(at("looks", i) + ".pairs", k));
  }
  const auto& pairs = array_field(cmp, "pairs", where, "");
  for (size_t k = 0; k < pairs.size(); ++k) check_fields(pairs[k], kPairFields, where, at("pairs", k));
  const auto& decision = array_field(cmp, "decision", where, "");
  for (size_t k = 0; k < decision.size(); ++k)
    if (!decision[k].is_string()) fail(where, at("decision", k), excerpt(decision[k]) + " is not a string");
}

std::vector<Figure> compare_figures(const Analysis& a) {
  std::vector<Figure> figs;
  for (size_t k = 0; k < a.compares.size(); ++k) figs.push_back(compare_figure(a.compares[k], k));
  return figs;
}

void compare_section(HtmlPage& page, const Analysis& a,
                     const std::function<std::string(const std::string&)>& figure_html) {
  for (size_t k = 0; k < a.compares.size(); ++k) {
    const nlohmann::json& cmp = a.compares[k].json;
    const double m = margin_of(cmp);
    page.subheading(html_escape(a.compares[k].dir) + " <span class=\"meta\">compare.json</span>");
    page.meta(html_escape(design_text(cmp)));
    std::string verdicts = "<ul>\n";
    for (const auto& line : cmp.value("decision", nlohmann::json::array()))
      if (line.is_string()) verdicts += "<li>" + html_escape(line.get<std::string>()) + "</li>\n";
    page.raw(verdicts + "</ul>\n");
    page.grid({figure_html("compare_" + std::to_string(k + 1))});
    page.table(looks_table(cmp, std::isfinite(m) && m > 0));
    if (!a.compares[k].forecast.empty())
      page.meta("What more training would bring (compare --plan on the models trained now):")
          .raw("<pre>" + html_escape(a.compares[k].forecast) + "</pre>\n");
  }
}

}  // namespace regnet
