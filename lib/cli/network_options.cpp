#include "cli/network_options.hpp"

#include <limits>

#include "cli/number_options.hpp"

namespace regnet::cli {

void add_network_options(CLI::App* cmd, NetworkOverrides& o) {
  cmd->add_option("--preset", o.preset,
                  "network preset: imagenet (224 px, 3 ch, 1000 classes, simple_stem_in 32), fashion-mnist "
                  "(28 px, 1 ch, 10 classes, res_stem_cifar 16), cifar10 (32 px, 3 ch, 10 classes, res_stem_cifar 16)");
  cmd->add_option("--stem", o.stem_type, "stem type: simple_stem_in (stride 2) or res_stem_cifar (stride 1)");
  cmd->add_option("--activation", o.activation,
                  "relu or silu, after every BN and in SE (sample: fixes the space's activation parameter)");
  // Each >= 1; the products they enter (complexity) are computed overflow-checked (core/model/complexity).
  const struct {
    const char* name;
    std::optional<int>* target;
    const char* help;
  } whole[] = {{"--input-size", &o.input_size, "square input resolution in pixels (overrides the preset)"},
               {"--stem-width", &o.stem_width, "stem output width"},
               {"--channels", &o.input_channels, "input channels"},
               {"--classes", &o.num_classes, "number of classes"},
               {"--stride", &o.stride, "stride of each stage's first block"}};
  for (const auto& w : whole)
    cmd->add_option(w.name, *w.target, w.help)->transform(whole_number<int>(1, std::numeric_limits<int>::max()));
}

}  // namespace regnet::cli
