// test_train: LibTorch tests. torch before Catch2: glog's CHECK would otherwise replace Catch's.
#include <torch/torch.h>
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
