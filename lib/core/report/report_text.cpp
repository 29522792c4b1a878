#include "core/report/report_text.hpp"

#include <cmath>

#include "core/base/text.hpp"

namespace regnet {

std::string fixed_or_na(double v, int decimals) { return std::isfinite(v) ? fixed(v, decimals) : "n/a"; }

std::string significant_or_na(double v, int digits) { return std::isfinite(v) ? significant(v, digits) : "n/a"; }

std::string value_text(double v) {
  if (!std::isfinite(v)) return "n/a";
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e9) return fixed(v, 0);
  return significant(v, std::fabs(v) < 10 ? 3 : 4);
}

namespace {

std::string signed_fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "n/a";
  const std::string t = fixed(v, decimals);
  return t[0] == '-' ? t : "+" + t;
}

}  // namespace

std::string difference_text(const DifferenceBand& d, int decimals) {
  const std::string e = signed_fixed(d.estimate, decimals);
  if (!std::isfinite(d.lo) || !std::isfinite(d.hi)) return e;
  return e + " [" + signed_fixed(d.lo, decimals) + ", " + signed_fixed(d.hi, decimals) + "]";
}

std::string power_text(const KsPower& p) {
  if (p.needed > 0) return std::to_string(p.needed) + " models per space";
  return "more than " + std::to_string(p.largest) + " models per space";
}

std::string plain_label(const std::string& label) {
  std::string out;
  for (char c : label)
    if (c != '_') out += c;
  return out;
}

}  // namespace regnet
