#include "train/data_bench.hpp"

#include <chrono>
#include <cmath>
#include <limits>

#include "core/base/error.hpp"
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
  return r;
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

}  // namespace regnet::train
