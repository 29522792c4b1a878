#pragma once
// Small sweeps and config directories in temporary directories, for the tests of the worker,
// training plans and launches.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/model/complexity.hpp"
#include "core/sweep/directory.hpp"

namespace regnet::testing {

// A two-stage model for 28 px, 1-channel, 10-class images (Fashion-MNIST's shape).
inline Spec tiny_spec(int width) {
  Spec s;
  s.stem_type = StemType::res_stem_cifar;
  s.stem_width = 8;
  s.depths = {1, 1};
  s.widths = {width, 2 * width};
  s.bottleneck_ratios = {1, 1};
  s.group_widths = {8, 8};
  s.strides = {1, 2};
  s.input_size = 28;
  s.input_channels = 1;
  s.num_classes = 10;
  return s;
}

// Samples 0..n-1 of tiny specs (widths 8, 16, 24, 32 in turn).
inline std::vector<SampleRecord> tiny_samples(int n) {
  std::vector<SampleRecord> samples;
  for (int i = 0; i < n; ++i) {
    SampleRecord r;
    r.id = i;
    r.spec = tiny_spec(8 * (1 + i % 4));
    r.complexity = complexity(r.spec);
    samples.push_back(r);
  }
  return samples;
}

// DIR/sweep under a fresh temporary directory, removed with it.
struct TempSweep {
  std::string path;
  explicit TempSweep(int n) : TempSweep(tiny_samples(n)) {}
  // `request` becomes sweep.json's "request" (e.g. {"network_overrides": {"preset": "cifar10"}}).
  explicit TempSweep(const std::vector<SampleRecord>& samples, const nlohmann::json& request = nullptr) {
    char tmpl[] = "/tmp/regnet-worker-XXXXXX";
    const std::string base = ::mkdtemp(tmpl);
    path = base + "/sweep";
    nlohmann::json j{{"format_version", kSweepFormatVersion}};
    if (!request.is_null()) j["request"] = request;
    create_sweep(path, j, samples);
  }
  ~TempSweep() {
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(path).parent_path(), ec);
  }
  TempSweep(const TempSweep&) = delete;
  TempSweep& operator=(const TempSweep&) = delete;
};

// Sets (or, with nullopt, unsets) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    if (value)
      ::setenv(name_.c_str(), value->c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_.c_str(), old_->c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// A REGNET_CONFIG_DIR of its own whose schedules/ holds one-epoch schedules of the given names.
struct TempConfig {
  std::string path;
  std::optional<ScopedEnv> env;
  explicit TempConfig(const std::vector<std::string>& schedules) {
    char tmpl[] = "/tmp/regnet-config-XXXXXX";
    path = ::mkdtemp(tmpl);
    std::filesystem::create_directories(path + "/schedules");
    for (const auto& name : schedules) std::ofstream(path + "/schedules/" + name + ".json") << R"({"epochs": 1})";
    env.emplace("REGNET_CONFIG_DIR", path);
  }
  ~TempConfig() {
    env.reset();
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempConfig(const TempConfig&) = delete;
  TempConfig& operator=(const TempConfig&) = delete;
};

}  // namespace regnet::testing
