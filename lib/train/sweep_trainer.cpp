#include "train/sweep_trainer.hpp"

#include <torch/torch.h>

#include "core/base/error.hpp"
#include "train/runtime.hpp"
#include "train/trainer.hpp"

namespace regnet::train {

SweepTraining sweep_training(const TrainingPlan& plan, const std::string& device) {
  SweepTraining st;
  st.data.source = plan.data_source;
  st.data.root = plan.data_root;
  st.data.image_size = plan.image_size();
  st.data.strict = plan.strict_data;
  st.schedule = plan.schedule;
  st.schedule_source = plan.schedule_path;
  st.device = device;
  st.threads = plan.threads;
  return st;
}

void check_spec_fits(const SampleRecord& sample, const DatasetInfo& data, const std::string& sweep_dir) {
  const std::string where = sample_path(sweep_dir, sample.id);
  // Every ImageFolder is named "imagefolder": say which.
  const std::string& data_name = data.name == "imagefolder" ? data.root : data.name;
  if (sample.spec.input_channels != data.channels)
    fail(where, "spec.input_channels",
         std::to_string(sample.spec.input_channels) + " does not suit " + data_name + ", whose images have " +
             std::to_string(data.channels) + " channel(s) (sample the sweep with a matching --preset)");
  if (sample.spec.num_classes != data.num_classes)
    fail(where, "spec.num_classes",
         std::to_string(sample.spec.num_classes) + " does not suit " + data_name + ", which has " +
             std::to_string(data.num_classes) + " classes (sample the sweep with a matching --preset)");
}

SweepTrainer::SweepTrainer(std::string sweep_dir, SweepTraining t) : dir_(std::move(sweep_dir)), t_(std::move(t)) {}

DatasetInfo SweepTrainer::open(const std::vector<SampleRecord>& samples) {
  check_device(t_.device, "--devices");
  if (!data_) load(samples);
  for (const auto& s : samples) check_spec_fits(s, info_, dir_);
  return info_;
}

// The data at its own size first: specs that cannot take it are refused before every image is
// resized to their size (ImageNet-sized specs on Fashion-MNIST: 70k images, a minute, 8 GB).
void SweepTrainer::load(const std::vector<SampleRecord>& samples) {
  DataConfig native = t_.data;
  native.image_size = 0;
  std::shared_ptr<Dataset> data = open_dataset(native);
  const DatasetInfo info = dataset_info(*data);
  for (const auto& s : samples) check_spec_fits(s, info, dir_);
  if (t_.data.image_size > 0 && t_.data.image_size != info.image_size) {
    data.reset();
    data = open_dataset(t_.data);
  }
  data_ = std::move(data);
  info_ = dataset_info(*data_);
}

TrainResult SweepTrainer::train(const SampleRecord& sample, const TrainJob& job) {
  open({sample});
  TrainOptions o;
  o.device = t_.device;
  o.threads = t_.threads;
  o.checkpoint_path = job.checkpoint_path;
  o.weights_path = job.weights_path;
  o.should_stop = job.should_stop;
  if (job.on_progress) {
    o.on_progress = [cb = job.on_progress](const Progress& p) {
      ModelProgress m;
      m.epoch = p.epoch;
      m.epochs = p.epochs;
      m.step = p.step;
      m.steps = p.steps;
      m.images_per_second = p.images_per_second;
      m.eta_seconds = p.eta_seconds;
      m.evaluating = p.evaluating;
      cb(m);
    };
  }
  TrainResult r;
  try {
    r = train_model(sample.spec, *data_, t_.schedule, o);
  } catch (const UnusableCheckpoint& e) {
    throw CheckpointRejected(e.what());  // the worker discards it and starts over
  }
  if (!r.provenance.is_object()) r.provenance = nlohmann::json::object();
  if (!t_.schedule_source.empty()) r.provenance["schedule_file"] = t_.schedule_source;
  return r;
}

TrainFunction SweepTrainer::function() {
  return [this](const SampleRecord& s, const TrainJob& j) { return train(s, j); };
}

LocalTrainer SweepTrainer::local(const std::vector<SampleRecord>& samples) {
  return LocalTrainer{[this, samples] { open(samples); }, function()};
}

}  // namespace regnet::train
