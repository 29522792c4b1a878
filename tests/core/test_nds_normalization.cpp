// NDS normalization of several samples over one shared complexity range: the range (the
// intersection, or given), the bins and weights, the automatic K, and the errors that name the
// sample and the bin.
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>

#include "core/base/error.hpp"
#include "core/stats/nds_normalization.hpp"

using namespace regnet;

namespace {

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

}  // namespace

TEST_CASE("nds: the default range is the intersection, models outside it weigh 0", "[stats]") {
  // a spans [1, 9], b spans [3, 12]: the shared range is [3, 9].
  const std::vector<std::vector<double>> c = {{1, 2, 3, 4, 6, 8, 9}, {3, 5, 7, 9, 10, 12}};
  CHECK(shared_range(c).lo == 3);
  CHECK(shared_range(c).hi == 9);
  NdsOptions o;
  o.bins = 2;  // edges 3, 6, 9
  const NdsNormalization n = nds_normalize(c, {"a", "b"}, o);
  CHECK(n.range_auto);
  CHECK_FALSE(n.bins_auto);
  CHECK(n.edges == std::vector<double>{3, 6, 9});
  CHECK(n.bin[0] == std::vector<int>{-1, -1, 0, 0, 1, 1, 1});
  CHECK(n.bin[1] == std::vector<int>{0, 0, 1, 1, -1, -1});
  CHECK(n.outside == std::vector<int>{2, 2});
  CHECK(n.weights[0] == std::vector<double>{0, 0, 0.25, 0.25, 1.0 / 6, 1.0 / 6, 1.0 / 6});
  CHECK(n.weights[1] == std::vector<double>{0.25, 0.25, 0.25, 0.25, 0, 0});
  CHECK(sum(n.weights[0]) == Approx(1.0));
  CHECK(sum(n.weights[1]) == Approx(1.0));
}

TEST_CASE("nds: a given range, one side given, log bins", "[stats]") {
  const std::vector<std::vector<double>> c = {{1, 2, 4, 8, 16}, {1, 3, 5, 16}};
  NdsOptions o;
  o.bins = 1;
  o.lo = 2;
  NdsNormalization n = nds_normalize(c, {"a", "b"}, o);
  CHECK_FALSE(n.range_auto);
  CHECK(n.range.lo == 2);
  CHECK(n.range.hi == 16);  // the intersection's
  CHECK(n.outside == std::vector<int>{1, 1});
  // Log bins over [1, 16] with K = 2: edges 1, 4, 16 (linear would be 1, 8.5, 16).
  o = NdsOptions{};
  o.bins = 2;
  o.log_bins = true;
  n = nds_normalize(c, {"a", "b"}, o);
  REQUIRE(n.edges.size() == 3);
  CHECK(n.edges[0] == 1);
  CHECK(n.edges[1] == Approx(4));
  CHECK(n.edges[2] == 16);
  CHECK(n.bin[0] == std::vector<int>{0, 0, 1, 1, 1});
  CHECK(n.bin[1] == std::vector<int>{0, 0, 1, 1});
  o.lo = 0;
  CHECK_THROWS_WITH(nds_normalize(c, {"a", "b"}, o), Catch::Contains("log bins need LO > 0"));
}

TEST_CASE("nds: the automatic K backs off until every sample has every bin non-empty", "[stats]") {
  // 40 models each (K <= 4). b lies in [0, 4.9] but for one model at 10: K = 4 over [0, 10] leaves
  // its bin [5, 7.5) empty; K = 3 does not ([0, 3.33), [3.33, 6.67), [6.67, 10]).
  std::vector<double> a, b;
  for (int i = 0; i < 40; ++i) a.push_back(i * 10.0 / 39);
  for (int i = 0; i < 39; ++i) b.push_back(i * 4.9 / 38);
  b.push_back(10);
  const NdsNormalization n = nds_normalize({a, b}, {"a", "b"}, NdsOptions{});
  CHECK(n.bins_auto);
  CHECK(n.bins == 3);
  CHECK(n.range.lo == 0);
  CHECK(n.range.hi == 10);
  // Few models: K = 1 (n/10 < 2).
  CHECK(nds_normalize({{1, 2, 3}, {1, 2, 3}}, {"a", "b"}, NdsOptions{}).bins == 1);
}

TEST_CASE("nds: errors name the sample, the bin and what to do", "[stats]") {
  NdsOptions o;
  o.measure = "flops";
  o.hint = ", or skip normalization with --normalize none";
  CHECK_THROWS_WITH(nds_normalize({{1e6, 2e6}, {3e6, 4e6}}, {"xa", "xb"}, o),
                    "--range: the flops ranges of the samples do not overlap (xa 1M..2M, xb 3M..4M), so there is no "
                    "shared range to normalize over; give one with --range LO:HI, or skip normalization with "
                    "--normalize none");
  o.lo = 5e6;
  o.hi = 6e6;
  CHECK_THROWS_WITH(nds_normalize({{1e6, 7e6}, {5e6, 6e6}}, {"xa", "xb"}, o),
                    Catch::StartsWith("--range: the shared flops range [5M, 6M] holds none of the 2 models of xa (its "
                                      "range 1M..7M)"));
  o.hi = 4e6;
  CHECK_THROWS_WITH(nds_normalize({{1e6, 7e6}, {5e6, 6e6}}, {"xa", "xb"}, o), Catch::Contains("is empty (LO > HI"));
  // K = 3 over [0, 9]: b has nothing in bin 2, [3, 6).
  o = NdsOptions{};
  o.measure = "flops";
  o.bins = 3;
  CHECK_THROWS_WITH(nds_normalize({{0, 4, 9}, {0, 1, 7, 9}}, {"xa", "xb"}, o),
                    "--bins: 3 flops bins over the shared range [0, 9] leave bin 2 [3, 6) of xb empty (4 of its 4 "
                    "models are in the range); use a smaller --bins, e.g. 2 (or 0 to choose automatically)");
  o.bins = -1;
  CHECK_THROWS_AS(nds_normalize({{1}}, {"xa"}, o), UserError);
}

TEST_CASE("nds: complexities read as SI counts", "[stats]") {
  CHECK(complexity_text(3604000) == "3.604M");
  CHECK(complexity_text(412000) == "412k");
  CHECK(complexity_text(12.5) == "12.5");
  CHECK(complexity_text(1.6e9) == "1.6G");
}
