// The report's compare section: a compare directory given to analyze gets its verdicts, a table
// of every look and a figure of the looks over n (the shift and its interval against +-margin, or
// KS's D against its boundary).
#include <catch2/catch.hpp>

#include "core/report/compare_report.hpp"

using namespace regnet;

namespace {

nlohmann::json look(int k, int n, double shift, double lo, double hi, bool equivalent) {
  return {{"look", k},
          {"n", n},
          {"pairs", nlohmann::json::array({{{"a", "xb"},
                                            {"b", "xa"},
                                            {"n", n},
                                            {"n_a", n},
                                            {"n_b", n},
                                            {"d", 0.25},
                                            {"boundary", 0.875},
                                            {"shift", shift},
                                            {"interval_different", {lo - 0.1, hi + 0.1}},
                                            {"interval_equivalence", {lo, hi}},
                                            {"different", false},
                                            {"equivalent", equivalent},
                                            {"non_inferior", false}}})}};
}

}  // namespace

TEST_CASE("compare report: verdicts, looks and a figure of the intervals per compare directory", "[report]") {
  Analysis a;
  nlohmann::json cmp = nlohmann::json::object();
  cmp["design"] = {{"looks", {5, 8}}, {"alpha", 0.05}, {"spending", "pocock"}, {"margin", 1.0}};
  cmp["status"] = "decided";
  cmp["pairs"] = nlohmann::json::array({{{"a", "xb"}, {"b", "xa"}, {"status", "equivalent"}}});
  cmp["looks"] = nlohmann::json::array({look(1, 5, 0.1, -1.55, 9, false), look(2, 8, 0.12, -0.75, 0.70, true)});
  cmp["decision"] =
      nlohmann::json::array({"xb vs xa: equivalent within 1.0 at look 2 (n = 8): shift 0.12 [-0.75, 0.70]"});
  cmp["looks"][0]["pairs"][0]["interval_equivalence"][1] = nullptr;  // an unbounded end
  a.compares.push_back({"cmp<1>", cmp});
  const std::vector<Figure> figs = compare_figures(a);
  REQUIRE(figs.size() == 1);
  CHECK(figs[0].name == "compare_1");
  CHECK(figs[0].ylabel == "shift (error points)");
  CHECK(figs[0].layers.front().style == LayerStyle::errorlines);
  CHECK(figs[0].layers.front().title == "xb vs xa");
  const std::string csv = figure_csv(figs[0]);
  CHECK(csv.find("p0_n,p0_y,p0_lo,p0_hi") != std::string::npos);
  HtmlPage page;
  compare_section(page, a, [](const std::string& name) { return "<figure>" + name + "</figure>"; });
  const std::string& html = page.html();
  CHECK(html.find("cmp&lt;1&gt;") != std::string::npos);  // the directory, escaped
  CHECK(html.find("<li>xb vs xa: equivalent within 1.0 at look 2 (n = 8)") != std::string::npos);
  CHECK(html.find("<figure>compare_1</figure>") != std::string::npos);
  CHECK(html.find("[-1.55, -]") != std::string::npos);
  CHECK(html.find("margin 1 error points") != std::string::npos);
  // Without a margin: D against the boundary.
  cmp["design"].erase("margin");
  a.compares = {{"ks", cmp}};
  const Figure ks = compare_figures(a).at(0);
  CHECK(ks.ylabel == "KS distance D");
  CHECK(ks.layers.size() == 2);
}

TEST_CASE("compare report: the planner's prediction is shown when there is one", "[report]") {
  Analysis a;
  a.compares.push_back({"cmp",
                        {{"design", {{"looks", {5}}, {"margin", 1.0}}}, {"decision", nlohmann::json::array()}},
                        "xb vs xa (different or equivalent, margin 1): ..."});
  HtmlPage page;
  compare_section(page, a, [](const std::string&) { return std::string(); });
  CHECK(page.html().find("compare --plan on the models trained now") != std::string::npos);
  CHECK(page.html().find("<pre>xb vs xa (different or equivalent, margin 1): ...</pre>") != std::string::npos);
  // A compare directory whose sweeps are gone: the prediction says why there is none.
  const auto records = read_compare_records({"/nonexistent-compare-dir"});
  CHECK(records.empty());
}
