// regnet-explore data: pack an ImageFolder into one file (data pack), describe a pack
// (data info); hidden: the loader benchmarks behind scripts/bench-data.sh (data bench, data psnr).
// The pack format: docs/data.md.
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "core/base/logging.hpp"
#include "core/base/mapped_file.hpp"
#include "core/base/progress.hpp"
#include "core/base/text.hpp"
#include "core/base/units.hpp"
#include "core/formats/pack_format.hpp"
#include "train/data_bench.hpp"
#include "train/pack_writer.hpp"

namespace regnet::cli {

namespace {

std::string megabytes(double bytes) { return fixed(bytes / 1e6, 1) + " MB"; }

void run_pack(const train::PackOptions& options, bool json) {
  train::PackOptions o = options;
  ProgressDisplay display(stderr);
  if (logs(LogLevel::info))
    o.on_progress = [&](std::int64_t done, std::int64_t total) {
      display.update({"packing " + render_bar(double(done) / std::max<std::int64_t>(1, total), 30) + " " +
                      format_thousands(done) + " / " + format_thousands(total) + " images"});
    };
  const train::PackReport r = train::pack_folder(o);
  display.finish();
  if (json) {
    std::cout << nlohmann::json{{"out", o.out},       {"train", r.train}, {"val", r.val},        {"skipped", r.skipped},
                                {"copied", r.copied}, {"bytes", r.bytes}, {"seconds", r.seconds}}
                     .dump(2)
              << "\n";
    return;
  }
  std::printf("packed %s into %s: %s train + %s val images, %s, in %s (%s images/s)\n", o.folder.c_str(), o.out.c_str(),
              format_thousands(r.train).c_str(), format_thousands(r.val).c_str(),
              megabytes(static_cast<double>(r.bytes)).c_str(), format_duration(r.seconds).c_str(),
              format_thousands(static_cast<std::int64_t>((r.train + r.val) / std::max(r.seconds, 1e-9))).c_str());
  if (r.copied > 0)
    std::printf("  %s stored as they were (JPEGs within the bound)\n", plural(r.copied, "image").c_str());
  if (r.skipped > 0)
    std::printf("  %s skipped: unreadable (listed by data info)\n", plural(r.skipped, "image").c_str());
}

void run_info(const std::string& path, bool json) {
  const MappedFile file(path);
  const pack::Index x = pack::parse_pack(file.bytes(), path);
  const nlohmann::json j = pack::info_json(x);
  if (json) {
    std::cout << j.dump(2) << "\n";
    return;
  }
  const auto& h = x.header;
  const std::string bound = h.bound == pack::Bound::none ? "no size bound"
                            : h.encoding == pack::Encoding::raw
                                ? std::to_string(h.side) + "x" + std::to_string(h.side) + " px"
                                : pack::to_string(h.bound) + " " + std::to_string(h.side) + " px";
  std::printf("%s: pack format version %u, %s, %s%s\n", path.c_str(), h.version, pack::to_string(h.encoding).c_str(),
              bound.c_str(), h.quality ? (", quality " + std::to_string(h.quality)).c_str() : "");
  std::vector<std::string> first(x.meta.classes.begin(),
                                 x.meta.classes.begin() + std::min<std::size_t>(4, x.meta.classes.size()));
  std::printf("  classes  %u (%s%s)\n", h.num_classes, join(first, ", ").c_str(), h.num_classes > 4 ? ", ..." : "");
  std::printf("  train    %s images (%s to %s per class)\n",
              format_thousands(static_cast<std::int64_t>(h.train_count)).c_str(),
              format_thousands(j["train_per_class_min"].get<std::int64_t>()).c_str(),
              format_thousands(j["train_per_class_max"].get<std::int64_t>()).c_str());
  std::printf("  val      %s images\n", format_thousands(static_cast<std::int64_t>(h.val_count)).c_str());
  std::printf("  size     %s (%s per image, %s pixels on average)\n",
              megabytes(static_cast<double>(h.file_size)).c_str(),
              (fixed(j["mean_payload_bytes"].get<double>() / 1e3, 1) + " kB").c_str(),
              format_count(static_cast<std::int64_t>(j["mean_pixels"].get<double>())).c_str());
  std::printf("  source   %s (packed by regnet-explore %s)\n", x.meta.source.c_str(), x.meta.tool_version.c_str());
  std::printf("  skipped  %s\n", plural(x.meta.skipped, "unreadable image").c_str());
  for (const auto& e : x.meta.skipped_examples) std::printf("           %s\n", e.c_str());
}

void run_bench(const train::LoaderBenchOptions& o, bool json) {
  const auto r = train::bench_loader(o);
  if (json) {
    std::cout << nlohmann::json{{"images", r.images},
                                {"seconds", r.seconds},
                                {"images_per_second", r.images_per_second},
                                {"threads", o.data.loader_threads},
                                {"unreadable", r.unreadable}}
                     .dump()
              << "\n";
    return;
  }
  std::printf("%s images in %s s: %s images/s with %d loader thread(s)\n", format_thousands(r.images).c_str(),
              fixed(r.seconds, 2).c_str(), fixed(r.images_per_second, 1).c_str(), o.data.loader_threads);
}

void run_psnr(const std::string& folder, int size, std::int64_t images, bool json) {
  const auto q = train::reduced_decode_quality(folder, size, images);
  const nlohmann::json j{{"images", q.images},
                         {"reduced", q.reduced},
                         {"psnr_db", q.psnr_db},
                         {"psnr_full_vs_area_db", q.psnr_full_vs_area_db},
                         {"psnr_reduced_vs_area_db", q.psnr_reduced_vs_area_db},
                         {"full_seconds", q.full_seconds},
                         {"reduced_seconds", q.reduced_seconds}};
  if (json) {
    std::cout << j.dump() << "\n";
    return;
  }
  std::printf(
      "%lld of %lld crops at %d px decoded reduced: PSNR %s dB against full decoding (against full decoding "
      "area-resized: full %s dB, reduced %s dB); decoding %s s full, %s s reduced (%sx)\n",
      static_cast<long long>(q.reduced), static_cast<long long>(q.images), size, fixed(q.psnr_db, 2).c_str(),
      fixed(q.psnr_full_vs_area_db, 2).c_str(), fixed(q.psnr_reduced_vs_area_db, 2).c_str(),
      fixed(q.full_seconds, 3).c_str(), fixed(q.reduced_seconds, 3).c_str(),
      fixed(q.full_seconds / std::max(q.reduced_seconds, 1e-9), 2).c_str());
}

void add_pack(CLI::App* data) {
  auto o = std::make_shared<train::PackOptions>();
  auto json = std::make_shared<bool>(false);
  auto* cmd = data->add_subcommand("pack", "Pack an ImageFolder (ROOT/train, ROOT/val) into one file");
  cmd->add_option("folder", o->folder, "the ImageFolder root")->required();
  cmd->add_option("--out,-o", o->out, "the pack file to write (FILE.pack)")->required();
  // One of the three (pack_folder says so with a UserError, exit 2).
  cmd->add_option("--max-side", o->max_side, "JPEG payloads, longer side at most this (default 256)");
  cmd->add_option("--short-side", o->short_side, "JPEG payloads, shorter side at most this");
  cmd->add_option("--size", o->size, "raw RGB payloads of size x size (short side resized, centre crop)");
  cmd->add_option("--quality", o->quality, "JPEG quality of re-encoded images")->capture_default_str();
  cmd->add_option("--threads", o->threads, "threads (default: all cores)");
  cmd->add_flag("--strict", o->strict, "an unreadable image is an error (default: skipped and counted)");
  cmd->add_flag("--force", o->force, "replace an existing file");
  cmd->add_flag("--json", *json, "print the summary as JSON");
  cmd->footer(
      "Examples:\n"
      "  regnet-explore data pack /data/imagenet --out imagenet-256.pack\n"
      "  regnet-explore data pack /data/imagenet --out imagenet-s146.pack --short-side 146\n"
      "  regnet-explore data pack /data/imagenet --out imagenet-64.pack --size 64\n");
  cmd->callback([o, json] { run_pack(*o, *json); });
}

void add_info(CLI::App* data) {
  auto path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* cmd = data->add_subcommand("info", "Check a pack file and describe it");
  cmd->add_option("file", *path, "a pack file")->required();
  cmd->add_flag("--json", *json, "print as JSON");
  cmd->callback([path, json] { run_info(*path, *json); });
}

void add_bench(CLI::App* data) {
  auto o = std::make_shared<train::LoaderBenchOptions>();
  auto json = std::make_shared<bool>(false);
  auto split = std::make_shared<std::string>("train");
  auto no_reduce = std::make_shared<bool>(false);
  auto* cmd = data->add_subcommand("bench", "Time the loader (for scripts/bench-data.sh)");
  cmd->group("");
  cmd->add_option("source", o->data.source, "an ImageFolder or a pack file")->required();
  cmd->add_option("--split", *split, "train (random-resized crop + flip) or test (resize + centre crop)")
      ->check(CLI::IsMember({"train", "test"}));
  cmd->add_option("--size", o->data.image_size, "output size (default 224)");
  cmd->add_option("--threads", o->data.loader_threads, "loader threads (default: all cores)");
  cmd->add_option("--batch", o->batch_size, "batch size")->capture_default_str();
  cmd->add_option("--images", o->images, "the first N images of the split (default: all)");
  cmd->add_option("--passes", o->passes, "timed passes")->capture_default_str();
  cmd->add_flag("--no-reduce", *no_reduce, "decode JPEGs in full (no DCT scaling)");
  cmd->add_flag("--json", *json, "print as JSON");
  cmd->callback([o, json, split, no_reduce] {
    o->train = *split == "train";
    o->data.reduced_decoding = !*no_reduce;
    run_bench(*o, *json);
  });
}

void add_psnr(CLI::App* data) {
  auto folder = std::make_shared<std::string>();
  auto size = std::make_shared<int>(224);
  auto images = std::make_shared<std::int64_t>(300);
  auto json = std::make_shared<bool>(false);
  auto* cmd = data->add_subcommand("psnr", "Reduced vs full JPEG decoding of training crops (for bench-data.sh)");
  cmd->group("");
  cmd->add_option("folder", *folder, "an ImageFolder")->required();
  cmd->add_option("--size", *size, "crop output size")->capture_default_str();
  cmd->add_option("--images", *images, "the first N training images")->capture_default_str();
  cmd->add_flag("--json", *json, "print as JSON");
  cmd->callback([folder, size, images, json] { run_psnr(*folder, *size, *images, *json); });
}

}  // namespace

void add_data_command(CLI::App& app) {
  auto* data = app.add_subcommand("data", command_summary("data"));
  data->require_subcommand(1);
  add_pack(data);
  add_info(data);
  add_bench(data);
  add_psnr(data);
  data->footer(
      "Examples:\n"
      "  regnet-explore data pack /data/imagenet --out imagenet-256.pack\n"
      "  regnet-explore data info imagenet-256.pack\n"
      "  regnet-explore train sweeps/in --data imagenet-256.pack --schedule imagenet-10ep\n");
}

}  // namespace regnet::cli
