#pragma once
// The network options shared by `sample`, `describe` and `export` (--preset, --input-size, --stem, ...).
#include <CLI/CLI.hpp>

#include "core/space/space.hpp"

namespace regnet::cli {

void add_network_options(CLI::App* cmd, NetworkOverrides& o);

}  // namespace regnet::cli
