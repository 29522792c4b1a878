#pragma once
// A command's options as a table, one row each: names ("--out,-o"), the field it sets, help, and
// optionally a check and flags. A bool field is a flag. A numeric field's check is its bound
// (number_options.hpp), bound as a transform so that the canonical text is what CLI11 reads.
#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace regnet::cli {

// kCommaList: a list option also takes "a,b,c".
enum OptionFlag : unsigned { kRequired = 1, kShowDefault = 2, kHidden = 4, kCommaList = 8 };

struct OptionRow {
  template <class T>
  OptionRow(const char* names, T& field, const char* help, unsigned flags = 0)
      : add(binder(names, field, help)), flags(flags) {}
  template <class T>
  OptionRow(const char* names, T& field, const char* help, CLI::Validator check, unsigned flags = 0)
      : add(binder(names, field, help)), check(std::move(check)), flags(flags) {}

  template <class T>
  static std::function<CLI::Option*(CLI::App*)> binder(const char* names, T& field, const char* help) {
    return [names, &field, help](CLI::App* cmd) {
      if constexpr (std::is_same_v<T, bool>)
        return cmd->add_flag(names, field, help);
      else
        return cmd->add_option(names, field, help);
    };
  }

  std::function<CLI::Option*(CLI::App*)> add;
  std::optional<CLI::Validator> check;
  unsigned flags = 0;
};

void add_options(CLI::App* cmd, const std::vector<OptionRow>& rows);

}  // namespace regnet::cli
