#include "cli/option_table.hpp"

#include "cli/number_options.hpp"

namespace regnet::cli {

void add_options(CLI::App* cmd, const std::vector<OptionRow>& rows) {
  for (const OptionRow& r : rows) {
    CLI::Option* o = r.add(cmd);
    if (r.check) r.check->get_name() == kBoundedCheck ? o->transform(*r.check) : o->check(*r.check);
    if (r.flags & kRequired) o->required();
    if (r.flags & kShowDefault) o->capture_default_str();
    if (r.flags & kHidden) o->group("");
    if (r.flags & kCommaList) o->delimiter(',');
  }
}

}  // namespace regnet::cli
