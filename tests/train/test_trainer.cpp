// The trainer on a small learnable dataset: it learns, resumes exactly, reports divergence.
#include <torch/script.h>
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "helpers.hpp"
#include "train/network_impl.hpp"
#include "train/trainer.hpp"

using namespace regnet;
using namespace regnet::train;
using regnet::test::TempDir;

namespace {

Spec tiny_spec() {
  Spec s;
  s.stem_type = StemType::res_stem_cifar;
  s.stem_width = 8;
  s.depths = {1, 1};
  s.widths = {8, 16};
  s.bottleneck_ratios = {1, 1};
  s.group_widths = {8, 8};
  s.strides = {2, 2};
  s.se_ratio = 0.25;
  s.input_size = 28;
  s.input_channels = 1;
  s.num_classes = 2;
  return s;
}

Schedule tiny_schedule() {
  Schedule s;
  s.name = "test";
  s.epochs = 2;
  s.batch_size = 32;
  s.base_lr = 0.1;
  s.weight_decay = 5e-5;
  s.augment = "crop_flip";
  s.test_batch_size = 50;
  s.seed = 11;
  return s;
}

std::map<std::string, torch::Tensor> read_weights(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::map<std::string, torch::Tensor> out;
  for (const auto& e : torch::pickle_load(bytes).toGenericDict()) out[e.key().toStringRef()] = e.value().toTensor();
  return out;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Rewrites the checkpoint's "meta" JSON (fingerprint, history, seconds) through `edit`.
void edit_meta(const std::string& path, const std::function<void(nlohmann::json&)>& edit) {
  torch::jit::Module m = torch::jit::load(path);
  nlohmann::json meta = nlohmann::json::parse(m.attr("meta").toStringRef());
  edit(meta);
  m.setattr("meta", meta.dump());
  m.save(path);
}

}  // namespace

TEST_CASE("trainer: learns a separable problem, records history and provenance", "[trainer]") {
  TempDir dir;
  regnet::test::write_synthetic_idx(dir.str(), 256, 100);
  DataConfig cfg;
  cfg.source = dir.str();
  auto data = open_dataset(cfg);
  TrainOptions opt;
  opt.device = "cpu";
  opt.threads = 1;
  int calls = 0;
  bool saw_eval = false;
  opt.on_progress = [&](const Progress& p) {
    ++calls;
    saw_eval = saw_eval || p.evaluating;
    CHECK(p.epochs == 2);
    CHECK(p.step <= p.steps);
  };
  Schedule sched = tiny_schedule();
  sched.bn_weight_decay = false;
  sched.label_smoothing = 0.1;
  const TrainResult r = train_model(tiny_spec(), *data, sched, opt);
  CHECK(r.status == RunStatus::done);
  REQUIRE(r.history.size() == 2);
  INFO(to_json(r).dump());
  CHECK(r.history[0].epoch == 1);
  CHECK(r.history[1].lr < r.history[0].lr);  // cosine, stepped per epoch
  CHECK(r.history[0].lr == Approx(0.1));
  CHECK(r.history[1].lr == Approx(0.05));
  CHECK(r.final_top1_err == r.history[1].top1_err);
  CHECK(r.final_top1_err < 20.0);  // chance is 50%
  CHECK(r.final_top5_err == 0.0);  // two classes: top-5 always hits
  CHECK(r.best_top1_err <= r.final_top1_err);
  CHECK(r.history[1].images_per_second > 0);
  CHECK(calls >= 2);
  CHECK(saw_eval);
  CHECK(r.provenance["seed"] == 11);
  CHECK(r.provenance["threads"] == 1);
  CHECK(r.provenance["memory_format"] == "channels_last");
  CHECK(r.provenance["dataset"]["train_size"] == 256);
  CHECK(r.provenance.contains("torch_version"));
  CHECK(r.device == "cpu (1 threads)");
}

TEST_CASE("trainer: a run stopped after epoch 1 resumes to the same weights as an uninterrupted one", "[trainer]") {
  TempDir dir;
  regnet::test::write_synthetic_idx(dir.str(), 128, 40);
  DataConfig cfg;
  cfg.source = dir.str();
  auto data = open_dataset(cfg);
  const Spec spec = tiny_spec();
  const Schedule sched = tiny_schedule();
  TrainOptions straight;
  straight.device = "cpu";
  straight.threads = 1;
  straight.weights_path = dir / "straight.pt";
  const TrainResult a = train_model(spec, *data, sched, straight);
  REQUIRE(a.status == RunStatus::done);

  TrainOptions first = straight;
  first.weights_path = dir / "resumed.pt";
  first.checkpoint_path = dir / "ck/000001.pt";
  int polls = 0;
  first.should_stop = [&] { return ++polls > 4; };  // 128 / 32 = 4 steps: stop at epoch 2's first step
  const TrainResult stopped = train_model(spec, *data, sched, first);
  CHECK(stopped.status == RunStatus::failed);
  CHECK(stopped.history.size() == 1);
  CHECK(std::filesystem::exists(first.checkpoint_path));
  CHECK(!std::filesystem::exists(first.weights_path));

  // The checkpoint also serves as weights (export --weights CHECKPOINT): it holds epoch 1's network.
  {
    auto fresh = build_network(spec);
    const auto before = fresh->named_parameters()["s2.b1.f.c.weight"].clone();
    load_state_dict(*fresh, first.checkpoint_path);
    CHECK(!torch::equal(before, fresh->named_parameters()["s2.b1.f.c.weight"]));
    CHECK(fresh->named_buffers()["stem.bn.num_batches_tracked"].item<std::int64_t>() == 4);
    Spec wider = spec;
    wider.widths = {8, 24};
    auto other = build_network(wider);
    CHECK_THROWS_WITH(load_state_dict(*other, first.checkpoint_path), Catch::Contains(first.checkpoint_path));
  }

  TrainOptions second = first;
  second.should_stop = nullptr;
  torch::manual_seed(999);  // resume must not depend on the global RNG at call time
  const TrainResult b = train_model(spec, *data, sched, second);
  REQUIRE(b.status == RunStatus::done);
  CHECK(b.provenance["resumed_from_epoch"] == 1);
  REQUIRE(b.history.size() == 2);
  CHECK(b.history[0].top1_err == a.history[0].top1_err);
  CHECK(b.history[1].top1_err == a.history[1].top1_err);
  CHECK(b.history[1].train_loss == a.history[1].train_loss);
  const auto wa = read_weights(straight.weights_path), wb = read_weights(second.weights_path);
  REQUIRE(wa.size() == wb.size());
  CHECK(wa.count("s1.b1.f.se.f_ex.0.weight") == 1);
  CHECK(wa.count("stem.bn.running_var") == 1);
  for (const auto& [name, t] : wa) {
    INFO(name);
    CHECK(torch::equal(t, wb.at(name)));
  }
  // A checkpoint of another recipe is refused, naming the file.
  Schedule other = sched;
  other.base_lr = 0.2;
  CHECK_THROWS_WITH(train_model(spec, *data, other, second), Catch::Contains(second.checkpoint_path));
}

TEST_CASE("trainer: a huge learning rate ends as diverged, not an exception", "[trainer]") {
  TempDir dir;
  regnet::test::write_synthetic_idx(dir.str(), 64, 20);
  DataConfig cfg;
  cfg.source = dir.str();
  auto data = open_dataset(cfg);
  Schedule sched = tiny_schedule();
  sched.base_lr = 1e30;
  sched.epochs = 1;
  TrainOptions opt;
  opt.device = "cpu";
  opt.threads = 1;
  const TrainResult r = train_model(tiny_spec(), *data, sched, opt);
  CHECK(r.status == RunStatus::diverged);
  CHECK_THAT(r.message, Catch::Contains("loss is"));
  CHECK(r.final_top1_err == 100.0);
}

TEST_CASE("trainer: a spec that does not fit the data, or a missing device, is a UserError", "[trainer]") {
  TempDir dir;
  regnet::test::write_synthetic_idx(dir.str(), 32, 8);
  DataConfig cfg;
  cfg.source = dir.str();
  auto data = open_dataset(cfg);
  TrainOptions opt;
  opt.device = "cpu";
  Spec s = tiny_spec();
  s.input_channels = 3;
  CHECK_THROWS_WITH(train_model(s, *data, tiny_schedule(), opt), Catch::Contains("input_channels"));
  s = tiny_spec();
  s.num_classes = 10;
  CHECK_THROWS_WITH(train_model(s, *data, tiny_schedule(), opt), Catch::Contains("num_classes"));
  opt.device = "tpu";
  CHECK_THROWS_AS(train_model(tiny_spec(), *data, tiny_schedule(), opt), UserError);
  if (!torch::cuda::is_available()) {
    opt.device = "cuda";
    CHECK_THROWS_WITH(train_model(tiny_spec(), *data, tiny_schedule(), opt), Catch::Contains("CUDA"));
  }
}

TEST_CASE("trainer: a checkpoint with a damaged history or missing entries is refused, naming the file", "[trainer]") {
  TempDir dir;
  regnet::test::write_synthetic_idx(dir.str(), 128, 40);
  DataConfig cfg;
  cfg.source = dir.str();
  auto data = open_dataset(cfg);
  const Spec spec = tiny_spec();
  const Schedule sched = tiny_schedule();
  TrainOptions opt;
  opt.device = "cpu";
  opt.threads = 1;
  opt.checkpoint_path = dir / "ck/000001.pt";
  int polls = 0;
  opt.should_stop = [&] { return ++polls > 4; };  // 4 steps an epoch: stopped after epoch 1
  REQUIRE(train_model(spec, *data, sched, opt).status == RunStatus::failed);
  const std::string ck = opt.checkpoint_path, epoch1 = read_bytes(ck);
  REQUIRE(!epoch1.empty());
  const std::string meta1 = torch::jit::load(ck).attr("meta").toStringRef();
  opt.should_stop = nullptr;

  // What resuming from epoch 1's checkpoint, changed by `edit`, throws ("" when it resumes).
  auto refusal = [&](const std::function<void(nlohmann::json&)>& edit) -> std::string {
    regnet::test::write_bytes(ck, std::vector<std::uint8_t>(epoch1.begin(), epoch1.end()));
    edit_meta(ck, edit);
    try {
      const TrainResult r = train_model(spec, *data, sched, opt);
      CHECK(r.provenance["resumed_from_epoch"] == 1);
      CHECK(r.history.size() == 2);
      return "";
    } catch (const UnusableCheckpoint& e) {
      return e.what();
    }
  };
  CHECK(refusal([](nlohmann::json&) {}).empty());  // the rewrite alone damages nothing
  const std::vector<std::pair<std::function<void(nlohmann::json&)>, std::string>> damages = {
      {[](nlohmann::json& m) { m["history"][0]["epoch"] = 7; }, "history[0].epoch: 7 should be 1"},
      {[](nlohmann::json& m) { m["history"][0]["top1_err"] = 250; }, "history[0].top1_err: 250 is not a percentage"},
      {[](nlohmann::json& m) { m["history"] = "lost"; }, "history: \"lost\" is not an array"},
      {[](nlohmann::json& m) { m["history"] = nlohmann::json::array(); },
       "history: 0 epoch(s) recorded, but the checkpoint holds 1"},
      {[](nlohmann::json& m) { m.erase("history"); }, "history: 0 epoch(s) recorded, but the checkpoint holds 1"},
  };
  for (const auto& [edit, why] : damages) {
    const std::string what = refusal(edit);
    INFO(what);
    CHECK_THAT(what, Catch::StartsWith(ck + ": ") && Catch::Contains(why) && Catch::Contains("delete it"));
    CHECK(what.find('\n') == std::string::npos);
  }

  // An archive with the right fingerprint but no model, optimizer, epoch or cpu_rng entry (every
  // checkpoint this tool writes has all of them) is not a readable checkpoint.
  torch::serialize::OutputArchive bare;
  bare.write("meta", c10::IValue(meta1));
  bare.save_to(ck);
  CHECK_THROWS_AS(train_model(spec, *data, sched, opt), UnusableCheckpoint);
  CHECK_THROWS_WITH(train_model(spec, *data, sched, opt), Catch::Contains(ck + ": not a readable checkpoint"));
}
