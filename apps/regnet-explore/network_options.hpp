#pragma once
// The network options shared by `sample` and `describe` (--preset, --input-size, --stem, ...).
#include <CLI/CLI.hpp>
#include <memory>

#include "core/space.hpp"

namespace regnet::cli {

inline void add_network_options(CLI::App* cmd, NetworkOverrides& o) {
  cmd->add_option("--preset", o.preset,
                  "network preset: imagenet (224 px, 3 ch, 1000 classes, simple_stem_in 32), fashion-mnist "
                  "(28 px, 1 ch, 10 classes, res_stem_cifar 16), cifar10 (32 px, 3 ch, 10 classes, res_stem_cifar 16)");
  cmd->add_option("--input-size", o.input_size, "square input resolution in pixels (overrides the preset)");
  cmd->add_option("--stem", o.stem_type, "stem type: simple_stem_in (stride 2) or res_stem_cifar (stride 1)");
  cmd->add_option("--stem-width", o.stem_width, "stem output width");
  cmd->add_option("--channels", o.input_channels, "input channels");
  cmd->add_option("--classes", o.num_classes, "number of classes");
  cmd->add_option("--stride", o.stride, "stride of each stage's first block");
}

inline bool any_override(const NetworkOverrides& o) {
  return !o.preset.empty() || o.stem_type || o.stem_width || o.input_size || o.input_channels || o.num_classes ||
         o.stride;
}

}  // namespace regnet::cli
