#pragma once
// What a training run will do, decided once from what was asked: the dataset (default: the
// sweep's --preset), the schedule (by name or file), the devices, worker processes and threads,
// the samples selected and the claim timing. `train`, `launch` (and any later command that
// trains a sweep) call plan_training, so they accept and refuse the same input. Torch-free: the
// data itself is opened by lib/train.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/threads.hpp"
#include "core/run/schedule.hpp"
#include "core/sweep/claims.hpp"
#include "core/sweep/directory.hpp"
#include "core/sweep/sample_states.hpp"

namespace regnet {

// The most worker processes and threads per worker a plan takes (their product, the CPUs of a
// SLURM task, stays far inside an int).
constexpr int kMaxJobs = kMaxThreads;

// What was asked (the train options; no CLI needed).
struct TrainingRequest {
  std::string sweep_dir;
  std::string data;       // "" = sweep.json's train_defaults.data, else the sweep's preset dataset, else fashion-mnist
  std::string data_root;  // "" = the dataset's default directory
  std::string schedule;   // "" = train_defaults.schedule, else DATA-short if the schedules directory has it,
                          //      else fashion-mnist-short
  int jobs = 0;           // worker processes; 0 = one per listed device
  int threads = 0;        // per worker; 0 = available cores / jobs
  std::string devices = "auto";  // cpu, auto, cuda, or a list such as cuda:0,cuda:1
  std::string ids;               // "" = every sample
  bool no_wait = false;          // return when only samples held by other live workers are left
  bool strict_data = false;      // an unreadable image is an error (streamed data: ImageFolders, JPEG packs)
  double claim_timeout = 120;
  double heartbeat = 5;
};

struct TrainingPlan {
  std::string sweep_dir;      // as given
  std::string data_source;    // a dataset name, or an absolute directory
  std::string data_root;      // absolute, or empty
  std::string schedule_path;  // absolute
  Schedule schedule;
  std::vector<std::string> devices;  // worker k uses devices[k % size]
  int jobs = 1;
  int threads = 1;       // per worker
  std::vector<int> ids;  // the selected ids; empty = every sample
  ClaimPolicy claims;
  bool wait_for_others = true;
  bool strict_data = false;            // passed on to every worker (--strict)
  std::vector<SampleRecord> selected;  // never empty; all of one input size
  SweepState state;                    // when planned

  int image_size() const { return selected.front().spec.input_size; }
  const std::string& device_of_worker(int k) const { return devices[static_cast<size_t>(k) % devices.size()]; }
};

// Reads the sweep and checks every option; a UserError names the option (or the sweep file and
// field) and value. Writes nothing.
TrainingPlan plan_training(const TrainingRequest& request);

// The dataset a sweep was sampled for (sweep.json request.network_overrides.preset), or "".
std::string preset_dataset(const nlohmann::json& sweep_json);

// A rough CPU time estimate for one model, for --dry-run. Training costs ~3x the forward MACs
// (forward + backward), each MAC two FLOPs; every epoch also evaluates the test images. The
// default throughput, 11 GFLOP/s per core, was measured here (17.6 GFLOP/s with 2 threads on a
// 1.8 MMAC model; ~1.5x for 1-thread processes side by side: docs/workers.md). Larger models run
// faster per FLOP, so this errs on the long side.
struct ThroughputAssumption {
  double flops_per_second_per_core = 11e9;
  double seconds_per_model = 2.0;  // start-up, dataset pass set-up, checkpointing
};
double estimate_model_seconds(std::int64_t macs, int epochs, std::int64_t train_images, std::int64_t test_images,
                              int cores, const ThroughputAssumption& a = {});

// The plan's remaining work on a dataset of `train_images` / `test_images` (the schedule's
// limits applied), shared by min(jobs, models) workers of `threads` cores each.
struct TrainingEstimate {
  std::int64_t train_images = 0, test_images = 0;  // per epoch
  std::vector<int> to_train;                       // claimable ids, in order
  double seconds = 0;                              // wall clock
};
TrainingEstimate estimate_training(const TrainingPlan& plan, std::int64_t train_images, std::int64_t test_images,
                                   const ThroughputAssumption& a = {});

// GPU memory one worker process needs for the largest model it may train, for --dry-run with
// several workers on one GPU (docs/training.md, "Several models per GPU"): each process holds its
// own CUDA context and cuDNN workspace; the weights come with gradients, momentum and the bf16 copies
// autocast caches; backward keeps about three tensors (conv, BN, ReLU outputs) per activation pycls
// counts, at the schedule's batch size; the caching allocator holds up to 1.5x of that.
struct GpuMemoryAssumption {
  double context_mib = 500;
  double bytes_per_param = 16;
  double bytes_per_activation = 12;
  double allocator_slack = 1.5;
};
double estimate_worker_memory_mib(const TrainingPlan& plan, const GpuMemoryAssumption& a = {});

}  // namespace regnet
