// The training loop (docs/reference.md §5): SGD with momentum/Nesterov, half-period cosine lr with linear
// warm-up, weight decay, label smoothing; top-1/top-5 error each epoch; a checkpoint each epoch
// that a later call resumes from exactly.
#include "train/trainer.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "core/base/error.hpp"
#include "core/base/failpoint.hpp"
#include "core/base/json_io.hpp"
#include "core/base/progress.hpp"
#include "train/data_impl.hpp"
#include "train/device.hpp"
#include "train/network_impl.hpp"
#include "train/runtime.hpp"
#include "train/torch_compat.hpp"

namespace regnet::train {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// ---------------------------------------------------------------- device and mixed precision

// `option` names what chose the device in errors ("device", "--devices").
torch::Device resolve_device(const std::string& name, const std::string& option = "device") {
  if (name == "auto" || name.empty()) return torch::cuda::is_available() ? torch::Device("cuda:0") : torch::kCPU;
  if (name == "cpu") return torch::kCPU;
  if (name.rfind("cuda", 0) == 0) {
    if (!torch::cuda::is_available())
      fail("", option, "'" + name + "': CUDA is not available (no GPU, or LibTorch built without CUDA)");
    try {
      torch::Device d(name);
      if (d.has_index() && d.index() >= static_cast<int>(torch::cuda::device_count()))
        fail("", option, "'" + name + "': only " + std::to_string(torch::cuda::device_count()) + " CUDA device(s)");
      return d.has_index() ? d : torch::Device("cuda:0");
    } catch (const c10::Error&) {
      fail("", option, "'" + name + "' is not a device (cpu, cuda, cuda:N, auto)");
    }
  }
  fail("", option, "'" + name + "' is not a device (cpu, cuda, cuda:N, auto)");
}

std::string device_name(const torch::Device& d, int threads) {
  if (d.is_cpu()) return "cpu (" + std::to_string(threads) + " threads)";
  return d.str();
}

bool is_out_of_memory(const std::string& what) {
  return what.find("out of memory") != std::string::npos || what.find("can't allocate memory") != std::string::npos ||
         what.find("CUDA_ERROR_OUT_OF_MEMORY") != std::string::npos;
}

// ---------------------------------------------------------------- checkpoint

// What a checkpoint must match to be resumed: the same spec, schedule and data.
std::string fingerprint(const Spec& spec, const Schedule& sched, const DatasetInfo& info) {
  auto s = to_json(sched);
  s.erase("name");  // renaming the file is not a change of recipe
  return nlohmann::json{{"spec", to_json(spec)},
                        {"schedule", s},
                        {"data",
                         {{"name", info.name},
                          {"train_size", info.train_size},
                          {"test_size", info.test_size},
                          {"image_size", info.image_size},
                          {"num_classes", info.num_classes}}}}
      .dump();
}

nlohmann::json history_json(const std::vector<EpochRecord>& h) {
  TrainResult r;
  r.history = h;
  return to_json(r)["history"];
}

// The history of the `epochs` completed epochs as the checkpoint at `path` recorded it. A damaged
// one cannot be rebuilt (the weights of earlier epochs are gone) and must not be dropped (the
// result would lack those epochs): the checkpoint is unusable, and the worker starts over.
std::vector<EpochRecord> history_from(const nlohmann::json& j, int epochs, const std::string& path) {
  const nlohmann::json r = {{"id", 0}, {"status", "done"}, {"history", j}};
  std::vector<EpochRecord> h;
  try {
    h = train_result_from_json(r, path).history;
  } catch (const UserError& e) {
    throw UnusableCheckpoint(std::string(e.what()) + " (a damaged checkpoint: delete it to start over)");
  }
  if (static_cast<int>(h.size()) != epochs)
    throw UnusableCheckpoint(error_context(path, "history",
                                           std::to_string(h.size()) + " epoch(s) recorded, but the checkpoint holds " +
                                               std::to_string(epochs) + " (damaged: delete it to start over)"));
  return h;
}

// A problem writing into the sweep applies to every model: a UserError, never one model's failure.
void create_parent(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) fail(parent.string(), "", "cannot create directory: " + ec.message());
}

struct Resume {
  int epoch = 0;  // epochs completed
  std::vector<EpochRecord> history;
  double seconds = 0;
};

void save_checkpoint(const std::string& path, AnyNet& net, torch::optim::Optimizer& opt, const Resume& state,
                     const std::string& fp, std::uint64_t seed) {
  torch::serialize::OutputArchive ar;
  torch::serialize::OutputArchive model_ar(ar.compilation_unit()), opt_ar(ar.compilation_unit());
  net->save(model_ar);
  opt.save(opt_ar);
  ar.write("model", model_ar);
  ar.write("optimizer", opt_ar);
  ar.write("epoch", torch::tensor(static_cast<std::int64_t>(state.epoch)));
  ar.write("cpu_rng", at::detail::getDefaultCPUGenerator().get_state());
  nlohmann::json meta{{"fingerprint", fp},
                      {"seed", seed},
                      {"history", history_json(state.history)},
                      {"seconds", state.seconds},
                      {"version", REGNET_VERSION}};
  ar.write("meta", c10::IValue(meta.dump()));
  // Serialized here and written by write_file_atomic, so that a full disk is one line naming the
  // file and the cause (torch's own file writer says neither).
  std::ostringstream bytes;
  ar.save_to(bytes);
  create_parent(path);
  write_file_atomic(path, bytes.str(), "checkpoint-write");
}

// Loads `path` into net and opt if it exists; returns the epochs completed (0: fresh start).
Resume load_checkpoint(const std::string& path, AnyNet& net, torch::optim::Optimizer& opt, const torch::Device& device,
                       const std::string& fp) {
  Resume r;
  if (path.empty() || !std::filesystem::exists(path)) return r;
  const auto unreadable = [&path] {
    return UnusableCheckpoint(error_context(path, "", "not a readable checkpoint (delete it to start over)"));
  };
  torch::serialize::InputArchive ar;
  nlohmann::json meta;
  try {
    ar.load_from(path, device);
    c10::IValue m;
    ar.read("meta", m);
    meta = nlohmann::json::parse(m.toStringRef());
  } catch (const std::exception&) {
    throw unreadable();
  }
  if (!meta.is_object()) throw unreadable();
  if (meta.value("fingerprint", "") != fp)
    throw UnusableCheckpoint(error_context(
        path, "", "this checkpoint was written for another spec, schedule or dataset (delete it to start over)"));
  // Every checkpoint this tool writes has each entry (cpu_rng included): one missing is damage.
  try {
    torch::serialize::InputArchive model_ar, opt_ar;
    ar.read("model", model_ar);
    ar.read("optimizer", opt_ar);
    net->load(model_ar);
    opt.load(opt_ar);
    torch::Tensor epoch, rng;
    ar.read("epoch", epoch);
    ar.read("cpu_rng", rng);
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(rng.cpu());
    r.epoch = static_cast<int>(epoch.item<std::int64_t>());
  } catch (const c10::Error&) {
    throw unreadable();
  }
  r.history = history_from(meta.value("history", nlohmann::json::array()), r.epoch, path);
  r.seconds = meta.value("seconds", 0.0);
  return r;
}

// ---------------------------------------------------------------- optimizer

// SGD with momentum/Nesterov; with bn_weight_decay off, 1-d parameters (BN gamma/beta and every
// bias) go in a group without weight decay.
std::unique_ptr<torch::optim::SGD> make_optimizer(AnyNet& net, const Schedule& s) {
  auto opts =
      torch::optim::SGDOptions(s.base_lr).momentum(s.momentum).nesterov(s.nesterov).weight_decay(s.weight_decay);
  if (s.bn_weight_decay) return std::make_unique<torch::optim::SGD>(net->parameters(), opts);
  std::vector<torch::Tensor> decay, no_decay;
  for (auto& p : net->parameters()) (p.dim() <= 1 ? no_decay : decay).push_back(p);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::SGDOptions>(opts));
  auto nd = std::make_unique<torch::optim::SGDOptions>(opts);
  nd->weight_decay(0.0);
  groups.emplace_back(no_decay, std::move(nd));
  return std::make_unique<torch::optim::SGD>(groups, opts);
}

void set_lr(torch::optim::Optimizer& opt, double lr) {
  for (auto& g : opt.param_groups()) static_cast<torch::optim::SGDOptions&>(g.options()).lr(lr);
}

// ---------------------------------------------------------------- evaluation

struct Errors {
  double top1 = 100, top5 = 100;
};

Errors evaluate(AnyNet& net, Dataset& data, const Schedule& s, const torch::Device& device, bool channels_last,
                bool amp, int num_classes) {
  net->eval();
  torch::NoGradGuard no_grad;
  BatchOptions o;
  o.split = Split::test;
  o.batch_size = s.test_batch_size;
  o.limit = s.test_limit;
  o.device = device;
  o.channels_last = channels_last;
  auto stream = data.batches(o);
  const int k = std::min(5, num_classes);
  auto c1 = torch::zeros({}, torch::TensorOptions().dtype(torch::kLong).device(device));
  auto c5 = c1.clone();
  std::int64_t n = 0;
  Batch b;
  while (stream->next(b)) {
    torch::Tensor logits;
    {
      CudaAutocast ac(amp);
      logits = net->forward(b.images);
    }
    auto top = std::get<1>(logits.topk(k, 1, true, true));
    auto hit = top.eq(b.labels.view({-1, 1}));
    c1 += hit.select(1, 0).sum();
    c5 += hit.any(1).sum();
    n += b.labels.size(0);
  }
  net->train();
  if (n == 0) return {};
  Errors e;
  e.top1 = 100.0 * (1.0 - static_cast<double>(c1.item<std::int64_t>()) / n);
  e.top5 = 100.0 * (1.0 - static_cast<double>(c5.item<std::int64_t>()) / n);
  return e;
}

void check_fit(const Spec& spec, const DatasetInfo& info) {
  if (spec.input_channels != info.channels)
    fail("spec", "input_channels",
         std::to_string(spec.input_channels) + " but " + info.name + " images have " + std::to_string(info.channels) +
             " channel(s) (sample the sweep with input channels " + std::to_string(info.channels) + ")");
  if (spec.num_classes != info.num_classes)
    fail("spec", "num_classes",
         std::to_string(spec.num_classes) + " but " + info.name + " has " + std::to_string(info.num_classes) +
             " classes (sample the sweep with " + std::to_string(info.num_classes) + " classes)");
}

// What ends a run before its last epoch.
struct Stop {
  RunStatus status;
  std::string message;
};

// One epoch's running totals.
struct Epoch {
  int index = 0;  // 0-based
  Clock::time_point start;
  std::int64_t steps = 0, step = 0, images = 0;
  double lr = 0;
  torch::Tensor loss_sum;
  double mean_loss() const { return step ? loss_sum.item<double>() / step : 0; }
};

// One train_model call: the network, optimizer and resumable state on one device.
class Session {
 public:
  Session(const Spec& spec, Dataset& data, const Schedule& sched, const TrainOptions& o)
      : spec_(spec), data_(data), sched_(sched), o_(o) {}

  TrainResult run() {
    set_up();
    try {
      for (int e = state_.epoch; e < sched_.epochs; ++e)
        if (auto stop = train_epoch(e)) return finish(stop->status, stop->message);
      if (!o_.weights_path.empty()) save_weights();
    } catch (const c10::Error& e) {
      const std::string what = e.what_without_backtrace();
      if (is_out_of_memory(what))
        return finish(RunStatus::failed, "out of memory on " + result_.device + " at batch size " +
                                             std::to_string(sched_.batch_size) +
                                             ": lower batch_size in the schedule (or use a smaller model)");
      throw std::runtime_error("LibTorch: " + what.substr(0, what.find('\n')));
    }
    return finish(RunStatus::done, "");
  }

 private:
  // The device, the network (resumed from the checkpoint when there is one) and the provenance.
  void set_up() {
    validate(spec_, "spec");
    info_ = data_.info();
    check_fit(spec_, info_);
    device_ = resolve_device(o_.device);
    threads_ = set_threads(o_.threads);
    amp_ = autocast_applies(device_, sched_.amp);
    configure_device(device_);
    torch::manual_seed(sched_.seed);
    net_ = build_network(spec_);
    place_network(*net_, device_, o_.channels_last);
    opt_ = make_optimizer(net_, sched_);
    fp_ = fingerprint(spec_, sched_, info_);
    state_ = load_checkpoint(o_.checkpoint_path, net_, *opt_, device_, fp_);
    place_network(*net_, device_, o_.channels_last);  // a loaded tensor keeps the layout it was saved with
    net_->train();
    params_ = net_->parameters();
    result_.device = device_name(device_, threads_);
    result_.provenance = provenance();
    start_ = Clock::now();
    last_tick_ = Clock::now() - std::chrono::seconds(1);
  }

  nlohmann::json provenance() const {
    nlohmann::json p{{"spec", to_json(spec_)},
                     {"schedule", to_json(sched_)},
                     {"dataset", to_json(info_)},
                     {"seed", sched_.seed},
                     {"threads", threads_},
                     {"device", result_.device},
                     {"memory_format", o_.channels_last ? "channels_last" : "contiguous"},
                     {"amp", amp_ ? "bfloat16" : "off"},
                     {"torch_version", runtime_info().torch_version},
                     {"tool_version", REGNET_VERSION},
                     {"resumed_from_epoch", state_.epoch}};
    if (spec_.input_size != info_.image_size) p["trained_image_size"] = info_.image_size;
    return p;
  }

  void save_weights() {
    create_parent(o_.weights_path);
    save_state_dict(*net_, o_.weights_path);
  }

  std::unique_ptr<BatchStream> train_batches(int epoch) {
    BatchOptions bo;
    bo.split = Split::train;
    bo.batch_size = sched_.batch_size;
    bo.limit = sched_.train_limit;
    bo.shuffle = true;
    bo.drop_last = true;
    bo.augment = sched_.augment;
    bo.seed = sched_.seed;
    bo.epoch = epoch;
    bo.device = device_;
    bo.channels_last = o_.channels_last;
    return data_.batches(bo);
  }

  void step(const Batch& b, Epoch& e) {
    if (sched_.lr_per_step) e.lr = learning_rate(sched_, e.index + static_cast<double>(e.step) / e.steps);
    set_lr(*opt_, e.lr);
    torch::Tensor loss;
    {
      CudaAutocast ac(amp_);
      auto logits = net_->forward(b.images);
      loss = torch::nn::functional::cross_entropy(
          logits.to(torch::kFloat), b.labels,
          torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(sched_.label_smoothing));
    }
    for (auto& p : params_) p.mutable_grad() = torch::Tensor();  // zero_grad(set_to_none): no fill kernels
    loss.backward();
    opt_->step();
    e.loss_sum += loss.detach();
    ++e.step;
    e.images += b.labels.size(0);
  }

  Progress progress(const Epoch& e) const {
    Progress p;
    p.epoch = e.index + 1;
    p.epochs = sched_.epochs;
    p.step = e.step;
    p.steps = e.steps;
    p.elapsed_seconds = seconds_since(start_);
    return p;
  }

  // A few times a second: the loss must stay finite, and the caller hears how far it is.
  std::optional<Stop> tick(const Epoch& e) {
    if (seconds_since(last_tick_) < 0.25 && e.step != e.steps) return std::nullopt;
    last_tick_ = Clock::now();
    const double mean_loss = e.loss_sum.item<double>() / e.step;
    if (!std::isfinite(mean_loss))
      return Stop{RunStatus::diverged, "loss is " + std::string(std::isnan(mean_loss) ? "nan" : "inf") + " in epoch " +
                                           std::to_string(e.index + 1) + " by step " + std::to_string(e.step) +
                                           " (lr " + std::to_string(e.lr) + ")"};
    if (!o_.on_progress) return std::nullopt;
    Progress p = progress(e);
    const double t = seconds_since(e.start);
    p.images_per_second = e.images / std::max(t, 1e-9);
    p.loss = mean_loss;
    p.eta_seconds = eta(e, e.step, t);
    o_.on_progress(p);
    return std::nullopt;
  }

  // Remaining, `seconds` into epoch e with `step` of its steps done: this epoch's other steps at
  // the rate so far, then whole epochs (with their evaluation) at the last epoch's measured time,
  // or, before one has ended, at this epoch's time at this rate + 25%.
  double eta(const Epoch& e, std::int64_t step, double seconds) const {
    const double epoch_seconds =
        epoch_seconds_.empty() ? 1.25 * eta_at_rate(step, e.steps, seconds) : epoch_seconds_.back();
    return eta_at_rate(step, e.steps - step, seconds) + eta_at_rate(1, sched_.epochs - e.index - 1, epoch_seconds);
  }

  void report_evaluating(const Epoch& e, double train_seconds) {
    if (!o_.on_progress) return;
    Progress p = progress(e);
    p.step = e.steps;
    p.evaluating = true;
    p.images_per_second = e.images / std::max(train_seconds, 1e-9);
    p.loss = e.mean_loss();
    p.eta_seconds = eta(e, e.steps, train_seconds);
    o_.on_progress(p);
  }

  std::optional<Stop> train_epoch(int epoch) {
    Epoch e;
    e.index = epoch;
    e.start = Clock::now();
    auto stream = train_batches(epoch);
    e.steps = stream->num_batches();
    e.loss_sum = torch::zeros({}, torch::TensorOptions().dtype(torch::kDouble).device(device_));
    e.lr = learning_rate(sched_, epoch);
    Batch b;
    while (stream->next(b)) {
      failpoint("train-step");
      if (o_.should_stop && o_.should_stop())
        return Stop{RunStatus::failed, "stopped during epoch " + std::to_string(epoch + 1) +
                                           " (the checkpoint holds the last completed epoch)"};
      step(b, e);
      if (auto stop = tick(e)) return stop;
    }
    data_wait_ += stream->wait_seconds();
    train_time_ += seconds_since(e.start);
    return end_epoch(e);
  }

  // Evaluates, records the epoch, and checkpoints it.
  std::optional<Stop> end_epoch(const Epoch& e) {
    const double train_seconds = seconds_since(e.start);
    report_evaluating(e, train_seconds);
    const Errors err = evaluate(net_, data_, sched_, device_, o_.channels_last, amp_, spec_.num_classes);
    EpochRecord rec;
    rec.epoch = e.index + 1;
    rec.lr = e.lr;
    rec.train_loss = e.mean_loss();
    rec.top1_err = err.top1;
    rec.top5_err = err.top5;
    rec.seconds = seconds_since(e.start);
    rec.images_per_second = e.images / std::max(train_seconds, 1e-9);
    epoch_seconds_.push_back(rec.seconds);
    state_.history.push_back(rec);
    state_.epoch = e.index + 1;
    if (!std::isfinite(rec.train_loss))
      return Stop{RunStatus::diverged, "loss is not finite in epoch " + std::to_string(e.index + 1)};
    if (!o_.checkpoint_path.empty()) {
      Resume saved = state_;
      saved.seconds = state_.seconds + seconds_since(start_);
      save_checkpoint(o_.checkpoint_path, net_, *opt_, saved, fp_, sched_.seed);
    }
    return std::nullopt;
  }

  TrainResult finish(RunStatus status, const std::string& message) {
    TrainResult& r = result_;
    // The share of training time spent waiting for batches: a data-bound run shows here.
    r.provenance["data_wait_fraction"] = train_time_ > 0 ? data_wait_ / train_time_ : 0.0;
    r.status = status;
    r.message = message;
    r.history = state_.history;
    r.seconds = state_.seconds + seconds_since(start_);
    if (status == RunStatus::diverged || state_.history.empty()) {
      r.final_top1_err = r.final_top5_err = 100;
    } else {
      r.final_top1_err = state_.history.back().top1_err;
      r.final_top5_err = state_.history.back().top5_err;
    }
    r.best_top1_err = r.best_top5_err = 100;
    r.best_epoch = 0;
    for (const auto& e : state_.history)
      if (e.top1_err < r.best_top1_err) {
        r.best_top1_err = e.top1_err;
        r.best_top5_err = e.top5_err;
        r.best_epoch = e.epoch;
      }
    return r;
  }

  const Spec& spec_;
  Dataset& data_;
  const Schedule& sched_;
  const TrainOptions& o_;
  DatasetInfo info_;
  torch::Device device_ = torch::kCPU;
  int threads_ = 1;
  bool amp_ = false;
  AnyNet net_{nullptr};
  std::unique_ptr<torch::optim::SGD> opt_;
  std::string fp_;
  Resume state_;
  std::vector<torch::Tensor> params_;
  TrainResult result_;
  Clock::time_point start_, last_tick_;
  std::vector<double> epoch_seconds_;
  double data_wait_ = 0, train_time_ = 0;  // seconds, over this run's epochs
};

}  // namespace

void check_device(const std::string& name, const std::string& option) { resolve_device(name, option); }

TrainResult train_model(const Spec& spec, Dataset& data, const Schedule& sched, const TrainOptions& options) {
  return Session(spec, data, sched, options).run();
}

}  // namespace regnet::train
