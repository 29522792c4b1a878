#include "train/pack_writer.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/base/error.hpp"
#include "core/base/output_path.hpp"
#include "core/base/progress.hpp"
#include "core/base/terminal_text.hpp"
#include "core/base/text.hpp"
#include "core/base/threads.hpp"
#include "core/base/units.hpp"
#include "core/formats/pack_format.hpp"
#include "train/encoded_dataset.hpp"
#include "train/image_decoder.hpp"
#include "train/image_folder.hpp"

namespace fs = std::filesystem;

namespace regnet::train {

namespace {

// The file being written. Unnamed (O_TMPFILE) until commit() links it under its name, so a
// killed packer leaves nothing; where the file system lacks O_TMPFILE, a NAME.tmp.PID whose
// header stays zero (never a valid pack) until commit renames it, removed on failure.
class PackFile {
 public:
  // `out` is output_path's checked file (never an image of the folder packed, never over a file without --force).
  explicit PackFile(const std::string& out) : out_(out) {
    const fs::path dir = fs::absolute(out).parent_path();
    fd_ = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      tmp_ = out + ".tmp." + std::to_string(::getpid());
      fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    }
    if (fd_ < 0) fail(out, "", std::string("cannot write: ") + std::strerror(errno));
    append(std::vector<std::uint8_t>(pack::kHeaderSize, 0));
  }
  ~PackFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_ && !tmp_.empty()) ::unlink(tmp_.c_str());
  }
  PackFile(const PackFile&) = delete;
  PackFile& operator=(const PackFile&) = delete;

  void append(const std::vector<std::uint8_t>& b) { write_at(b, written_), written_ += b.size(); }

  void commit(const pack::PackLayout::Tail& t) {
    append(t.index);
    write_at(t.header_bytes, 0);  // last: until now the header was zeros
    if (::fsync(fd_) != 0) io_error("cannot write");
    if (tmp_.empty()) {  // name the unnamed file: link to a temporary name, rename over `out`
      tmp_ = out_ + ".tmp." + std::to_string(::getpid());
      const std::string proc = "/proc/self/fd/" + std::to_string(fd_);
      if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, tmp_.c_str(), AT_SYMLINK_FOLLOW) != 0) io_error("cannot link");
    }
    if (::rename(tmp_.c_str(), out_.c_str()) != 0) io_error("cannot rename into place");
    committed_ = true;
  }

 private:
  void write_at(const std::vector<std::uint8_t>& b, std::uint64_t at) {
    for (std::size_t done = 0; done < b.size();) {
      const ssize_t n = ::pwrite(fd_, b.data() + done, b.size() - done, static_cast<off_t>(at + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) io_error("cannot write");
      done += static_cast<std::size_t>(n);
    }
  }
  [[noreturn]] void io_error(const char* what) { fail(out_, "", std::string(what) + ": " + std::strerror(errno)); }

  std::string out_, tmp_;
  int fd_ = -1;
  std::uint64_t written_ = 0;
  bool committed_ = false;
};

struct Converted {
  std::vector<std::uint8_t> bytes;
  std::uint32_t width = 0, height = 0;
  bool copied = false;
  std::string error;  // non-empty: unreadable
};

// The size an image of w x h takes under the bound (never larger than it is).
std::pair<int, int> bounded_size(int w, int h, const PackOptions& o) {
  const int longer = std::max(w, h), shorter = std::min(w, h);
  const double scale = o.max_side > 0     ? std::min(1.0, double(o.max_side) / longer)
                       : o.short_side > 0 ? std::min(1.0, double(o.short_side) / shorter)
                                          : 1.0;
  auto side = [&](int v) { return std::max(1, static_cast<int>(std::lround(v * scale))); };
  return {std::min(w, side(w)), std::min(h, side(h))};
}

// A record's fields (core/pack_format.hpp): sides below 2^16, sizes of 32 bits.
bool fits_a_record(const Converted& c) {
  return c.width < (1u << 16) && c.height < (1u << 16) && c.bytes.size() <= UINT32_MAX;
}

Converted convert(const std::string& path, const PackOptions& o, std::vector<std::uint8_t>& buf) {
  Converted c;
  try {
    read_file(path, buf);
    EncodedImage img({buf.data(), buf.size()});
    const int w = img.width(), h = img.height();
    if (o.size > 0) {  // raw: the centred square of the short side, resized to size x size
      const int s = std::min(w, h);
      c.bytes.resize(static_cast<std::size_t>(o.size) * o.size * 3);
      img.decode({{(w - s) / 2, (h - s) / 2, s, s}, o.size, o.size, true, Resize::area}, c.bytes.data());
      c.width = c.height = static_cast<std::uint32_t>(o.size);
      return c;
    }
    const auto [bw, bh] = bounded_size(w, h, o);
    if (bw == w && bh == h && img.plain_jpeg()) {
      // Stored as it is, once it decodes to the end (at 1/8 scale: the whole entropy-coded
      // stream is read, the pixels barely computed), so a truncated file is caught here.
      std::vector<std::uint8_t> tiny(static_cast<std::size_t>(std::max(1, w / 8)) * std::max(1, h / 8) * 3);
      img.decode({{0, 0, w, h}, std::max(1, w / 8), std::max(1, h / 8), true, Resize::linear}, tiny.data());
      c.bytes = buf;
      c.copied = true;
    } else {
      std::vector<std::uint8_t> rgb(static_cast<std::size_t>(bw) * bh * 3);
      img.decode({{0, 0, w, h}, bw, bh, true, Resize::area}, rgb.data());
      c.bytes = encode_jpeg(rgb.data(), bw, bh, o.quality);
    }
    c.width = static_cast<std::uint32_t>(bw);
    c.height = static_cast<std::uint32_t>(bh);
  } catch (const DecodeError& e) {
    c.error = e.what();
  }
  if (c.error.empty() && !fits_a_record(c))
    c.error = std::to_string(c.width) + "x" + std::to_string(c.height) + " px, " + std::to_string(c.bytes.size()) +
              " bytes: larger than a pack record holds (65535 px a side, 4 GiB)";
  return c;
}

pack::Header header_for(const PackOptions& o) {
  pack::Header h;
  h.encoding = o.size > 0 ? pack::Encoding::raw : pack::Encoding::jpeg;
  h.bound = o.size > 0         ? pack::Bound::square
            : o.max_side > 0   ? pack::Bound::max_side
            : o.short_side > 0 ? pack::Bound::short_side
                               : pack::Bound::none;
  h.side = static_cast<std::uint32_t>(std::max({o.size, o.max_side, o.short_side, 0}));
  h.channels = 3;
  h.quality = o.size > 0 ? 0 : static_cast<std::uint32_t>(o.quality);
  return h;
}

PackOptions checked(PackOptions o) {
  const int bounds = (o.max_side > 0) + (o.short_side > 0) + (o.size > 0);
  if (bounds > 1) fail(o.out, "--max-side/--short-side/--size", "give one of them");
  if (o.max_side < 0 || o.short_side < 0 || o.size < 0) fail("", "--max-side/--short-side/--size", "must be positive");
  if (bounds == 0) o.max_side = 256;
  if (std::max({o.max_side, o.short_side, o.size}) >= 1 << 16)
    fail("", "--max-side/--short-side/--size", "must be < 65536");
  if (std::uint64_t(o.size) * o.size * 3 > UINT32_MAX)
    fail("", "--size",
         std::to_string(o.size) + ": raw records of size x size x 3 bytes must fit 4 GiB (at most 37837)");
  if (o.quality < 1 || o.quality > 100) fail("", "--quality", std::to_string(o.quality) + " is not in 1..100");
  if (o.out.empty()) fail("", "--out", "missing");
  output_file(o.out, "--out", o.force, {o.folder});  // before the folder is scanned
  return o;
}

// Converts items [begin, end) of `paths` on `threads` threads; results in order.
std::vector<Converted> convert_chunk(const std::vector<const std::string*>& paths, std::size_t begin, std::size_t end,
                                     const PackOptions& o, int threads) {
  std::vector<Converted> out(end - begin);
  std::atomic<std::size_t> next{begin};
  auto work = [&] {
    std::vector<std::uint8_t> buf;
    for (std::size_t i; (i = next++) < end;) out[i - begin] = convert(*paths[i], o, buf);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return out;
}

// Class names and the folder go into the pack's index as JSON text: names that are no UTF-8
// are refused before anything is packed (JSON could not hold them).
void check_utf8(const std::string& text, const std::string& where) {
  try {
    (void)nlohmann::json(text).dump();
  } catch (const nlohmann::json::type_error&) {
    fail(where, "", "the name is not UTF-8, which a pack's index (JSON text) needs: rename it");
  }
}

// One packing run: images converted a chunk at a time on all threads, appended in folder order
// (so the file does not depend on the thread count), the index and header written last.
class Packer {
 public:
  Packer(const PackOptions& o, ImageFolder f)
      : o_(o),
        f_(std::move(f)),
        threads_(default_threads(o.threads)),
        file_(output_file(o.out, "--out", o.force, {o.folder})),
        layout_(header_for(o)) {
    for (const FolderSplit* s : {&f_.train, &f_.val})
      for (std::size_t i = 0; i < s->paths.size(); ++i) paths_.push_back(&s->paths[i]), labels_.push_back(s->labels[i]);
    per_class_.assign(f_.classes.size(), 0);
    check_utf8(o_.folder, o_.folder);
    for (const auto& c : f_.classes) check_utf8(c, (fs::path(o_.folder) / "train" / c).string());
  }

  PackReport run() {
    const std::size_t total = paths_.size(), chunk = 64 * static_cast<std::size_t>(threads_);
    for (std::size_t begin = 0; begin < total; begin += chunk) {
      const std::size_t end = std::min(total, begin + chunk);
      auto results = convert_chunk(paths_, begin, end, o_, threads_);
      for (std::size_t i = begin; i < end; ++i) take(i, results[i - begin]);
      if (o_.on_progress) o_.on_progress(static_cast<std::int64_t>(end), static_cast<std::int64_t>(total));
    }
    for (std::size_t c = 0; c < per_class_.size(); ++c)
      if (per_class_[c] == 0)
        fail((fs::path(o_.folder) / "train" / f_.classes[c]).string(), "", "none of its images could be decoded");
    if (rep_.val == 0) fail((fs::path(o_.folder) / "val").string(), "", "none of its images could be decoded");
    const auto tail = layout_.finish(meta());
    file_.commit(tail);
    rep_.bytes = tail.header.file_size;
    return rep_;
  }

 private:
  void take(std::size_t i, const Converted& c) {
    if (!c.error.empty()) {
      if (o_.strict) fail(*paths_[i], "", "cannot decode image: " + c.error);
      if (skipped_.empty())
        spdlog::warn("{}: {}; skipping it and any other unreadable image (counted; --strict makes this an error)",
                     *paths_[i], c.error);
      skipped_.push_back(*paths_[i] + ": " + c.error);
      ++rep_.skipped;
      return;
    }
    const bool val = i >= f_.train.paths.size();
    const auto label = static_cast<std::uint32_t>(labels_[i]);
    layout_.add(val, static_cast<std::uint32_t>(c.bytes.size()), label, c.width, c.height);
    file_.append(c.bytes);
    ++(val ? rep_.val : rep_.train);
    if (!val) ++per_class_[label];
    rep_.copied += c.copied;
  }

  pack::Meta meta() const {
    pack::Meta m;
    m.classes = f_.classes;
    m.source = o_.folder;
    m.tool_version = REGNET_VERSION;
    m.skipped = rep_.skipped;
    m.skipped_examples.assign(skipped_.begin(), skipped_.begin() + std::min<std::size_t>(5, skipped_.size()));
    return m;
  }

  const PackOptions& o_;
  const ImageFolder f_;
  const int threads_;
  PackFile file_;
  pack::PackLayout layout_;
  std::vector<const std::string*> paths_;  // train then val, as the index lists them
  std::vector<std::int64_t> labels_;
  std::vector<std::int64_t> per_class_;
  std::vector<std::string> skipped_;
  PackReport rep_;
};

}  // namespace

PackReport pack_folder(const PackOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  const PackOptions o = checked(options);
  if (!can_decode_images()) fail(o.folder, "", "packing needs OpenCV, and this build has none");
  decode_on_caller_threads();
  PackReport rep = Packer(o, scan_image_folder(o.folder)).run();
  rep.folder = o.folder;
  rep.out = o.out;
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

std::string pack_progress_text(std::int64_t done, std::int64_t total) {
  return "packing " + render_bar(double(done) / std::max<std::int64_t>(1, total), 30) + " " + format_thousands(done) +
         " / " + format_thousands(total) + " images";
}

nlohmann::json to_json(const PackReport& r) {
  return {{"out", r.out},       {"train", r.train}, {"val", r.val},        {"skipped", r.skipped},
          {"copied", r.copied}, {"bytes", r.bytes}, {"seconds", r.seconds}};
}

std::string to_text(const PackReport& r) {
  std::string t =
      fmt::format("packed {} into {}: {} train + {} val images, {} MB, in {} ({} images/s)\n", one_line(r.folder),
                  one_line(r.out), format_thousands(r.train), format_thousands(r.val),
                  fixed(static_cast<double>(r.bytes) / 1e6, 1), format_duration(r.seconds),
                  format_thousands(static_cast<std::int64_t>((r.train + r.val) / std::max(r.seconds, 1e-9))));
  if (r.copied > 0) t += "  " + plural(r.copied, "image") + " stored as they were (JPEGs within the bound)\n";
  if (r.skipped > 0) t += "  " + plural(r.skipped, "image") + " skipped: unreadable (listed by data info)\n";
  return t;
}

}  // namespace regnet::train
