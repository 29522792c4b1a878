// `sample` as a library call: the request's checks, the sweep.json it writes, the acceptance
// report and the summary it prints.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/space/sample_sweep.hpp"
#include "core/sweep/directory.hpp"
#include "temp_dir.hpp"

using namespace regnet;
using regnet::test::TempDir;

namespace {

SampleRequest small_request(const std::string& out) {
  SampleRequest r;
  r.space = "AnyNetXA";
  r.out = out;
  r.n = 5;
  r.seed = 3;
  r.threads = 1;
  r.flops = "100M:2G";
  r.net.input_size = 64;
  return r;
}

std::string error_of(const SampleRequest& r) {
  try {
    sample_sweep(r);
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("sample_sweep: count_range gives min, upper median and max", "[sample_sweep]") {
  const CountRange odd = count_range({5, 1, 3});
  CHECK(odd.min == 1);
  CHECK(odd.median == 3);
  CHECK(odd.max == 5);
  CHECK(count_range({4, 1, 3, 2}).median == 3);
  CHECK(count_range({}).max == 0);
}

TEST_CASE("sample_sweep: bad requests fail before any work and write nothing", "[sample_sweep]") {
  TempDir t;
  SampleRequest r = small_request(t / "out");
  r.n = 0;
  CHECK(error_of(r) == "-n: 0 must be in [1, 1000000]");
  r.n = 1000001;
  CHECK(error_of(r) == "-n: 1000001 must be in [1, 1000000]");
  r = small_request(t / "out");
  r.max_attempts = 0;
  CHECK(error_of(r) == "--max-attempts: 0 must be in [1, 10000000000]");
  r.max_attempts = 4;  // below -n 5: could never be enough
  CHECK(error_of(r) == "--max-attempts: 4 is below -n 5: that many models cannot be found");
  r = small_request(t / "out");
  r.threads = -1;
  CHECK(error_of(r) == "--threads: -1 must be in [0, 1024] (0: every core)");
  r.threads = 100000;  // each a real thread
  CHECK(error_of(r) == "--threads: 100000 must be in [0, 1024] (0: every core)");
  r = small_request(t / "out");
  r.flops = "400M:360M";
  CHECK(error_of(r).find("--flops: '400M:360M' is empty") == 0);
  r = small_request(t / "out");
  r.net.preset = "mnist";
  CHECK(error_of(r).find("--preset: 'mnist' is not one of") == 0);
  CHECK_FALSE(std::filesystem::exists(t / "out"));

  std::filesystem::create_directories(t / "full");
  std::ofstream(t / "full/note.txt") << "keep";
  r = small_request(t / "full");
  CHECK(error_of(r) == t / "full" + ": already exists and is not empty (choose another --out, or remove it)");
  std::ofstream(t / "file") << "x";
  r = small_request(t / "file");
  CHECK(error_of(r) == t / "file" + ": exists and is not a directory");
}

TEST_CASE("sample_sweep: too few models in max_attempts says why and writes nothing", "[sample_sweep]") {
  TempDir t;
  SampleRequest r = small_request(t / "out");
  r.flops = ":1k";
  r.max_attempts = 2000;
  const std::string e = error_of(r);
  CHECK(e.find("AnyNetXA: only 0 of 5 models found in 2,000 attempts (acceptance 0%; rejected: ") == 0);
  CHECK(e.find("nothing was written") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(t / "out"));
}

TEST_CASE("sample_sweep: writes the sweep with the request, the network and the acceptance", "[sample_sweep]") {
  TempDir t;
  const SampleRequest r = small_request(t / "out");
  const SampleSummary s = sample_sweep(r);
  CHECK(s.stats.accepted == 5);
  CHECK(s.space.network.input_size == 64);
  const nlohmann::json j = read_sweep_json(r.out);
  CHECK(j["command"] == "sample");
  CHECK(j["request"]["flops"] == "100M:2G");
  CHECK(j["request"]["params"].is_null());
  CHECK(j["request"]["network_overrides"]["input_size"] == 64);
  CHECK(j["window"]["flops"]["lo"] == 100000000);
  CHECK(j["window"]["acts"]["hi"].is_null());
  CHECK(j["network"]["input_size"] == 64);
  CHECK(j["space"]["network"]["input_size"] == 224);  // the space as loaded
  CHECK(j["acceptance"]["attempts"] == s.stats.attempts);
  CHECK(j["acceptance"]["rate"] == Approx(5.0 / static_cast<double>(s.stats.attempts)));
  CHECK(std::regex_match(j["created"].get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  const auto samples = load_samples(r.out);
  REQUIRE(samples.size() == 5);
  for (const auto& x : samples) {
    CHECK(x.spec.input_size == 64);
    CHECK(x.complexity.flops >= s.flops.min);
    CHECK(x.complexity.flops <= s.flops.max);
  }
  const nlohmann::json sj = to_json(s);
  CHECK(sj["flops"]["median"] == s.flops.median);
  CHECK(sj["acceptance"] == j["acceptance"]);
}

TEST_CASE("sample_sweep: the printed summary and progress lines", "[sample_sweep]") {
  SampleSummary s;
  s.request.n = 30;
  s.request.seed = 3;
  s.request.out = "sw";
  s.space.name = "AnyNetXE";
  s.stats.attempts = 60784;
  s.stats.accepted = 30;
  s.stats.rejected_window = 253;
  s.stats.rejected_constraints = 60501;
  s.seconds = 1.234;
  s.flops = {302000000, 382000000, 495000000};
  s.params = {800000, 5180000, 10100000};
  s.acts = {1590000, 2760000, 5020000};
  CHECK(acceptance_percent(s.stats) == "0.04936%");
  CHECK(summary_text(s) ==
        "sampled 30 models from AnyNetXE (seed 3) in 60,784 attempts: acceptance 0.04936%, 1.23 s\n"
        "  rejected: 253 outside the window, 60,501 by constraints, 0 by stage count, 0 duplicates\n"
        "  network: 224 px, 3 channels, 1000 classes, stem simple_stem_in width 32\n"
        "  flops (MACs) 302M .. 382M .. 495M (min, median, max)\n"
        "  params       800k .. 5.18M .. 10.1M\n"
        "  acts         1.59M .. 2.76M .. 5.02M\n"
        "wrote sw (sweep.json + 30 samples)\n");
  SampleProgress p;
  p.attempts = 3456;
  p.accepted = 12;
  p.wanted = 48;
  p.seconds = 2;
  CHECK(progress_line(p) ==
        "sampling [#####...............] 12/48 accepted, 3,456 attempts (0.3472%), 2s elapsed, ETA 6s");
}
