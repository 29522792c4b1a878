// Lan-DeMets alpha spending (core/spending.hpp): both functions against their closed forms
// (O'Brien-Fleming through erfc with the normal quantile written out, Pocock through log), their
// shape on a grid, the clamping of t, and the names.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "core/stats/spending.hpp"

using namespace regnet;

namespace {

// 2 - 2 Phi(z / sqrt(t)) = erfc(z / sqrt(2 t)), z = Phi^-1(1 - alpha / 2) given to 16 digits.
double obf_closed_form(double z, double t) { return std::erfc(z / std::sqrt(2 * t)); }
double pocock_closed_form(double alpha, double t) { return alpha * std::log(1 + (std::exp(1.0) - 1) * t); }

}  // namespace

TEST_CASE("spending: O'Brien-Fleming and Pocock match their closed forms", "[spending]") {
  const double z975 = 1.959963984540054, z9875 = 2.241402727604947;
  for (double t : {0.1, 0.25, 0.5, 0.75, 0.9}) {
    INFO("t = " << t);
    CHECK(spent_alpha(Spending::obrien_fleming, 0.05, t) == Approx(obf_closed_form(z975, t)).epsilon(1e-9));
    CHECK(spent_alpha(Spending::obrien_fleming, 0.025, t) == Approx(obf_closed_form(z9875, t)).epsilon(1e-9));
    CHECK(spent_alpha(Spending::pocock, 0.05, t) == Approx(pocock_closed_form(0.05, t)).epsilon(1e-12));
    CHECK(spent_alpha(Spending::pocock, 0.01, t) == Approx(pocock_closed_form(0.01, t)).epsilon(1e-12));
  }
  CHECK(spent_alpha(Spending::obrien_fleming, 0.05, 0.5) == Approx(0.005574596680784).epsilon(1e-9));
  CHECK(spent_alpha(Spending::pocock, 0.05, 0.5) == Approx(0.031005725347914).epsilon(1e-12));
}

TEST_CASE("spending: from 0 to alpha, increasing, O'Brien-Fleming below Pocock before the end", "[spending]") {
  for (Spending s : {Spending::obrien_fleming, Spending::pocock}) {
    INFO(to_string(s));
    CHECK(spent_alpha(s, 0.05, -0.5) == 0);  // t is clamped to [0, 1]
    CHECK(spent_alpha(s, 0.05, 0) == 0);
    CHECK(spent_alpha(s, 0.05, 1) == 0.05);  // exactly alpha at the end
    CHECK(spent_alpha(s, 0.05, 3) == 0.05);
    double before = 0;
    for (int k = 1; k < 100; ++k) {
      const double a = spent_alpha(s, 0.05, k / 100.0);
      CHECK(a > before);
      CHECK(a < 0.05);
      before = a;
    }
  }
  for (double t : {0.05, 0.2, 0.5, 0.8, 0.99})
    CHECK(spent_alpha(Spending::obrien_fleming, 0.05, t) < spent_alpha(Spending::pocock, 0.05, t));
}

TEST_CASE("spending: names round-trip, obf is short for obrien-fleming, others are one error line", "[spending]") {
  CHECK(spending_names() == std::vector<std::string>{"obrien-fleming", "pocock"});
  for (const auto& name : spending_names()) CHECK(to_string(spending_from_string(name)) == name);
  CHECK(spending_from_string("obf") == Spending::obrien_fleming);
  CHECK_THROWS_AS(spending_from_string("Pocock"), UserError);
  CHECK_THROWS_WITH(spending_from_string("linear"),
                    "spending: 'linear' is not a spending function (obrien-fleming, pocock)");
  CHECK_THROWS_WITH(spending_from_string("", "cmp/compare.json: design"),
                    "cmp/compare.json: design: spending: '' is not a spending function (obrien-fleming, pocock)");
}
