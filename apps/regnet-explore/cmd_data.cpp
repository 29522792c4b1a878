// regnet-explore data: pack an ImageFolder into one file (data pack), describe a pack
// (data info); hidden: the loader benchmarks behind scripts/bench-data.sh (data bench, data psnr).
// The work and the results: train/pack_writer.hpp, core/formats/pack_format.hpp (docs/data.md),
// train/data_bench.hpp.
#include <memory>

#include "commands.hpp"
#include "core/base/threads.hpp"
#include "core/formats/pack_format.hpp"
#include "number_options.hpp"
#include "output.hpp"
#include "train/data_bench.hpp"
#include "train/pack_writer.hpp"

namespace regnet::cli {

namespace {

// A pack's image sides are 16-bit; the benchmarks' crops stay at sizes a batch of them fits memory.
constexpr int kMaxSide = 65535, kMaxCrop = 4096;
constexpr std::int64_t kMaxImages = 1'000'000'000;

// The options of the four subcommands (one of them runs).
struct Options {
  train::PackOptions pack;
  std::string file;  // info
  train::LoaderBenchOptions bench;
  std::string split = "train";  // bench
  bool no_reduce = false;       // bench
  std::string folder;           // psnr
  int size = 224;               // psnr
  std::int64_t images = 300;    // psnr
  bool json = false;
};

void run_pack(const Options& o) {
  train::PackOptions p = o.pack;
  ProgressLine progress;
  p.on_progress = [&progress](std::int64_t done, std::int64_t total) {
    progress(train::pack_progress_text(done, total));
  };
  const train::PackReport r = train::pack_folder(p);
  progress.finish();
  print_result(o.json, r);
}

void add_pack(CLI::App* data, const std::shared_ptr<Options>& o) {
  auto& p = o->pack;
  auto* cmd = data->add_subcommand("pack", "Pack an ImageFolder (ROOT/train, ROOT/val) into one file");
  cmd->add_option("folder", p.folder, "the ImageFolder root")->required();
  cmd->add_option("--out,-o", p.out, "the pack file to write (FILE.pack)")->required();
  // One of the three (pack_folder says so with a UserError, exit 2).
  cmd->add_option("--max-side", p.max_side, "JPEG payloads, longer side at most this (default 256)")
      ->transform(whole_number<int>(1, kMaxSide));
  cmd->add_option("--short-side", p.short_side, "JPEG payloads, shorter side at most this")
      ->transform(whole_number<int>(1, kMaxSide));
  cmd->add_option("--size", p.size, "raw RGB payloads of size x size (short side resized, centre crop)")
      ->transform(whole_number<int>(1, kMaxSide));
  cmd->add_option("--quality", p.quality, "JPEG quality of re-encoded images")
      ->transform(whole_number<int>(1, 100))
      ->capture_default_str();
  cmd->add_option("--threads", p.threads, "threads (default: all cores)")->transform(whole_number<int>(0, kMaxThreads));
  cmd->add_flag("--strict", p.strict, "an unreadable image is an error (default: skipped and counted)");
  cmd->add_flag("--force", p.force, "replace an existing file");
  cmd->add_flag("--json", o->json, "print the summary as JSON");
  cmd->callback([o] { run_pack(*o); });
}

void add_info(CLI::App* data, const std::shared_ptr<Options>& o) {
  auto* cmd = data->add_subcommand("info", "Check a pack file and describe it");
  cmd->add_option("file", o->file, "a pack file")->required();
  cmd->add_flag("--json", o->json, "print as JSON");
  cmd->callback([o] { print_result(o->json, pack::read_pack_info(o->file)); });
}

void add_bench(CLI::App* data, const std::shared_ptr<Options>& o) {
  auto& b = o->bench;
  auto* cmd = data->add_subcommand("bench", "Time the loader (for scripts/bench-data.sh)");
  cmd->group("");
  cmd->add_option("source", b.data.source, "an ImageFolder or a pack file")->required();
  cmd->add_option("--split", o->split, "train (random-resized crop + flip) or test (resize + centre crop)")
      ->check(CLI::IsMember({"train", "test"}));
  cmd->add_option("--size", b.data.image_size, "output size (default 224)")->transform(whole_number<int>(1, kMaxCrop));
  cmd->add_option("--threads", b.data.loader_threads, "loader threads (default: all cores)")
      ->transform(whole_number<int>(0, kMaxThreads));
  cmd->add_option("--batch", b.batch_size, "batch size")->transform(whole_number<int>(1, 65536))->capture_default_str();
  cmd->add_option("--images", b.images, "the first N images of the split (default: all)")
      ->transform(whole_number<std::int64_t>(1, kMaxImages));
  cmd->add_option("--passes", b.passes, "timed passes")->transform(whole_number<int>(1, 1000))->capture_default_str();
  cmd->add_flag("--no-reduce", o->no_reduce, "decode JPEGs in full (no DCT scaling)");
  cmd->add_flag("--json", o->json, "print as JSON");
  cmd->callback([o] {
    o->bench.train = o->split == "train";
    o->bench.data.reduced_decoding = !o->no_reduce;
    print_result(o->json, train::bench_loader(o->bench));
  });
}

void add_psnr(CLI::App* data, const std::shared_ptr<Options>& o) {
  auto* cmd = data->add_subcommand("psnr", "Reduced vs full JPEG decoding of training crops (for bench-data.sh)");
  cmd->group("");
  cmd->add_option("folder", o->folder, "an ImageFolder")->required();
  cmd->add_option("--size", o->size, "crop output size")
      ->transform(whole_number<int>(1, kMaxCrop))
      ->capture_default_str();
  cmd->add_option("--images", o->images, "the first N training images")
      ->transform(whole_number<std::int64_t>(1, kMaxImages))
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "print as JSON");
  cmd->callback([o] { print_result(o->json, train::reduced_decode_quality(o->folder, o->size, o->images)); });
}

}  // namespace

void add_data_command(CLI::App& app) {
  auto* data = app.add_subcommand("data", command_summary("data"));
  data->require_subcommand(1);
  auto o = std::make_shared<Options>();
  add_pack(data, o);
  add_info(data, o);
  add_bench(data, o);
  add_psnr(data, o);
}

}  // namespace regnet::cli
