#pragma once
// `bench-train` (scripts/bench-train.sh): one model trained with a schedule and its training
// throughput, to compare with the same loop in PyTorch-Python. Torch-free header.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "train/trainer.hpp"

namespace regnet::train {

struct TrainBenchOptions {
  std::string spec_file;  // a spec or a sample record
  std::string schedule = "fashion-mnist-short";
  int epochs = 0, train_limit = -1, test_limit = -1;  // the schedule's own unless >= 1, >= 0, >= 0
  DataConfig data;
  TrainOptions train;  // device, threads, channels_last, weights_path, on_progress
  TrainBenchOptions() { train.device = "cpu"; }
};

struct TrainBenchResult {
  TrainResult result;
  double images_per_second = 0;  // the mean over epochs of images per second of training (no evaluation)
  double seconds = 0;            // in all
  double load_seconds = 0;       // of them, opening the dataset
};

TrainBenchResult bench_training(const TrainBenchOptions& options);
nlohmann::json to_json(const TrainBenchResult& r);
// "cpu: 1234 images/s training, 9.1 s total (0.5 s loading data), top-1 error 12.34% (done)"
std::string to_text(const TrainBenchResult& r);
// "epoch 1/2 step 10/469  1234 img/s  loss 0.512  ETA 9 s"
std::string progress_text(const Progress& p);

}  // namespace regnet::train
