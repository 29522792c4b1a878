// The report's refine section: a refine directory given to analyze stands for the sweeps it trained,
// and gets the chain table (trainings against the paper's 500 per step), per step a figure of the
// EDFs the decisions rest on and the candidates' verdicts with their intervals; summary.json holds the
// record. A record refine did not write is one error naming the field.
#include <catch2/catch.hpp>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/refine/refine_record.hpp"
#include "core/report/refine_report.hpp"
#include "simulated_refinement.hpp"
#include "temp_dir.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using namespace regnet::testing;

TEST_CASE("refine report: the chain, each step's EDFs and verdicts, from a refine directory", "[report][refine]") {
  const DesignSpace space = load_space("AnyNetXA");
  TempConfig config({"fashion-mnist-short"});
  test::TempDir w;
  SimulatedTrainer t;
  const std::string sweep = trained_sweep(w / "xa", space, 48, 1, t);
  const std::string dir = w / "ref";
  REQUIRE(run_refinement(simulated_request(sweep, dir), t.seam()).status == "done");

  CHECK(expand_analysis_inputs({dir}) ==
        std::vector<std::string>{dir + "/step-1/parent", dir + "/step-1/01-tie-bottleneck_ratio",
                                 dir + "/step-1/02-tie-group_width", dir + "/step-1/03-order-width-non_increasing"});
  AnalyzeOptions o;
  o.normalization = Normalization::none;
  o.resamples = 200;
  o.power_repetitions = 50;
  o.threads = 1;
  const Analysis a = analyze_sweeps({dir}, {}, o);
  REQUIRE(a.sweeps.size() == 4);
  REQUIRE(a.refines.size() == 1);
  const std::vector<Figure> figs = refine_figures(a);
  REQUIRE(figs.size() == 1);  // one step: no chain figure
  CHECK(figs[0].name == "refine_1_1");
  REQUIRE(figs[0].layers.size() == 4);
  CHECK(figs[0].layers[0].title.rfind("AnyNetXA (", 0) == 0);
  CHECK(figs[0].layers[1].title.rfind("tie-bottleneck_ratio: better (", 0) == 0);
  CHECK(figs[0].layers[3].title.rfind("order-width-non_increasing: worse (", 0) == 0);
  HtmlPage page;
  refine_section(page, a, [](const std::string& name) { return "<img src=\"" + name + "\">"; });
  const std::string& html = page.html();
  CHECK(html.find("<img src=\"refine_1_1\">") != std::string::npos);
  CHECK(html.find("tie-group_width") != std::string::npos);
  CHECK(html.find("AnyNetXA-r1") != std::string::npos);
  CHECK(html.find("(the paper's chain: 500 per step, 500 for these steps)") != std::string::npos);
  CHECK(html.find("01-tie-bottleneck_ratio vs parent: better") == std::string::npos);  // compare's own wording
  CHECK(html.find("01-tie-bottleneck_ratio vs parent: different at look") != std::string::npos);
  // The exploration's whole ranked table, the confirmed proposals marked.
  CHECK(html.find("every proposal, ranked") != std::string::npos);
  CHECK(html.find("order-width-non_decreasing") != std::string::npos);  // proposed, not confirmed
  REQUIRE(a.refines[0].explorations.size() == 1);
  CHECK(a.refines[0].explorations[0]["candidates"].size() > 10);
  const nlohmann::json j = to_json(a);
  REQUIRE(j.contains("refinements"));
  CHECK(j["refinements"][0]["refine"]["steps"][0]["adopted"].size() == 2);
  CHECK(j["refinements"][0]["explorations"][0]["models"] == 48);

  // A broken record: one line naming the file and the field.
  nlohmann::json broken = read_json_file(refine_json_path(dir));
  broken["steps"][0]["candidates"][1]["shift"] = "far";
  write_json_atomic(refine_json_path(dir), broken);
  CHECK_THROWS_WITH(read_refine_records({dir}), Catch::Contains("refine.json: steps[0].candidates[1].shift: \"far\""));
  nlohmann::json explored = read_json_file(dir + "/step-1/exploration.json");
  broken["steps"][0]["candidates"][1]["shift"] = nullptr;
  write_json_atomic(refine_json_path(dir), broken);
  explored["exploration"]["candidates"][0]["kept"] = "most";
  write_json_atomic(dir + "/step-1/exploration.json", explored);
  CHECK_THROWS_WITH(read_refine_records({dir}),
                    Catch::Contains("exploration.json: exploration.candidates[0].kept: \"most\""));
}
