#pragma once
// The sweep directory: the one place every step reads and writes (docs/sweep-format.md).
//
//   DIR/sweep.json              request, full space definition, seed, tool and format version
//   DIR/samples/NNNNNN.json     one SampleRecord per sample (spec, complexity, RegNet params, draw)
//   DIR/results/NNNNNN.json     one TrainResult per trained sample (written atomically)
//   DIR/claims/NNNNNN.json      a worker's claim on a sample while it trains (see claims.hpp)
//   DIR/checkpoints/NNNNNN.pt   the last epoch's checkpoint, removed when the result is written
//   DIR/weights/NNNNNN.pt       the final weights of a trained sample (a pycls-named state dict)
//
// Errors are percentages (0-100), as pycls and the paper print them.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/model/complexity.hpp"
#include "core/model/regnet.hpp"
#include "core/model/spec.hpp"

namespace regnet {

constexpr int kSweepFormatVersion = 1;
// The most samples a sweep holds (sample -n; sweep.json's n is checked against it when read).
constexpr int kMaxSweepSamples = 1'000'000;

struct SampleRecord {
  int id = 0;
  Spec spec;
  Complexity complexity;
  std::optional<RegNetParams> regnet;              // for RegNet-type spaces
  nlohmann::json draw = nlohmann::json::object();  // the sampled parameter values by the space's names
};

struct EpochRecord {
  int epoch = 0;  // 1-based
  double lr = 0;
  double train_loss = 0;
  double top1_err = 0;
  double top5_err = 0;
  double seconds = 0;
  double images_per_second = 0;  // training throughput
};

enum class RunStatus { done, diverged, failed };
std::string to_string(RunStatus s);
RunStatus run_status_from_string(const std::string& s, const std::string& where = "");

struct TrainResult {
  int id = 0;
  RunStatus status = RunStatus::done;
  std::string message;                            // why it diverged or failed
  double final_top1_err = 0, final_top5_err = 0;  // after the last epoch
  double best_top1_err = 0, best_top5_err = 0;    // minimum over epochs (pycls's choice)
  int best_epoch = 0;
  std::vector<EpochRecord> history;
  double seconds = 0;
  std::string device;                                    // "cpu (2 threads)", "cuda:0 NVIDIA H100"
  nlohmann::json provenance = nlohmann::json::object();  // spec, schedule, dataset, seed, threads, versions
};

nlohmann::json to_json(const SampleRecord& r);
SampleRecord sample_record_from_json(const nlohmann::json& j, const std::string& where = "");
nlohmann::json to_json(const TrainResult& r);
TrainResult train_result_from_json(const nlohmann::json& j, const std::string& where = "");

// Paths inside a sweep directory.
std::string sweep_json_path(const std::string& dir);
std::string sample_path(const std::string& dir, int id);
std::string result_path(const std::string& dir, int id);
std::string claim_path(const std::string& dir, int id);
std::string checkpoint_path(const std::string& dir, int id);
std::string weights_path(const std::string& dir, int id);  // DIR/weights/NNNNNN.pt: final weights (export reads them)

// A UserError unless DIR is absent or an empty directory (what create_sweep needs).
void require_new_sweep_dir(const std::string& dir);
// Creates DIR with sweep.json and every sample, all or nothing: everything is written into a
// sibling temporary directory that is renamed to DIR at the end. DIR must not exist, or be an
// empty directory; otherwise UserError ("DIR: already exists and is not empty ...").
void create_sweep(const std::string& dir, const nlohmann::json& sweep_json, const std::vector<SampleRecord>& samples);

// Reads DIR/sweep.json; a newer format version, or no sweep at DIR, is a UserError.
nlohmann::json read_sweep_json(const std::string& dir);
std::vector<SampleRecord> load_samples(const std::string& dir);
// Every sample file sweep.json promises (ids 0..n-1) is among `samples`: a deleted one is one
// UserError ("DIR/samples: 1 sample file missing (000001.json): sweep.json says n = 2").
void check_sample_files(const std::string& dir, const nlohmann::json& sweep_json,
                        const std::vector<SampleRecord>& samples);
// Every result is of one of `samples` and of its model (provenance.spec, where recorded, is the
// sample's spec): else one UserError naming the result file, so that no reader uses or drops it silently.
void check_results_match(const std::string& dir, const std::vector<SampleRecord>& samples,
                         const std::vector<TrainResult>& results);
SampleRecord load_sample(const std::string& dir, int id);
std::optional<TrainResult> load_result(const std::string& dir, int id);
std::vector<TrainResult> load_results(const std::string& dir);    // the ones that exist, by id
void write_result(const std::string& dir, const TrainResult& r);  // atomic

}  // namespace regnet
