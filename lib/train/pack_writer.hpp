#pragma once
// `data pack`: an ImageFolder into one pack file (docs/data.md), in parallel, atomically: the
// file appears under its name complete or not at all. Torch-free header.
#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace regnet::train {

struct PackOptions {
  std::string folder;  // ImageFolder root (train/, val/)
  std::string out;     // the pack file to write
  // At most one bound: JPEG payloads with the longer or the shorter side at most this many
  // pixels (never enlarged), or raw size x size RGB payloads (short side resized, centre crop).
  // None given: max_side 256.
  int max_side = 0, short_side = 0, size = 0;
  int quality = 90;     // of re-encoded JPEGs; JPEGs already within the bound are stored as they are
  int threads = 0;      // 0 = all cores
  bool strict = false;  // an unreadable image is an error (else: skipped, counted, one warning)
  bool force = false;   // replace an existing `out`
  std::function<void(std::int64_t done, std::int64_t total)> on_progress;  // from the calling thread
};

struct PackReport {
  std::string folder, out;          // as given
  std::int64_t train = 0, val = 0;  // images packed
  std::int64_t skipped = 0;         // unreadable images left out
  std::int64_t copied = 0;          // JPEGs stored byte for byte
  std::uint64_t bytes = 0;          // file size
  double seconds = 0;
};

// UserError (nothing written) for a bad folder (scan_image_folder's checks), bad options, an
// existing `out` without force, an unreadable image under strict, or a class left without
// training images.
PackReport pack_folder(const PackOptions& options);

// "packing [####....] 1,200 / 5,000 images": the progress line of on_progress.
std::string pack_progress_text(std::int64_t done, std::int64_t total);
nlohmann::json to_json(const PackReport& report);
// "packed FOLDER into OUT: ... train + ... val images, SIZE, in TIME (RATE images/s)", then copies
// and skips when there are any.
std::string to_text(const PackReport& report);

}  // namespace regnet::train
