#include "core/base/bounded_number.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>

#include "core/base/error.hpp"
#include "core/base/text.hpp"
#include "core/base/units.hpp"

namespace regnet {

std::string interval_text(std::int64_t lo, std::int64_t hi) {
  return "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
}

std::int64_t bounded_integer(const std::string& t, std::int64_t lo, std::int64_t hi) {
  const bool sign = !t.empty() && (t[0] == '-' || t[0] == '+');
  if (t.size() == (sign ? 1u : 0u) || t.find_first_not_of("0123456789", sign ? 1 : 0) != std::string::npos)
    fail("", "", "'" + printable(t) + "' is not a whole number (it must be in " + interval_text(lo, hi) + ")");
  try {
    return parse_integer(t, "", lo, hi);
  } catch (const UserError&) {
    fail("", "", t + " must be in " + interval_text(lo, hi));
  }
}

std::uint64_t bounded_seed(const std::string& t) {
  try {
    return parse_unsigned(t);
  } catch (const UserError& e) {
    fail("", "",
         std::string(e.what()) + " (a seed is in [0, " + std::to_string(std::numeric_limits<std::uint64_t>::max()) +
             "])");
  }
}

std::string RealBound::text() const {
  return (open_lo ? "(" : "[") + shortest(lo) + ", " + shortest(hi) + (open_hi ? ")" : "]");
}

double bounded_real(const std::string& t, const RealBound& bound) {
  char* end = nullptr;
  const bool plain = !t.empty() && t.find_first_not_of("0123456789+-.eE") == std::string::npos;
  const double v = plain ? std::strtod(t.c_str(), &end) : 0.0;
  if (!plain || end != t.c_str() + t.size() || !std::isfinite(v))
    fail("", "", "'" + printable(t) + "' is not a number in " + bound.text());
  if (!bound.contains(v)) fail("", "", t + " must be in " + bound.text());
  return v;
}

}  // namespace regnet
