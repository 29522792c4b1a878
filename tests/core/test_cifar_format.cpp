// CIFAR-10's binary batches: records of a label and 3072 pixel bytes parse to views; an empty
// file, a partial record or a label above 9 is one UserError naming the file.
#include <catch2/catch.hpp>

#include "core/base/error.hpp"
#include "core/formats/cifar_format.hpp"

using namespace regnet;

namespace {

std::vector<std::uint8_t> batch_file(const std::vector<std::uint8_t>& labels) {
  std::vector<std::uint8_t> b;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    b.push_back(labels[i]);
    b.insert(b.end(), cifar::kImageBytes, static_cast<std::uint8_t>(100 + i));
  }
  return b;
}

cifar::Batch parse(const std::vector<std::uint8_t>& b) { return cifar::parse_batch({b.data(), b.size()}, "b.bin"); }

}  // namespace

TEST_CASE("cifar format: a batch parses to its records", "[cifar]") {
  const auto f = batch_file({3, 9, 0});
  const cifar::Batch b = parse(f);
  REQUIRE(b.count() == 3);
  CHECK(b.label(0) == 3);
  CHECK(b.label(1) == 9);
  CHECK(b.pixels(1) == f.data() + cifar::kRecordSize + 1);
  CHECK(b.pixels(2)[0] == 102);
  CHECK(b.pixels(2)[cifar::kImageBytes - 1] == 102);
}

TEST_CASE("cifar format: damage is one error naming the file", "[cifar]") {
  CHECK_THROWS_WITH(parse({}), Catch::StartsWith("b.bin") && Catch::Contains("0 bytes is not a whole number"));
  auto cut = batch_file({1, 2});
  cut.pop_back();
  CHECK_THROWS_WITH(parse(cut), Catch::Contains("6145 bytes is not a whole number of 3073-byte records"));
  CHECK_THROWS_WITH(parse(batch_file({1, 10, 2})),
                    Catch::StartsWith("b.bin") && Catch::Contains("label 10 at record 1"));
  CHECK_THROWS_AS(parse(batch_file({255})), UserError);
}
