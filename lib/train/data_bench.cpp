#include "train/data_bench.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "core/base/text.hpp"
#include "core/base/units.hpp"
#include "train/batching.hpp"
#include "train/encoded_dataset.hpp"
#include "train/image_decoder.hpp"
#include "train/image_folder.hpp"

namespace regnet::train {

namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
}  // namespace

LoaderBenchResult bench_loader(const LoaderBenchOptions& o) {
  auto data = open_dataset(o.data);
  BatchOptions bo;
  bo.split = o.train ? Split::train : Split::test;
  bo.batch_size = o.batch_size;
  bo.limit = o.images;
  bo.shuffle = o.train;
  bo.augment = o.train ? "rrc_flip" : "none";
  bo.host_uint8 = true;
  LoaderBenchResult r;
  Batch b;
  {
    auto warm = data->batches(bo);  // page cache, allocator, thread start-up
    warm->next(b);
  }
  const auto t0 = Clock::now();
  for (int p = 0; p < o.passes; ++p) {
    bo.epoch = p + 1;
    auto s = data->batches(bo);
    while (s->next(b)) r.images += b.images.size(0);
  }
  r.seconds = since(t0);
  r.images_per_second = r.images / std::max(r.seconds, 1e-9);
  r.unreadable = unreadable_images(*data);
  r.threads = o.data.loader_threads;
  return r;
}

nlohmann::json to_json(const LoaderBenchResult& r) {
  return {{"images", r.images},
          {"seconds", r.seconds},
          {"images_per_second", r.images_per_second},
          {"threads", r.threads},
          {"unreadable", r.unreadable}};
}

std::string to_text(const LoaderBenchResult& r) {
  return fmt::format("{} images in {} s: {} images/s with {} loader thread(s)\n", format_thousands(r.images),
                     fixed(r.seconds, 2), fixed(r.images_per_second, 1), r.threads);
}

namespace {

double squared_error(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  double sq = 0;
  for (std::size_t k = 0; k < a.size(); ++k) sq += (double(a[k]) - b[k]) * (double(a[k]) - b[k]);
  return sq;
}

double psnr(double squared_error, double values) {
  const double mse = squared_error / std::max(1.0, values);
  return mse > 0 ? 10 * std::log10(255.0 * 255.0 / mse) : std::numeric_limits<double>::infinity();
}

}  // namespace

ReducedDecodeQuality reduced_decode_quality(const std::string& folder, int size, std::int64_t images,
                                            std::uint64_t seed) {
  const ImageFolder f = scan_image_folder(folder);
  decode_on_caller_threads();
  ReducedDecodeQuality q;
  q.size = size;
  const std::size_t px = static_cast<std::size_t>(size) * size * 3;
  std::vector<std::uint8_t> bytes, full(px), reduced(px), area(px);
  double sq = 0, sq_full_area = 0, sq_reduced_area = 0;
  q.images = std::min<std::int64_t>(images, static_cast<std::int64_t>(f.train.paths.size()));
  for (std::int64_t i = 0; i < q.images; ++i) {
    read_file(f.train.paths[i], bytes);
    SplitMix64 rng(mix_seed(seed, static_cast<std::uint64_t>(i)));
    Box box;
    int d = 1;
    for (bool reduce : {false, true}) {
      const auto t0 = Clock::now();
      EncodedImage img({bytes.data(), bytes.size()});
      if (!reduce) box = random_resized_box(rng, img.width(), img.height());
      d = img.decode({box, size, size, reduce, Resize::linear}, (reduce ? reduced : full).data());
      (reduce ? q.reduced_seconds : q.full_seconds) += since(t0);
    }
    if (d == 1) continue;  // the same pixels
    ++q.reduced;
    EncodedImage(ByteSpan{bytes.data(), bytes.size()}).decode({box, size, size, false, Resize::area}, area.data());
    sq += squared_error(full, reduced);
    sq_full_area += squared_error(full, area);
    sq_reduced_area += squared_error(reduced, area);
  }
  const double values = static_cast<double>(px) * static_cast<double>(q.reduced);
  q.psnr_db = psnr(sq, values);
  q.psnr_full_vs_area_db = psnr(sq_full_area, values);
  q.psnr_reduced_vs_area_db = psnr(sq_reduced_area, values);
  return q;
}

nlohmann::json to_json(const ReducedDecodeQuality& q) {
  return {{"images", q.images},
          {"reduced", q.reduced},
          {"psnr_db", q.psnr_db},
          {"psnr_full_vs_area_db", q.psnr_full_vs_area_db},
          {"psnr_reduced_vs_area_db", q.psnr_reduced_vs_area_db},
          {"full_seconds", q.full_seconds},
          {"reduced_seconds", q.reduced_seconds}};
}

std::string to_text(const ReducedDecodeQuality& q) {
  return fmt::format(
      "{} of {} crops at {} px decoded reduced: PSNR {} dB against full decoding (against full decoding "
      "area-resized: full {} dB, reduced {} dB); decoding {} s full, {} s reduced ({}x)\n",
      q.reduced, q.images, q.size, fixed(q.psnr_db, 2), fixed(q.psnr_full_vs_area_db, 2),
      fixed(q.psnr_reduced_vs_area_db, 2), fixed(q.full_seconds, 3), fixed(q.reduced_seconds, 3),
      fixed(q.full_seconds / std::max(q.reduced_seconds, 1e-9), 2));
}

}  // namespace regnet::train
