// The pack format: packs laid out in memory read back exactly; every kind of damage (truncation,
// another version, flipped bytes, records pointing outside the payload area) is one UserError
// naming the file, never a read outside the bytes.
#include <catch2/catch.hpp>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "core/base/rng.hpp"
#include "core/base/text.hpp"
#include "core/formats/pack_format.hpp"

using namespace regnet;
using namespace regnet::pack;

namespace {

struct Item {
  bool val;
  std::uint32_t label, width, height;
  std::vector<std::uint8_t> payload;
};

std::vector<std::uint8_t> build(Header h, const Meta& meta, const std::vector<Item>& items) {
  PackLayout layout(h);
  std::vector<std::uint8_t> file(kHeaderSize, 0);
  for (const auto& it : items) {
    const auto at = layout.add(it.val, static_cast<std::uint32_t>(it.payload.size()), it.label, it.width, it.height);
    REQUIRE(at == file.size());
    file.insert(file.end(), it.payload.begin(), it.payload.end());
  }
  const auto tail = layout.finish(meta);
  REQUIRE(tail.header.index_offset == file.size());
  file.insert(file.end(), tail.index.begin(), tail.index.end());
  std::memcpy(file.data(), tail.header_bytes.data(), kHeaderSize);
  return file;
}

Meta three_classes() {
  Meta m;
  m.classes = {"n01", "n02", "n03"};
  m.source = "synthetic";
  m.tool_version = "test";
  return m;
}

std::vector<Item> raw_items(std::uint32_t side) {
  std::vector<Item> items;
  for (std::uint32_t i = 0; i < 7; ++i)
    items.push_back(
        {i >= 5, i % 3, side, side, std::vector<std::uint8_t>(side * side * 3, static_cast<std::uint8_t>(i))});
  return items;
}

Header raw_header(std::uint32_t side) {
  Header h;
  h.encoding = Encoding::raw;
  h.bound = Bound::square;
  h.side = side;
  return h;
}

Index parse(const std::vector<std::uint8_t>& f) { return parse_pack({f.data(), f.size()}, "x.pack"); }

}  // namespace

TEST_CASE("pack format: a laid-out pack parses back exactly", "[pack]") {
  auto items = raw_items(4);
  std::swap(items[1], items[5]);  // a val payload between train payloads: the index still lists train first
  const auto file = build(raw_header(4), three_classes(), items);
  const Index x = parse(file);
  CHECK(x.header.version == kVersion);
  CHECK(x.header.encoding == Encoding::raw);
  CHECK(x.header.num_classes == 3);
  CHECK(x.header.train_count == 5);
  CHECK(x.header.val_count == 2);
  CHECK(x.header.file_size == file.size());
  CHECK(x.meta.classes == std::vector<std::string>{"n01", "n02", "n03"});
  CHECK(x.meta.source == "synthetic");
  REQUIRE(x.records.size() == 7);
  // Train records in the order added, then val ones: the payload bytes say which item.
  std::vector<std::uint8_t> got;
  for (const auto& r : x.records) {
    CHECK(r.size == 48);
    got.push_back(file[r.offset]);
    CHECK(file[r.offset + r.size - 1] == file[r.offset]);
  }
  std::vector<std::uint8_t> expect;
  for (const auto& it : items)
    if (!it.val) expect.push_back(it.payload[0]);
  for (const auto& it : items)
    if (it.val) expect.push_back(it.payload[0]);
  CHECK(got == expect);
  const PackInfo info = pack_info(x, "x.pack");
  CHECK(info.train_per_class_min == 1);
  CHECK(info.train_per_class_max == 2);
  CHECK(info.val_classes_without_images == 1);
  CHECK(info.payload_bytes == 7 * 48);
  const auto j = to_json(info);
  CHECK(j["train_count"] == 5);
  CHECK(j["train_per_class_min"] == 1);
  CHECK(j["train_per_class_max"] == 2);
  CHECK(j["encoding"] == "raw");
  CHECK(j["mean_pixels"] == 16.0);
  CHECK(to_text(info) ==
        "x.pack: pack format version 1, raw, 4x4 px\n"
        "  classes  3 (n01, n02, n03)\n"
        "  train    5 images (1 to 2 per class)\n"
        "  val      2 images\n"
        "  size     " +
            fixed(static_cast<double>(file.size()) / 1e6, 1) +
            " MB (0.0 kB per image, 16 pixels on average)\n"
            "  source   synthetic (packed by regnet-explore test)\n"
            "  skipped  0 unreadable images\n");
}

TEST_CASE("pack format: truncated, foreign, other-version and corrupt files name the file", "[pack]") {
  const auto good = build(raw_header(4), three_classes(), raw_items(4));
  auto expect = [](std::vector<std::uint8_t> f, const std::string& what) {
    CHECK_THROWS_AS(parse(f), UserError);
    CHECK_THROWS_WITH(parse(f), Catch::StartsWith("x.pack") && Catch::Contains(what));
  };
  expect({good.begin(), good.begin() + 50}, "header");
  expect({good.begin(), good.end() - 1}, "truncated");
  auto longer = good;
  longer.push_back(0);
  expect(longer, "appended");
  auto foreign = good;
  foreign[0] = 'X';
  expect(foreign, "not a regnet-explore pack");
  auto v2 = good;
  v2[8] = 2;
  expect(v2, "header.version: 2");
  auto flipped = good;
  flipped[30] ^= 1;  // quality: caught by the header checksum
  expect(flipped, "header: corrupt");
  auto index = good;
  index[index.size() - 3] ^= 0x40;  // a record field
  expect(index, "index: corrupt");
}

TEST_CASE("pack format: records are checked against the payload area, classes and bound", "[pack]") {
  // Valid checksums around invalid contents: the checks behind them must hold on their own.
  auto with_record = [](Record r) {
    Header h = raw_header(4);
    PackLayout layout(h);
    layout.add(false, 48, 0, 4, 4);
    auto tail = layout.finish(three_classes());
    std::vector<std::uint8_t> file(kHeaderSize + 48, 0);
    auto idx = encode_index(three_classes(), {r});
    file.insert(file.end(), idx.begin(), idx.end());
    tail.header.index_size = idx.size();
    tail.header.file_size = file.size();
    tail.header.index_checksum = fnv1a64({idx.data(), idx.size()});
    const auto hb = encode_header(tail.header);
    std::memcpy(file.data(), hb.data(), kHeaderSize);
    return file;
  };
  const std::uint64_t at = kHeaderSize;
  CHECK_NOTHROW(parse(with_record({at, 48, 2, 4, 4})));
  CHECK_THROWS_WITH(parse(with_record({at + 1, 48, 0, 4, 4})),
                    Catch::Contains("index.records[0]") && Catch::Contains("outside"));
  CHECK_THROWS_WITH(parse(with_record({0, 48, 0, 4, 4})), Catch::Contains("outside"));
  CHECK_THROWS_WITH(parse(with_record({at, 0xffffffffu, 0, 4, 4})), Catch::Contains("outside"));
  CHECK_THROWS_WITH(parse(with_record({~std::uint64_t(0) - 10, 48, 0, 4, 4})), Catch::Contains("outside"));
  CHECK_THROWS_WITH(parse(with_record({at, 48, 3, 4, 4})), Catch::Contains("label 3 >= 3"));
  CHECK_THROWS_WITH(parse(with_record({at, 40, 0, 4, 4})), Catch::Contains("square bound"));
  CHECK_THROWS_WITH(parse(with_record({at, 48, 0, 0, 4})), Catch::Contains("not an image size"));
  // JPEG packs: dimensions within the bound they were packed with.
  Header j;
  j.encoding = Encoding::jpeg;
  j.bound = Bound::max_side;
  j.side = 64;
  j.quality = 90;
  const std::vector<std::uint8_t> bytes(10, 1);
  CHECK_NOTHROW(parse(build(j, three_classes(), {{false, 0, 64, 48, bytes}})));
  CHECK_THROWS_WITH(parse(build(j, three_classes(), {{false, 0, 65, 48, bytes}})),
                    Catch::Contains("max_side bound of 64"));
  j.bound = Bound::short_side;
  CHECK_NOTHROW(parse(build(j, three_classes(), {{false, 0, 300, 64, bytes}})));
  CHECK_THROWS_WITH(parse(build(j, three_classes(), {{true, 0, 65, 65, bytes}})), Catch::Contains("training"));
  // Header fields that do not go together.
  j.bound = Bound::square;
  CHECK_THROWS_WITH(parse(build(j, three_classes(), {{false, 0, 64, 64, bytes}})), Catch::Contains("header.bound"));
  Meta none = three_classes();
  none.classes.clear();
  CHECK_THROWS_WITH(parse(build(raw_header(4), none, {})), Catch::Contains("header.num_classes"));
}

TEST_CASE("pack format: every truncation and random damage is an error or a valid parse, never a crash", "[pack]") {
  const auto good = build(raw_header(2), three_classes(), raw_items(2));
  for (std::size_t n = 0; n < good.size(); ++n) {
    std::vector<std::uint8_t> cut(good.begin(), good.begin() + n);  // its own allocation: ASan sees overreads
    CHECK_THROWS_AS(parse(cut), UserError);
  }
  SplitMix64 rng(7);
  int parsed = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    auto f = good;
    const int flips = 1 + static_cast<int>(rng.below(4));
    for (int k = 0; k < flips; ++k) f[rng.below(f.size())] ^= static_cast<std::uint8_t>(1 + rng.below(255));
    try {
      parse(f);
      ++parsed;  // damage to payload bytes only: the index does not cover them
    } catch (const UserError&) {
    }
  }
  CHECK(parsed > 0);
  CHECK(parsed < 3000);
}
