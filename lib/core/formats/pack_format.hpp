#pragma once
// The pack file: an image dataset (train and val splits, class names, labels) in one file that
// is read by mmap with random access. Torch-free; docs/data.md is the specification.
//
//   [header: 96 bytes] [payloads: encoded JPEGs or raw pixels, back to back] [index]
//
// The writer fills the payloads, then the index, then the header last, so a file that a killed
// writer left behind never carries a valid header. parse_pack() checks every size and offset
// before anything is read through them: it is the entry point for fuzzing.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/base/mapped_file.hpp"

namespace regnet::pack {

inline constexpr std::uint32_t kVersion = 1;
inline constexpr std::size_t kHeaderSize = 96;
inline constexpr std::size_t kRecordSize = 24;
inline constexpr char kMagic[8] = {'R', 'E', 'G', 'N', 'P', 'A', 'C', 'K'};

enum class Encoding : std::uint32_t { jpeg = 1, raw = 2 };
// How the packer bounded each image: JPEGs by their longer or shorter side (never enlarged),
// raw images to exactly side x side (short side resized to `side`, centre crop).
enum class Bound : std::uint32_t { none = 0, max_side = 1, short_side = 2, square = 3 };

struct Header {
  std::uint32_t version = kVersion;
  Encoding encoding = Encoding::jpeg;
  Bound bound = Bound::none;
  std::uint32_t side = 0;      // the bound in pixels (0 with Bound::none)
  std::uint32_t channels = 3;  // of the decoded images (raw payloads: bytes per pixel)
  std::uint32_t quality = 0;   // JPEG quality of re-encoded images (0 for raw)
  std::uint32_t num_classes = 0;
  std::uint64_t train_count = 0, val_count = 0;
  std::uint64_t index_offset = 0, index_size = 0, file_size = 0;
  std::uint64_t index_checksum = 0;  // FNV-1a 64 of the index bytes
};

struct Record {
  std::uint64_t offset = 0;  // of the payload, from the start of the file
  std::uint32_t size = 0;    // payload bytes
  std::uint32_t label = 0;   // index into Meta::classes
  std::uint32_t width = 0, height = 0;
};

struct Meta {
  std::vector<std::string> classes;  // sorted names of ROOT/train's class directories
  std::string source;                // the folder it was packed from, as given
  std::string tool_version;
  std::int64_t skipped = 0;                   // unreadable images left out
  std::vector<std::string> skipped_examples;  // the first few of them
};

struct Index {
  Header header;
  Meta meta;
  std::vector<Record> records;  // train_count training records, then val_count val records
};

// Validates the whole file held in `file` (typically a MappedFile's bytes): magic, version,
// header checksum, total size (a truncated copy), index checksum and layout, and every record
// (payload inside the payload area, label below the class count, raw payload of exactly
// side*side*channels bytes, JPEG dimensions within the bound). Reads no payload. Throws
// UserError naming `name` on the first problem; never reads outside the span.
Index parse_pack(ByteSpan file, const std::string& name);

// Lays a pack out as its payloads arrive, in any order of splits: the offset of each payload,
// then the index and header bytes. The caller writes the bytes (pack_writer in lib/train
// writes a file; tests build packs in memory): payloads from kHeaderSize on, back to back,
// then the index at header.index_offset, then the header at 0.
class PackLayout {
 public:
  // `header` gives encoding, bound, side, channels, quality; the class count, counts and
  // offsets are filled in by finish().
  explicit PackLayout(Header header);
  // Where a payload of `size` bytes goes.
  std::uint64_t add(bool val, std::uint32_t size, std::uint32_t label, std::uint32_t width, std::uint32_t height);
  std::uint64_t payload_end() const { return end_; }
  struct Tail {
    Header header;
    std::vector<std::uint8_t> index, header_bytes;
  };
  Tail finish(const Meta& meta) const;

 private:
  Header header_;
  std::vector<Record> train_, val_;
  std::uint64_t end_ = kHeaderSize;
};

// The index section for `meta` and `records`.
std::vector<std::uint8_t> encode_index(const Meta& meta, const std::vector<Record>& records);
// The kHeaderSize header bytes, with its checksum.
std::vector<std::uint8_t> encode_header(const Header& header);

std::uint64_t fnv1a64(ByteSpan bytes);
std::string to_string(Encoding e);
std::string to_string(Bound b);

// What `data info` shows: format, bound, counts per split and class, sizes.
struct PackInfo {
  std::string path;
  Header header;
  Meta meta;
  std::int64_t train_per_class_min = 0, train_per_class_max = 0;
  std::int64_t val_classes_without_images = 0;
  std::uint64_t payload_bytes = 0;
  double mean_payload_bytes = 0, mean_pixels = 0;  // per record
};
PackInfo pack_info(const Index& index, const std::string& path);
// Maps the file, checks it whole (parse_pack) and describes it.
PackInfo read_pack_info(const std::string& path);
nlohmann::json to_json(const PackInfo& info);
std::string to_text(const PackInfo& info);

}  // namespace regnet::pack
