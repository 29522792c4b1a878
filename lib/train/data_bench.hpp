#pragma once
// Measurements behind scripts/bench-data.sh (`data bench`): the loader's throughput on the
// host, and what reduced (DCT-scaled) decoding costs in pixels. Torch-free header.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "train/data.hpp"

namespace regnet::train {

struct LoaderBenchOptions {
  DataConfig data;    // source/root, image_size (0 = 224), loader_threads, reduced_decoding
  bool train = true;  // random-resized crop + flip; else resize + centre crop
  int batch_size = 64;
  std::int64_t images = 0;  // the first N of the split (0 = all)
  int passes = 1;           // timed passes after one untimed warm-up batch
};

struct LoaderBenchResult {
  std::int64_t images = 0;  // decoded in the timed passes
  double seconds = 0;
  double images_per_second = 0;
  std::int64_t unreadable = 0;
  int threads = 0;  // loader threads asked for (0: all cores)
};

// Opens the dataset (not timed) and pulls uint8 batches through its loader threads.
LoaderBenchResult bench_loader(const LoaderBenchOptions& options);
nlohmann::json to_json(const LoaderBenchResult& r);
std::string to_text(const LoaderBenchResult& r);  // "N images in S s: R images/s with T loader thread(s)"

struct ReducedDecodeQuality {
  int size = 0;  // of the crops, in pixels
  std::int64_t images = 0;
  std::int64_t reduced = 0;  // decoded at 1/2, 1/4 or 1/8
  double psnr_db = 0;        // of the reduced crops against full decoding, both resized alike
  // Of those crops against full decoding resized with pixel-area averaging (no aliasing): how
  // far each of the two is from an ideal downscale.
  double psnr_full_vs_area_db = 0, psnr_reduced_vs_area_db = 0;
  double full_seconds = 0, reduced_seconds = 0;  // decoding alone, one thread
};

// For the first `images` training images of an ImageFolder: the training crop of each (seeded)
// decoded in full and with reduction, resized to size x size (bilinear), and for the crops that
// were reduced, also decoded in full and area-resized as a reference.
ReducedDecodeQuality reduced_decode_quality(const std::string& folder, int size, std::int64_t images,
                                            std::uint64_t seed = 1);
nlohmann::json to_json(const ReducedDecodeQuality& q);
std::string to_text(const ReducedDecodeQuality& q);  // one line: PSNRs and decoding times

}  // namespace regnet::train
