#include "core/run/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/base/config_dir.hpp"
#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/text.hpp"

namespace regnet {

namespace {

namespace fs = std::filesystem;

std::string num(double x) { return nlohmann::json(x).dump(); }

bool looks_like_path(const std::string& s) {
  return s.find('/') != std::string::npos || (s.size() > 5 && s.substr(s.size() - 5) == ".json");
}

std::string absolute_path(const fs::path& p) { return fs::absolute(p).lexically_normal().string(); }

std::vector<std::string> schedule_names(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

nlohmann::json to_json(const Schedule& s) {
  return nlohmann::json{{"name", s.name},
                        {"epochs", s.epochs},
                        {"batch_size", s.batch_size},
                        {"base_lr", s.base_lr},
                        {"momentum", s.momentum},
                        {"nesterov", s.nesterov},
                        {"weight_decay", s.weight_decay},
                        {"bn_weight_decay", s.bn_weight_decay},
                        {"warmup_epochs", s.warmup_epochs},
                        {"warmup_factor", s.warmup_factor},
                        {"label_smoothing", s.label_smoothing},
                        {"lr_per_step", s.lr_per_step},
                        {"augment", s.augment},
                        {"test_batch_size", s.test_batch_size},
                        {"train_limit", s.train_limit},
                        {"test_limit", s.test_limit},
                        {"amp", s.amp},
                        {"seed", s.seed}};
}

Schedule schedule_from_json(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) fail(where, "", "a schedule must be a JSON object");
  static const std::vector<std::string> known = {"name",
                                                 "epochs",
                                                 "batch_size",
                                                 "base_lr",
                                                 "momentum",
                                                 "nesterov",
                                                 "weight_decay",
                                                 "bn_weight_decay",
                                                 "warmup_epochs",
                                                 "warmup_factor",
                                                 "label_smoothing",
                                                 "lr_per_step",
                                                 "augment",
                                                 "test_batch_size",
                                                 "train_limit",
                                                 "test_limit",
                                                 "amp",
                                                 "seed",
                                                 "comment"};
  check_known_fields(j, known, where);
  Schedule s;
  s.name = get_string(j, "name", where, where.empty() ? std::string() : std::filesystem::path(where).stem().string());
  s.epochs = get_int(j, "epochs", where, s.epochs);
  if (s.epochs < 1) fail(where, "epochs", std::to_string(s.epochs) + " must be >= 1");
  s.batch_size = get_int(j, "batch_size", where, s.batch_size);
  if (s.batch_size < 1) fail(where, "batch_size", std::to_string(s.batch_size) + " must be >= 1");
  s.base_lr = get_double(j, "base_lr", where, s.base_lr);
  if (!(s.base_lr > 0) || !std::isfinite(s.base_lr)) fail(where, "base_lr", num(s.base_lr) + " must be > 0");
  s.momentum = get_double(j, "momentum", where, s.momentum);
  if (!(s.momentum >= 0 && s.momentum < 1)) fail(where, "momentum", num(s.momentum) + " must be in [0, 1)");
  s.nesterov = get_bool(j, "nesterov", where, s.nesterov);
  if (s.nesterov && s.momentum == 0) fail(where, "nesterov", "true needs momentum > 0");
  s.weight_decay = get_double(j, "weight_decay", where, s.weight_decay);
  if (!(s.weight_decay >= 0) || !std::isfinite(s.weight_decay))
    fail(where, "weight_decay", num(s.weight_decay) + " must be >= 0");
  s.bn_weight_decay = get_bool(j, "bn_weight_decay", where, s.bn_weight_decay);
  s.warmup_epochs = get_int(j, "warmup_epochs", where, s.warmup_epochs);
  if (s.warmup_epochs < 0 || s.warmup_epochs > s.epochs)
    fail(where, "warmup_epochs", std::to_string(s.warmup_epochs) + " must be in [0, epochs]");
  s.warmup_factor = get_double(j, "warmup_factor", where, s.warmup_factor);
  if (!(s.warmup_factor > 0 && s.warmup_factor <= 1))
    fail(where, "warmup_factor", num(s.warmup_factor) + " must be in (0, 1]");
  s.label_smoothing = get_double(j, "label_smoothing", where, s.label_smoothing);
  if (!(s.label_smoothing >= 0 && s.label_smoothing < 1))
    fail(where, "label_smoothing", num(s.label_smoothing) + " must be in [0, 1)");
  s.lr_per_step = get_bool(j, "lr_per_step", where, s.lr_per_step);
  s.augment = get_string(j, "augment", where, s.augment);
  if (s.augment != "none" && s.augment != "flip" && s.augment != "crop_flip" && s.augment != "rrc_flip")
    fail(where, "augment", "'" + shorten(s.augment) + "' is not one of none, flip, crop_flip, rrc_flip");
  s.test_batch_size = get_int(j, "test_batch_size", where, s.test_batch_size);
  if (s.test_batch_size < 1) fail(where, "test_batch_size", std::to_string(s.test_batch_size) + " must be >= 1");
  s.train_limit = get_int(j, "train_limit", where, s.train_limit);
  if (s.train_limit < 0) fail(where, "train_limit", std::to_string(s.train_limit) + " must be >= 0 (0 = all)");
  s.test_limit = get_int(j, "test_limit", where, s.test_limit);
  if (s.test_limit < 0) fail(where, "test_limit", std::to_string(s.test_limit) + " must be >= 0 (0 = all)");
  s.amp = get_bool(j, "amp", where, s.amp);
  if (j.contains("seed")) {
    const auto& v = j["seed"];
    if (!v.is_number_integer() || (v.is_number_integer() && !v.is_number_unsigned() && v.get<long long>() < 0))
      fail(where, "seed", excerpt(v) + " must be a non-negative integer");
    s.seed = v.get<unsigned long long>();
  }
  return s;
}

Schedule load_schedule(const std::string& path) { return schedule_from_json(read_json_file(path), path); }

std::string schedules_dir() { return (fs::path(config_dir()) / "schedules").string(); }

std::string find_schedule(const std::string& name_or_path, const std::string& where) {
  if (looks_like_path(name_or_path)) {
    if (!fs::exists(name_or_path)) fail("", where, "'" + name_or_path + "': no such file");
    return absolute_path(name_or_path);
  }
  const std::string dir = schedules_dir();
  const fs::path p = fs::path(dir) / (name_or_path + ".json");
  if (fs::exists(p)) return absolute_path(p);
  const std::vector<std::string> names = schedule_names(dir);
  fail("", where,
       "'" + name_or_path + "' is not a schedule in " + dir +
           " (known: " + (names.empty() ? "none" : join(names, ", ")) + "); give a name or a .json file");
}

double learning_rate(const Schedule& s, double epoch) {
  const double pi = std::acos(-1.0);
  double lr = 0.5 * s.base_lr * (1.0 + std::cos(pi * epoch / s.epochs));
  if (epoch < s.warmup_epochs) {
    const double alpha = epoch / s.warmup_epochs;
    lr *= s.warmup_factor * (1.0 - alpha) + alpha;
  }
  return lr;
}

bool same_recipe(const nlohmann::json& a, const nlohmann::json& b) {
  auto unnamed = [](nlohmann::json j) {
    if (j.is_object()) j.erase("name");
    return j;
  };
  return unnamed(a) == unnamed(b);
}

}  // namespace regnet
