#include "cli/number_options.hpp"

namespace regnet::cli {

CLI::Validator canonical_number(std::function<std::string(const std::string&)> parse, const std::string& bound) {
  return CLI::Validator(
      [parse](std::string& text) -> std::string {
        try {
          text = parse(text);
          return "";
        } catch (const UserError& e) {
          return e.what();
        }
      },
      "in " + bound, kBoundedCheck);
}

CLI::Validator seed_number() {
  return canonical_number([](const std::string& t) { return std::to_string(bounded_seed(t)); }, "[0, 2^64 - 1]");
}

CLI::Validator real_number(double lo, double hi, bool open_lo, bool open_hi) {
  const RealBound bound{lo, hi, open_lo, open_hi};
  return canonical_number(
      [bound](const std::string& t) {
        bounded_real(t, bound);
        return t;
      },
      bound.text());
}

std::vector<std::string> unbounded_numbers(CLI::App& app, const std::string& path) {
  std::vector<std::string> out;
  for (CLI::Option* o : app.get_options()) {
    const std::string type = o->get_type_name();
    const bool numeric = type.rfind("INT", 0) == 0 || type.rfind("UINT", 0) == 0 || type.rfind("FLOAT", 0) == 0;
    if (!numeric) continue;
    try {
      o->get_validator(kBoundedCheck);
    } catch (const CLI::OptionNotFound&) {
      out.push_back(path + o->get_name());
    }
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    for (const auto& o : unbounded_numbers(*sub, path + sub->get_name() + " ")) out.push_back(o);
  return out;
}

void name_hidden_numbers(CLI::App& app) {
  for (CLI::Option* o : app.get_options()) {
    if (!o->get_group().empty() || (o->get_lnames().empty() && o->get_snames().empty())) continue;
    const std::string name = o->get_lnames().empty() ? "-" + o->get_snames().front() : "--" + o->get_lnames().front();
    try {
      CLI::Validator* v = o->get_validator(kBoundedCheck);
      const CLI::Validator inner = *v;
      *v = CLI::Validator(
          [inner, name](std::string& text) {
            const std::string e = inner(text);
            return e.empty() ? e : name + ": " + e;
          },
          inner.get_description(), kBoundedCheck);
    } catch (const CLI::OptionNotFound&) {
    }
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) name_hidden_numbers(*sub);
}

}  // namespace regnet::cli
