#include "core/formats/pack_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "core/base/terminal_text.hpp"
#include "core/base/text.hpp"
#include "core/base/units.hpp"

namespace regnet::pack {

namespace {

// Little-endian fields at fixed offsets; callers have checked the span is long enough.
std::uint32_t u32_at(const std::uint8_t* p) {
  return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
}
std::uint64_t u64_at(const std::uint8_t* p) { return std::uint64_t(u32_at(p)) | std::uint64_t(u32_at(p + 4)) << 32; }

void put_u32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  for (int s = 0; s < 32; s += 8) b.push_back(static_cast<std::uint8_t>(v >> s));
}
void put_u64(std::vector<std::uint8_t>& b, std::uint64_t v) {
  put_u32(b, static_cast<std::uint32_t>(v));
  put_u32(b, static_cast<std::uint32_t>(v >> 32));
}

constexpr std::size_t kChecksumAt = kHeaderSize - 8;  // the header's own checksum: its last 8 bytes
constexpr std::uint64_t kMaxClasses = 1u << 20;
constexpr std::uint32_t kMaxSide = 1u << 16;

std::size_t align8(std::size_t n) { return (n + 7) & ~std::size_t(7); }

std::string n(std::uint64_t v) { return std::to_string(v); }

Header decode_header(ByteSpan file, const std::string& name) {
  if (file.size < kHeaderSize)
    fail(name, "",
         "not a pack, or truncated: " + n(file.size) + " bytes, less than the " + n(kHeaderSize) + "-byte header");
  const std::uint8_t* p = file.data;
  if (std::memcmp(p, kMagic, sizeof kMagic) != 0)
    fail(name, "", "not a regnet-explore pack (no REGNPACK magic; make one with `regnet-explore data pack`)");
  Header h;
  h.version = u32_at(p + 8);
  if (h.version != kVersion)
    fail(name, "header.version",
         n(h.version) + ": this build reads pack format version " + n(kVersion) +
             " only (repack the folder with this build's `regnet-explore data pack`)");
  if (u64_at(p + kChecksumAt) != fnv1a64({p, kChecksumAt})) fail(name, "header", "corrupt (checksum mismatch)");
  h.encoding = static_cast<Encoding>(u32_at(p + 12));
  h.bound = static_cast<Bound>(u32_at(p + 16));
  h.side = u32_at(p + 20);
  h.channels = u32_at(p + 24);
  h.quality = u32_at(p + 28);
  h.num_classes = u32_at(p + 32);
  h.train_count = u64_at(p + 40);
  h.val_count = u64_at(p + 48);
  h.index_offset = u64_at(p + 56);
  h.index_size = u64_at(p + 64);
  h.file_size = u64_at(p + 72);
  h.index_checksum = u64_at(p + 80);
  return h;
}

void check_header(const Header& h, std::uint64_t actual_size, const std::string& name) {
  if (actual_size < h.file_size)
    fail(name, "",
         "truncated: the header says " + n(h.file_size) + " bytes, the file has " + n(actual_size) +
             " (an interrupted copy?)");
  if (actual_size > h.file_size)
    fail(name, "", "has " + n(actual_size) + " bytes, but its header says " + n(h.file_size) + " (appended to?)");
  if (h.index_offset < kHeaderSize || h.index_offset > h.file_size || h.index_size != h.file_size - h.index_offset)
    fail(name, "header.index_offset",
         n(h.index_offset) + " with index size " + n(h.index_size) + " does not end the file of " + n(h.file_size) +
             " bytes");
  const bool jpeg = h.encoding == Encoding::jpeg, raw = h.encoding == Encoding::raw;
  if (!jpeg && !raw)
    fail(name, "header.encoding", n(static_cast<std::uint32_t>(h.encoding)) + " is not 1 (jpeg) or 2 (raw)");
  const auto bound = static_cast<std::uint32_t>(h.bound);
  if (raw ? h.bound != Bound::square : bound > static_cast<std::uint32_t>(Bound::short_side))
    fail(name, "header.bound", n(bound) + " does not go with encoding " + to_string(h.encoding));
  if ((h.bound == Bound::none) != (h.side == 0) || h.side >= kMaxSide)
    fail(name, "header.side", n(h.side) + " does not go with bound " + to_string(h.bound));
  if (raw ? (h.channels != 1 && h.channels != 3) : h.channels != 3)
    fail(name, "header.channels", n(h.channels) + " (raw packs hold 1 or 3, JPEG packs 3)");
  if (h.num_classes == 0 || h.num_classes > kMaxClasses)
    fail(name, "header.num_classes", n(h.num_classes) + " is not in 1.." + n(kMaxClasses));
  if (h.train_count == 0) fail(name, "header.train_count", "0: the pack holds no training images");
  // Each record takes kRecordSize index bytes: this also rules out overflow of the sum.
  if (h.train_count > h.index_size / kRecordSize || h.val_count > h.index_size / kRecordSize - h.train_count)
    fail(name, "header",
         n(h.train_count) + " + " + n(h.val_count) + " records do not fit an index of " + n(h.index_size) + " bytes");
}

Meta decode_meta(const nlohmann::json& j, const Header& h, const std::string& name) {
  Meta m;
  try {
    m.classes = j.at("classes").get<std::vector<std::string>>();
    m.source = j.value("source", "");
    m.tool_version = j.value("tool_version", "");
    m.skipped = j.value("skipped", std::int64_t{0});
    m.skipped_examples = j.value("skipped_examples", std::vector<std::string>{});
  } catch (const nlohmann::json::exception& e) {
    fail(name, "index.meta", std::string("malformed: ") + e.what());
  }
  if (m.classes.size() != h.num_classes)
    fail(name, "index.meta.classes", n(m.classes.size()) + " names for " + n(h.num_classes) + " classes");
  return m;
}

void check_record(const Record& r, std::uint64_t i, const Header& h, const std::string& name) {
  const std::string field = "index.records[" + n(i) + "]";
  if (r.offset < kHeaderSize || r.offset > h.index_offset || r.size == 0 || r.size > h.index_offset - r.offset)
    fail(name, field,
         "payload at " + n(r.offset) + " of " + n(r.size) + " bytes lies outside the payload area " + n(kHeaderSize) +
             ".." + n(h.index_offset));
  if (r.label >= h.num_classes) fail(name, field, "label " + n(r.label) + " >= " + n(h.num_classes) + " classes");
  if (r.width == 0 || r.height == 0 || r.width >= kMaxSide || r.height >= kMaxSide)
    fail(name, field, n(r.width) + "x" + n(r.height) + " is not an image size");
  const std::uint32_t longer = std::max(r.width, r.height), shorter = std::min(r.width, r.height);
  const bool fits = h.bound == Bound::none || (h.bound == Bound::max_side && longer <= h.side) ||
                    (h.bound == Bound::short_side && shorter <= h.side) ||
                    (h.bound == Bound::square && r.width == h.side && r.height == h.side &&
                     r.size == std::uint64_t(h.side) * h.side * h.channels);
  if (!fits)
    fail(name, field,
         n(r.width) + "x" + n(r.height) + " (" + n(r.size) + " bytes) breaks the " + to_string(h.bound) + " bound of " +
             n(h.side));
}

}  // namespace

std::uint64_t fnv1a64(ByteSpan bytes) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (std::size_t i = 0; i < bytes.size; ++i) h = (h ^ bytes.data[i]) * 0x100000001b3ull;
  return h;
}

std::string to_string(Encoding e) { return e == Encoding::jpeg ? "jpeg" : e == Encoding::raw ? "raw" : "unknown"; }

std::string to_string(Bound b) {
  static const char* names[] = {"none", "max_side", "short_side", "square"};
  const auto i = static_cast<std::uint32_t>(b);
  return i < 4 ? names[i] : "unknown";
}

Index parse_pack(ByteSpan file, const std::string& name) {
  Index x;
  x.header = decode_header(file, name);
  const Header& h = x.header;
  check_header(h, file.size, name);
  const ByteSpan index{file.data + h.index_offset, static_cast<std::size_t>(h.index_size)};
  if (fnv1a64(index) != h.index_checksum) fail(name, "index", "corrupt (checksum mismatch)");
  if (index.size < 4) fail(name, "index", "shorter than its 4-byte length field");
  const std::uint32_t meta_size = u32_at(index.data);
  const std::uint64_t records_at = align8(std::uint64_t(4) + meta_size);
  const std::uint64_t count = h.train_count + h.val_count;
  if (records_at > index.size || (index.size - records_at) != count * kRecordSize)
    fail(
        name, "index",
        n(meta_size) + " bytes of metadata and " + n(count) + " records do not fill " + n(index.size) + " index bytes");
  nlohmann::json meta;
  try {
    meta = nlohmann::json::parse(index.data + 4, index.data + 4 + meta_size);
  } catch (const nlohmann::json::exception& e) {
    fail(name, "index.meta", std::string("not JSON: ") + e.what());
  }
  x.meta = decode_meta(meta, h, name);
  x.records.resize(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint8_t* p = index.data + records_at + i * kRecordSize;
    Record& r = x.records[i];
    r = {u64_at(p), u32_at(p + 8), u32_at(p + 12), u32_at(p + 16), u32_at(p + 20)};
    check_record(r, i, h, name);
  }
  return x;
}

std::vector<std::uint8_t> encode_index(const Meta& m, const std::vector<Record>& records) {
  const std::string meta = nlohmann::json{{"classes", m.classes},
                                          {"source", m.source},
                                          {"tool_version", m.tool_version},
                                          {"skipped", m.skipped},
                                          {"skipped_examples", m.skipped_examples}}
                               // A file name that is no UTF-8 (in skipped_examples) gets U+FFFD: the
                               // index stays JSON. The writer refuses such class names beforehand.
                               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::vector<std::uint8_t> b;
  b.reserve(align8(4 + meta.size()) + records.size() * kRecordSize);
  put_u32(b, static_cast<std::uint32_t>(meta.size()));
  b.insert(b.end(), meta.begin(), meta.end());
  b.resize(align8(b.size()), 0);
  for (const Record& r : records) {
    put_u64(b, r.offset);
    put_u32(b, r.size);
    put_u32(b, r.label);
    put_u32(b, r.width);
    put_u32(b, r.height);
  }
  return b;
}

std::vector<std::uint8_t> encode_header(const Header& h) {
  std::vector<std::uint8_t> b(kMagic, kMagic + sizeof kMagic);
  for (std::uint32_t v : {h.version, static_cast<std::uint32_t>(h.encoding), static_cast<std::uint32_t>(h.bound),
                          h.side, h.channels, h.quality, h.num_classes, 0u})
    put_u32(b, v);
  for (std::uint64_t v : {h.train_count, h.val_count, h.index_offset, h.index_size, h.file_size, h.index_checksum})
    put_u64(b, v);
  put_u64(b, fnv1a64({b.data(), b.size()}));
  return b;
}

PackLayout::PackLayout(Header header) : header_(header) {}

std::uint64_t PackLayout::add(bool val, std::uint32_t size, std::uint32_t label, std::uint32_t width,
                              std::uint32_t height) {
  (val ? val_ : train_).push_back({end_, size, label, width, height});
  end_ += size;
  return end_ - size;
}

PackLayout::Tail PackLayout::finish(const Meta& meta) const {
  Tail t;
  std::vector<Record> all = train_;
  all.insert(all.end(), val_.begin(), val_.end());
  t.index = encode_index(meta, all);
  t.header = header_;
  t.header.num_classes = static_cast<std::uint32_t>(meta.classes.size());
  t.header.train_count = train_.size();
  t.header.val_count = val_.size();
  t.header.index_offset = end_;
  t.header.index_size = t.index.size();
  t.header.file_size = end_ + t.index.size();
  t.header.index_checksum = fnv1a64({t.index.data(), t.index.size()});
  t.header_bytes = encode_header(t.header);
  return t;
}

PackInfo pack_info(const Index& x, const std::string& path) {
  PackInfo info{path, x.header, x.meta};
  const Header& h = x.header;
  std::vector<std::int64_t> per_class(h.num_classes, 0), val_per_class(h.num_classes, 0);
  double pixels = 0;
  for (std::uint64_t i = 0; i < x.records.size(); ++i) {
    const Record& r = x.records[i];
    ++(i < h.train_count ? per_class : val_per_class)[r.label];
    info.payload_bytes += r.size;
    pixels += double(r.width) * r.height;
  }
  const auto [lo, hi] = std::minmax_element(per_class.begin(), per_class.end());
  info.train_per_class_min = *lo;
  info.train_per_class_max = *hi;
  info.val_classes_without_images = std::count(val_per_class.begin(), val_per_class.end(), 0);
  const double count = static_cast<double>(std::max<std::size_t>(1, x.records.size()));
  info.mean_payload_bytes = static_cast<double>(info.payload_bytes) / count;
  info.mean_pixels = pixels / count;
  return info;
}

PackInfo read_pack_info(const std::string& path) {
  const MappedFile file(path);
  return pack_info(parse_pack(file.bytes(), path), path);
}

nlohmann::json to_json(const PackInfo& x) {
  const Header& h = x.header;
  return {{"format_version", h.version},
          {"encoding", to_string(h.encoding)},
          {"bound", to_string(h.bound)},
          {"side", h.side},
          {"channels", h.channels},
          {"quality", h.quality},
          {"num_classes", h.num_classes},
          {"train_count", h.train_count},
          {"val_count", h.val_count},
          {"train_per_class_min", x.train_per_class_min},
          {"train_per_class_max", x.train_per_class_max},
          {"val_classes_without_images", x.val_classes_without_images},
          {"file_size", h.file_size},
          {"payload_bytes", x.payload_bytes},
          {"mean_payload_bytes", x.mean_payload_bytes},
          {"mean_pixels", x.mean_pixels},
          {"classes", x.meta.classes},
          {"source", x.meta.source},
          {"tool_version", x.meta.tool_version},
          {"skipped", x.meta.skipped},
          {"skipped_examples", x.meta.skipped_examples}};
}

std::string to_text(const PackInfo& x) {
  // Names and text from the file each stay on their line: a newline or ESC in them is shown escaped.
  const auto line = [](const std::string& s) { return terminal_text(s, /*keep_newlines=*/false); };
  const Header& h = x.header;
  const std::string bound = h.bound == Bound::none        ? "no size bound"
                            : h.encoding == Encoding::raw ? fmt::format("{}x{} px", h.side, h.side)
                                                          : fmt::format("{} {} px", to_string(h.bound), h.side);
  std::vector<std::string> first;
  for (std::size_t i = 0; i < std::min<std::size_t>(4, x.meta.classes.size()); ++i)
    first.push_back(line(x.meta.classes[i]));
  std::string t = fmt::format("{}: pack format version {}, {}, {}{}\n", line(x.path), h.version, to_string(h.encoding),
                              bound, h.quality ? fmt::format(", quality {}", h.quality) : "");
  t += fmt::format("  classes  {} ({}{})\n", h.num_classes, join(first, ", "), h.num_classes > 4 ? ", ..." : "");
  t += fmt::format("  train    {} images ({} to {} per class)\n",
                   format_thousands(static_cast<std::int64_t>(h.train_count)), format_thousands(x.train_per_class_min),
                   format_thousands(x.train_per_class_max));
  t += fmt::format("  val      {} images\n", format_thousands(static_cast<std::int64_t>(h.val_count)));
  t += fmt::format("  size     {} MB ({} kB per image, {} pixels on average)\n",
                   fixed(static_cast<double>(h.file_size) / 1e6, 1), fixed(x.mean_payload_bytes / 1e3, 1),
                   format_count(static_cast<std::int64_t>(x.mean_pixels)));
  t += fmt::format("  source   {} (packed by regnet-explore {})\n", line(x.meta.source), line(x.meta.tool_version));
  t += fmt::format("  skipped  {}\n", plural(x.meta.skipped, "unreadable image"));
  for (const auto& e : x.meta.skipped_examples) t += "           " + line(e) + "\n";
  return t;
}

}  // namespace regnet::pack
