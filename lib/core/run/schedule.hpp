#pragma once
// A short-schedule training recipe, as data (configs/schedules/*.json). Torch-free.
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace regnet {

struct Schedule {
  std::string name;
  int epochs = 10;
  int batch_size = 128;
  double base_lr = 0.05;  // for batch_size images; half-period cosine to 0
  double momentum = 0.9;
  bool nesterov = true;
  double weight_decay = 5e-5;
  bool bn_weight_decay = true;  // false: no weight decay on BN and bias parameters
  int warmup_epochs = 0;        // linear warm-up from warmup_factor * lr
  double warmup_factor = 0.1;
  double label_smoothing = 0.0;
  bool lr_per_step = false;  // pycls steps the lr once per epoch; true: every iteration
  // Augmentation (train split): random-resized crop (ImageNet-style) or pad+crop (small images), flip.
  std::string augment = "flip";  // "none" | "flip" | "crop_flip" | "rrc_flip"
  int test_batch_size = 512;
  int train_limit = 0;  // use only the first N training images (0 = all)
  int test_limit = 0;   // evaluate on the first N test images (0 = all)
  bool amp = true;      // mixed precision when on CUDA
  unsigned long long seed = 1;
};

nlohmann::json to_json(const Schedule& s);
// Validates every field (negative lr, zero epochs, unknown augment ...) naming `where`.
Schedule schedule_from_json(const nlohmann::json& j, const std::string& where = "");
Schedule load_schedule(const std::string& path);
// Two schedules as results record them (to_json) are the same recipe: equal but for the name.
bool same_recipe(const nlohmann::json& a, const nlohmann::json& b);

// config_dir()/schedules (core/base/config_dir.hpp: $REGNET_CONFIG_DIR, else the source's configs/).
std::string schedules_dir();
// A schedule file by name (NAME.json in schedules_dir()) or by path (anything with a '/' or
// ending in .json), as an absolute path. A missing file, or an unknown name (the error lists the
// known ones), is a UserError naming `where` (the option or field that gave the name).
std::string find_schedule(const std::string& name_or_path, const std::string& where = "schedule");

// Learning rate at `epoch` (0-based, fractional when lr_per_step): half-period cosine from base_lr
// to 0 over `epochs`, times a linear warm-up factor from warmup_factor to 1 over warmup_epochs
// (pycls's lr_policy "cos" with WARMUP_EPOCHS/WARMUP_FACTOR).
double learning_rate(const Schedule& s, double epoch);

}  // namespace regnet
