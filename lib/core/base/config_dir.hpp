#pragma once
// Where the data a researcher edits lives: configs/spaces and configs/schedules.
#include <string>

namespace regnet {

// $REGNET_CONFIG_DIR if set, else <source dir>/configs.
std::string config_dir();

}  // namespace regnet
