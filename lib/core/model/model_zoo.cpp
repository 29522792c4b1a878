#include "core/model/model_zoo.hpp"

#include <cctype>

#include "core/base/error.hpp"

namespace regnet {

const std::vector<NamedModel>& model_zoo() {
  // name, {depth, w0, wa, wm, group_width, b, se_ratio, q}, top1, top5 (pycls MODEL_ZOO.md)
  static const std::vector<NamedModel> zoo = {
      {"RegNetX-200MF", {13, 24, 36.44, 2.49, 8, 1.0, 0, 8}, 31.088, 11.342},
      {"RegNetX-400MF", {22, 24, 24.48, 2.54, 16, 1.0, 0, 8}, 27.382, 9.076},
      {"RegNetX-600MF", {16, 48, 36.97, 2.24, 24, 1.0, 0, 8}, 25.864, 8.198},
      {"RegNetX-800MF", {16, 56, 35.73, 2.28, 16, 1.0, 0, 8}, 24.846, 7.592},
      {"RegNetX-1.6GF", {18, 80, 34.01, 2.25, 24, 1.0, 0, 8}, 23.038, 6.484},
      {"RegNetX-3.2GF", {25, 88, 26.31, 2.25, 48, 1.0, 0, 8}, 21.736, 5.862},
      {"RegNetX-4.0GF", {23, 96, 38.65, 2.43, 40, 1.0, 0, 8}, 21.356, 5.736},
      {"RegNetX-6.4GF", {17, 184, 60.83, 2.07, 56, 1.0, 0, 8}, 20.844, 5.434},
      {"RegNetX-8.0GF", {23, 80, 49.56, 2.88, 120, 1.0, 0, 8}, 20.728, 5.42},
      {"RegNetX-12GF", {19, 168, 73.36, 2.37, 112, 1.0, 0, 8}, 20.288, 5.284},
      {"RegNetX-16GF", {22, 216, 55.59, 2.1, 128, 1.0, 0, 8}, 19.956, 5.022},
      {"RegNetX-32GF", {23, 320, 69.86, 2, 168, 1.0, 0, 8}, 19.498, 4.878},
      {"RegNetY-200MF", {13, 24, 36.44, 2.49, 8, 1.0, 0.25, 8}, 29.658, 10.378},
      {"RegNetY-400MF", {16, 48, 27.89, 2.09, 8, 1.0, 0.25, 8}, 25.898, 8.07},
      {"RegNetY-600MF", {15, 48, 32.54, 2.32, 16, 1.0, 0.25, 8}, 24.54, 7.28},
      {"RegNetY-800MF", {14, 56, 38.84, 2.4, 16, 1.0, 0.25, 8}, 23.684, 6.846},
      {"RegNetY-1.6GF", {27, 48, 20.71, 2.65, 24, 1.0, 0.25, 8}, 22.066, 6.134},
      {"RegNetY-3.2GF", {21, 80, 42.63, 2.66, 24, 1.0, 0.25, 8}, 21.074, 5.454},
      {"RegNetY-4.0GF", {22, 96, 31.41, 2.24, 64, 1.0, 0.25, 8}, 20.64, 5.336},
      {"RegNetY-6.4GF", {25, 112, 33.22, 2.27, 72, 1.0, 0.25, 8}, 20.11, 5.1},
      {"RegNetY-8.0GF", {17, 192, 76.82, 2.19, 56, 1.0, 0.25, 8}, 20.052, 5.06},
      {"RegNetY-12GF", {19, 168, 73.36, 2.37, 112, 1.0, 0.25, 8}, 19.67, 4.856},
      {"RegNetY-16GF", {18, 200, 106.23, 2.48, 112, 1.0, 0.25, 8}, 19.608, 4.944},
      {"RegNetY-32GF", {20, 232, 115.89, 2.53, 232, 1.0, 0.25, 8}, 19.066, 4.568},
  };
  return zoo;
}

namespace {
std::string key(const std::string& s) {
  // torchvision writes regnet_x_1_6gf: '_' between digits is the decimal point.
  std::string k;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool digits_around = i > 0 && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
                               std::isdigit(static_cast<unsigned char>(s[i + 1]));
    if (c == '_' && digits_around)
      k += '.';
    else if (c != '-' && c != '_' && c != ' ')
      k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return k;
}
}  // namespace

std::optional<NamedModel> find_model(const std::string& name) {
  for (const auto& m : model_zoo())
    if (key(m.name) == key(name)) return m;
  return std::nullopt;
}

Spec named_model_spec(const std::string& name, const NetworkOptions& net, Rounding rounding) {
  auto m = find_model(name);
  if (!m) {
    std::string known;
    for (const auto& z : model_zoo()) known += (known.empty() ? "" : ", ") + z.name;
    fail("", "model", "unknown model '" + name + "' (known: " + known + ")");
  }
  return regnet_spec(m->params, net, rounding);
}

}  // namespace regnet
