#pragma once
// The 24 published RegNetX/Y models (pycls model zoo) by name.
#include <optional>
#include <string>
#include <vector>

#include "core/model/regnet.hpp"

namespace regnet {

struct NamedModel {
  std::string name;  // e.g. "RegNetX-400MF"
  RegNetParams params;
  double top1_err = 0;  // published ImageNet errors, 100 epochs
  double top5_err = 0;
};

const std::vector<NamedModel>& model_zoo();

// Case-, '-' and '_'-insensitive: "regnetx_400mf", "RegNetX-1.6GF", torchvision's "regnet_x_1_6gf". nullopt if unknown.
std::optional<NamedModel> find_model(const std::string& name);

// The spec at 224 px, 1000 classes, unless options say otherwise. Throws UserError for an
// unknown name, listing the known ones.
Spec named_model_spec(const std::string& name, const NetworkOptions& net = {}, Rounding rounding = Rounding::pycls);

}  // namespace regnet
