// regnet-explore data: pack an ImageFolder into one file (data pack), describe a pack
// (data info); hidden: the loader benchmarks behind scripts/bench-data.sh (data bench, data psnr).
// The work and the results: train/pack_writer.hpp, core/formats/pack_format.hpp (docs/data.md),
// train/data_bench.hpp.
#include <memory>

#include "cli/number_options.hpp"
#include "cli/option_table.hpp"
#include "cli/output.hpp"
#include "commands.hpp"
#include "core/base/threads.hpp"
#include "core/formats/pack_format.hpp"
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
  const std::vector<OptionRow> options = {
      {"folder", p.folder, "the ImageFolder root", kRequired},
      {"--out,-o", p.out, "the pack file to write (FILE.pack)", kRequired},
      // One of the three (pack_folder says so with a UserError, exit 2).
      {"--max-side", p.max_side, "JPEG payloads, longer side at most this (default 256)",
       whole_number<int>(1, kMaxSide)},
      {"--short-side", p.short_side, "JPEG payloads, shorter side at most this", whole_number<int>(1, kMaxSide)},
      {"--size", p.size, "raw RGB payloads of size x size (short side resized, centre crop)",
       whole_number<int>(1, kMaxSide)},
      {"--quality", p.quality, "JPEG quality of re-encoded images", whole_number<int>(1, 100), kShowDefault},
      {"--threads", p.threads, "threads (default: all cores)", whole_number<int>(0, kMaxThreads)},
      {"--strict", p.strict, "an unreadable image is an error (default: skipped and counted)"},
      {"--force", p.force, "replace an existing file"},
      {"--json", o->json, "print the summary as JSON"},
  };
  add_options(cmd, options);
  cmd->callback([o] { run_pack(*o); });
}

void add_info(CLI::App* data, const std::shared_ptr<Options>& o) {
  auto* cmd = data->add_subcommand("info", "Check a pack file and describe it");
  add_options(cmd, {{"file", o->file, "a pack file", kRequired}, {"--json", o->json, "print as JSON"}});
  cmd->callback([o] { print_result(o->json, pack::read_pack_info(o->file)); });
}

void add_bench(CLI::App* data, const std::shared_ptr<Options>& o) {
  auto& b = o->bench;
  auto* cmd = data->add_subcommand("bench", "Time the loader (for scripts/bench-data.sh)");
  cmd->group("");
  const std::vector<OptionRow> options = {
      {"source", b.data.source, "an ImageFolder or a pack file", kRequired},
      {"--split", o->split, "train (random-resized crop + flip) or test (resize + centre crop)",
       CLI::IsMember({"train", "test"})},
      {"--size", b.data.image_size, "output size (default 224)", whole_number<int>(1, kMaxCrop)},
      {"--threads", b.data.loader_threads, "loader threads (default: all cores)", whole_number<int>(0, kMaxThreads)},
      {"--batch", b.batch_size, "batch size", whole_number<int>(1, 65536), kShowDefault},
      {"--images", b.images, "the first N images of the split (default: all)",
       whole_number<std::int64_t>(1, kMaxImages)},
      {"--passes", b.passes, "timed passes", whole_number<int>(1, 1000), kShowDefault},
      {"--no-reduce", o->no_reduce, "decode JPEGs in full (no DCT scaling)"},
      {"--json", o->json, "print as JSON"},
  };
  add_options(cmd, options);
  cmd->callback([o] {
    o->bench.train = o->split == "train";
    o->bench.data.reduced_decoding = !o->no_reduce;
    print_result(o->json, train::bench_loader(o->bench));
  });
}

void add_psnr(CLI::App* data, const std::shared_ptr<Options>& o) {
  auto* cmd = data->add_subcommand("psnr", "Reduced vs full JPEG decoding of training crops (for bench-data.sh)");
  cmd->group("");
  const std::vector<OptionRow> options = {
      {"folder", o->folder, "an ImageFolder", kRequired},
      {"--size", o->size, "crop output size", whole_number<int>(1, kMaxCrop), kShowDefault},
      {"--images", o->images, "the first N training images", whole_number<std::int64_t>(1, kMaxImages), kShowDefault},
      {"--json", o->json, "print as JSON"},
  };
  add_options(cmd, options);
  cmd->callback([o] { print_result(o->json, train::reduced_decode_quality(o->folder, o->size, o->images)); });
}

}  // namespace

void add_data_command(CLI::App& app) {
  auto* data = app.add_subcommand("data");
  data->require_subcommand(1);
  auto o = std::make_shared<Options>();
  add_pack(data, o);
  add_info(data, o);
  add_bench(data, o);
  add_psnr(data, o);
}

}  // namespace regnet::cli
