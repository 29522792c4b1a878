// Pack files (core/pack_format, docs/data.md) as parse_pack reads them: the input as it is, and
// a copy with both checksums recomputed, so that mutations reach the checks behind them. A pack
// read has every payload inside its payload area, pack_info describes it, and its metadata and
// records written again by encode_index parse back the same.
#include <cstring>
#include <vector>

#include "core/formats/pack_format.hpp"
#include "fuzz_target.hpp"

using namespace regnet;
using namespace regnet::pack;

namespace {

std::uint64_t u64_at(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
  return v;
}
void put_u64_at(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// The same bytes with the index and header checksums made right (where the header says where
// the index is).
std::vector<std::uint8_t> with_checksums(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> f(data, data + size);
  if (size < kHeaderSize) return f;
  const std::uint64_t index_offset = u64_at(f.data() + 56);
  if (index_offset <= size) put_u64_at(f.data() + 80, fnv1a64({f.data() + index_offset, size - index_offset}));
  put_u64_at(f.data() + 88, fnv1a64({f.data(), kHeaderSize - 8}));
  return f;
}

void read_back(const std::vector<std::uint8_t>& f, const Index& x) {
  const auto index = encode_index(x.meta, x.records);
  std::vector<std::uint8_t> again(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(x.header.index_offset));
  again.insert(again.end(), index.begin(), index.end());
  Header h = x.header;
  h.index_size = index.size();
  h.file_size = again.size();
  h.index_checksum = fnv1a64({index.data(), index.size()});
  const auto hb = encode_header(h);
  std::memcpy(again.data(), hb.data(), kHeaderSize);
  const Index y = parse_pack({again.data(), again.size()}, "again.pack");
  fuzz::check(y.meta.classes == x.meta.classes && y.meta.source == x.meta.source, "metadata does not read back");
  fuzz::check(y.records.size() == x.records.size(), "records do not read back");
  for (std::size_t i = 0; i < x.records.size(); ++i) {
    const Record &a = x.records[i], &b = y.records[i];
    fuzz::check(
        a.offset == b.offset && a.size == b.size && a.label == b.label && a.width == b.width && a.height == b.height,
        "record " + std::to_string(i) + " does not read back");
  }
}

void read(const std::vector<std::uint8_t>& f) {
  const Index x = parse_pack({f.data(), f.size()}, "imagenet.pack");
  fuzz::check(x.records.size() == x.header.train_count + x.header.val_count, "a record count off");
  for (const Record& r : x.records)
    fuzz::check(r.offset >= kHeaderSize && r.offset + r.size <= x.header.index_offset, "a payload outside");
  const PackInfo info = pack_info(x, "imagenet.pack");
  to_json(info);
  to_text(info);
  read_back(f, x);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::run(data, size, [&](const std::string&) { read({data, data + size}); });
  return fuzz::run(data, size, [&](const std::string&) { read(with_checksums(data, size)); });
}
