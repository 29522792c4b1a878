#pragma once
// Integer options read strictly (core/units.hpp's parse_integer / parse_unsigned). CLI11 alone reads
// "-1" into an unsigned as 2^64 - 1, "010" as 8, "0x10" as 16 and clamps huge values: each of these
// is an error or a plain decimal here. The validator passes the canonical decimal on to CLI11.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>

#include "core/base/error.hpp"
#include "core/base/units.hpp"

namespace regnet::cli {

// Replaces the option's text by parse(text), or reports parse's UserError (CLI11 prefixes the option's name).
inline CLI::Validator canonical_number(std::function<std::string(const std::string&)> parse, const char* name) {
  return CLI::Validator(
      [parse](std::string& text) -> std::string {
        try {
          text = parse(text);
          return "";
        } catch (const UserError& e) {
          return e.what();
        }
      },
      "", name);
}

// A value of the option's (signed) type T within [lo, hi].
template <typename T>
CLI::Validator whole_number(std::int64_t lo = std::numeric_limits<T>::min(),
                            std::int64_t hi = std::numeric_limits<T>::max()) {
  return canonical_number([lo, hi](const std::string& t) { return std::to_string(parse_integer(t, "", lo, hi)); },
                          "whole number");
}

// A seed: 0 .. 2^64 - 1.
inline CLI::Validator seed_number() {
  return canonical_number([](const std::string& t) { return std::to_string(parse_unsigned(t)); }, "seed");
}

}  // namespace regnet::cli
