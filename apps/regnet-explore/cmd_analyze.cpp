// regnet-explore analyze: compare sweeps (EDFs, KS, bootstrap, width fits, trends) and write
// figures (CSV + gnuplot + PNG/SVG/PDF) and a self-contained HTML report (docs/analyze.md).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>

#include "commands.hpp"
#include "core/analysis.hpp"
#include "core/error.hpp"
#include "core/report.hpp"

namespace regnet::cli {

namespace {

struct Options {
  std::vector<std::string> sweeps;
  std::vector<std::string> names;
  std::string out;
  std::string metric = "best";
  std::string normalize = "flops";
  int bins = 0;
  int bootstrap = 10000;
  std::uint64_t seed = 0;
  int threads = 0;
  bool json = false;
  bool no_render = false;
};

// The legend name of a sweep: its directory's last component.
std::string default_name(const std::string& dir) {
  std::filesystem::path p(dir);
  while (!p.empty() && p.filename().empty()) p = p.parent_path();  // "sweeps/xa/"
  std::string n = p.filename().string();
  return n.empty() || n == "." ? dir : n;
}

void run(const Options& o) {
  if (!o.names.empty() && o.names.size() != o.sweeps.size())
    fail("", "--names", std::to_string(o.names.size()) + " names for " + std::to_string(o.sweeps.size()) +
                            " sweeps (give one per sweep, comma-separated)");
  if (o.bins < 0) fail("", "--bins", std::to_string(o.bins) + " must be >= 1 (or 0 to choose automatically)");
  if (o.bootstrap < 0) fail("", "--bootstrap", std::to_string(o.bootstrap) + " must be >= 0");
  AnalyzeOptions opt;
  opt.metric = error_metric_from_string(o.metric);
  opt.normalization = normalization_from_string(o.normalize);
  opt.bins = o.bins;
  opt.resamples = o.bootstrap;
  opt.seed = o.seed;
  opt.threads = o.threads;
  opt.progress = [](const std::string& line) { std::fprintf(stderr, "analyze: %s\n", line.c_str()); };

  std::vector<SweepData> sweeps;
  std::set<std::string> used;
  for (size_t i = 0; i < o.sweeps.size(); ++i) {
    std::string name = o.names.empty() ? default_name(o.sweeps[i]) : o.names[i];
    for (int k = 2; used.count(name); ++k) name = (o.names.empty() ? default_name(o.sweeps[i]) : o.names[i]) + "-" + std::to_string(k);
    used.insert(name);
    sweeps.push_back(load_sweep_data(o.sweeps[i], name, opt.metric));
    const auto& s = sweeps.back();
    opt.progress("read " + s.name + " (" + s.dir + "): " + std::to_string(s.counts.samples) + " samples, " +
                 std::to_string(s.counts.done) + " done, " + std::to_string(s.counts.diverged) + " diverged, " +
                 std::to_string(s.counts.failed) + " failed, " + std::to_string(s.counts.missing) + " without a result");
  }
  const Analysis a = analyze(sweeps, opt);
  for (const auto& w : a.warnings) std::fprintf(stderr, "regnet-explore: warning: %s\n", w.c_str());

  ReportOptions ro;
  ro.render = !o.no_render;
  ro.jobs = o.threads;
  ro.progress = opt.progress;
  const ReportOutput r = write_report(a, o.out, ro);
  for (const auto& n : r.notes) std::fprintf(stderr, "regnet-explore: note: %s\n", n.c_str());

  if (o.json) {
    nlohmann::json j = to_json(a);
    j["report"] = {{"out", o.out},           {"index_html", r.index_html}, {"summary_json", r.summary_json},
                   {"figures", r.figures},   {"rendered", r.rendered},     {"formats", r.formats},
                   {"notes", r.notes}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << text_summary(a) << "\nreport: " << r.index_html << " (" << r.figures.size() << " figures";
  if (r.rendered) {
    std::cout << " as";
    for (const auto& f : r.formats) std::cout << " " << f;
    std::cout << ", with CSV data and gnuplot scripts";
  } else {
    std::cout << ": CSV data and gnuplot scripts only";
  }
  std::cout << ")\n";
}

}  // namespace

void add_analyze_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("analyze", "Compare sweeps: error EDFs, KS tests, bootstrap trends, width fits, HTML report");
  cmd->add_option("sweeps", o->sweeps, "Sweep directories (trained results are read; missing ones are reported)")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--out,-o", o->out, "Report directory: index.html, summary.json, figures/")->required();
  cmd->add_option("--metric", o->metric, "Which top-1 error feeds the analysis: best (minimum over epochs, as pycls) or final")
      ->check(CLI::IsMember({"best", "final"}))
      ->capture_default_str();
  cmd->add_option("--normalize", o->normalize, "Normalized EDFs by complexity (NDS): flops, params or none")
      ->check(CLI::IsMember({"flops", "params", "none"}))
      ->capture_default_str();
  cmd->add_option("--bins", o->bins, "Complexity bins K for the normalized EDFs (0: largest K <= min(10, n/10) with no empty bin)")
      ->capture_default_str();
  cmd->add_option("--bootstrap", o->bootstrap, "Bootstrap resamples (of 25% of the models) for the best parameter values")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed of the bootstrap")->capture_default_str();
  cmd->add_option("--names", o->names, "Legend names, one per sweep, comma-separated (default: directory names)")
      ->delimiter(',');
  cmd->add_option("--threads,-j", o->threads, "Threads for the bootstrap and gnuplot processes (0: all cores)")
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print the summary tables as JSON on stdout");
  cmd->add_flag("--no-render", o->no_render, "Write CSV data and gnuplot scripts without running gnuplot");
  cmd->footer(
      "Writes OUT/index.html (open it in a browser), OUT/summary.json and OUT/figures/NAME.{csv,gp,png,svg,pdf}.\n"
      "Restyle any figure by editing its script and re-running it from OUT: cd OUT && gnuplot figures/edf.gp\n\n"
      "Examples:\n"
      "  regnet-explore analyze sweeps/xa sweeps/xe sweeps/regnetx --out report/\n"
      "  regnet-explore analyze sweeps/xe --out report-xe --metric final --normalize params --bins 5\n"
      "  regnet-explore analyze sweeps/r200 sweeps/r400 sweeps/r800 --names 200MF,400MF,800MF --out trends/\n"
      "  regnet-explore analyze sweeps/xa sweeps/xe --out r --bootstrap 2500 --seed 1 --json > summary.json\n");
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
