// regnet-explore: explore AnyNet/RegNet design spaces (Radosavovic et al., CVPR 2020).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <malloc.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "core/base/error.hpp"
#include "core/base/logging.hpp"
#include "core/base/terminal_text.hpp"
#include "number_options.hpp"

namespace regnet::cli {

// Every subcommand, in --help order (ninja's driver style: one row per tool).
const Tool kTools[] = {
    {"spaces", "List design spaces with their parameters, constraints and network defaults", add_spaces_command, false},
    {"sample", "Draw N models from a design space into a complexity window; write a sweep", add_sample_command, false},
    {"describe", "Show a model's stages, block widths and flops/params/acts", add_describe_command, false},
    {"train", "Train every pending sample of a sweep (resumable, shareable)", add_train_command, true},
    {"launch", "Train a sweep as a SLURM job array (the same work as `train`)", add_launch_command, false},
    {"export", "Write a model's weights as a PyTorch state dict (pycls names) + spec JSON", add_export_command, true},
    {"analyze", "Compare sweeps: error EDFs, KS tests, bootstrap trends, width fits, HTML report", add_analyze_command,
     false},
    {"fit", "Fit the linear width curve (w0, wa, wm, e_fit) to a sweep's best models", add_fit_command, false},
    {"refine", "Propose restrictions of a sweep's space (ties, orders, ranges); confirm them on fresh models",
     add_refine_command, false},
    {"compare", "Train sweeps interleaved until a group-sequential test tells them apart (--until decided)",
     add_compare_command, false},
    {"audit", "Retrain k models with a longer schedule; rank agreement of short vs long errors", add_audit_command,
     false},
    {"bench-train", "Train one model and print its throughput (for scripts/bench-train.sh)", add_bench_command, true,
     true},
    {"data", "Pack an ImageFolder into one file, or describe a pack (data pack, data info)", add_data_command, true},
    {"stats", "Statistics on numbers given inline (for checks; hidden)", add_stats_command, false, true},
};

namespace {
const Tool* find_tool(const char* name) {
  for (const Tool& t : kTools)
    if (std::strcmp(t.name, name) == 0) return &t;
  return nullptr;
}
}  // namespace

const char* command_summary(const char* name) {
  const Tool* t = find_tool(name);
  return t ? t->summary : "";
}

bool command_needs_torch(const char* name) {
  const Tool* t = find_tool(name);
  return t && t->needs_torch;
}

namespace {

// Each command's and subcommand's footer from its help file.
void add_help(CLI::App& app, const std::string& prefix) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    const std::string name = prefix + sub->get_name();
    if (const char* text = command_help(name)) sub->footer(text);
    add_help(*sub, name + "-");
  }
}

// argv: what a stand-in passes on to the partner binary.
void add_tools(CLI::App& app, const std::vector<std::string>& argv) {
  for (const Tool& t : kTools) {
    t.add ? t.add(app) : add_handover(app, t.name, argv);  // the partner binary's command: a stand-in
    CLI::App* cmd = app.get_subcommand(t.name);
    cmd->description(t.summary);  // the table is the one source of summaries
    if (t.hidden) cmd->group("");
  }
  add_help(app, "");
}

// Logging: set once, before any command runs; results and --json stay on stdout.
void add_log_options(CLI::App& app, LogSettings& log) {
  app.add_flag("-v,--verbose", log.verbose, "more detail on stderr (debug lines)");
  app.add_flag("-q,--quiet", log.quiet, "errors only on stderr: no progress, notes or warnings");
  app.add_option("--log-level", log.level, "debug, info, warning, error or off (default: REGNET_LOG, else info)");
  app.parse_complete_callback([&log] { setup_logging(resolve_log_level(log, std::getenv("REGNET_LOG"))); });
}

// Bad input (an argument CLI11 rejects, or a UserError): one line on stderr, exit 2 (README). The
// message quotes what the user named (paths, values, names from files): its newlines become spaces
// and every other control character \xNN, so it stays one line and cannot act on the terminal.
int input_error(std::string what) {
  if (what.rfind(": ", 0) == 0) what.erase(0, 2);  // a hidden option's (name_hidden_numbers)
  std::replace(what.begin(), what.end(), '\n', ' ');
  fmt::print(stderr, "regnet-explore: error: {}\n", terminal_text(what, false));
  return 2;
}

// An option that takes a number without a bounded check (number_options.hpp) is a bug: say which.
int unbounded_error(const std::vector<std::string>& options) {
  fmt::print(stderr, "regnet-explore: internal error: numeric options without a bound: {}\n", fmt::join(options, ", "));
  return 3;
}

// A word as typed, safe to print: bytes outside printable ASCII (control characters, escape
// sequences, newlines) as \xNN, and a backslash doubled, so that it cannot act on the terminal.
std::string printable(const std::string& word) {
  std::string out;
  for (const unsigned char c : word) {
    if (c == '\\')
      out += "\\\\";
    else if (c >= 0x20 && c < 0x7f)
      out += static_cast<char>(c);
    else
      out += fmt::format("\\x{:02x}", c);
  }
  return out;
}

// CLI11 says only "A subcommand is required" when the first word names no command: say which.
// Returns the word when that is what went wrong (no command ran, a word is left over first).
std::optional<std::string> unknown_command(const CLI::App& app) {
  if (!app.get_subcommands().empty()) return std::nullopt;
  const std::vector<std::string> rest = app.remaining();
  if (rest.empty() || (!rest.front().empty() && rest.front()[0] == '-')) return std::nullopt;
  return rest.front();
}

}  // namespace

}  // namespace regnet::cli

int main(int argc, char** argv) {
  // glibc would mmap/munmap every large tensor each step (~1.4x slower training): keep them.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);

  CLI::App app{"regnet-explore " REGNET_VERSION
               ": sample, train, compare and fit AnyNet/RegNet design spaces\n"
               "(Radosavovic et al., \"Designing Network Design Spaces\", CVPR 2020).\n\n"
               "Examples:\n"
               "  regnet-explore spaces\n"
               "  regnet-explore sample --space AnyNetXE -n 500 --flops 360M:400M --seed 1 --out sweeps/xe\n"
               "  regnet-explore describe RegNetX-400MF\n"
               "  regnet-explore train sweeps/xe --data fashion-mnist\n"
               "  regnet-explore compare sweeps/xa sweeps/xe --until decided\n"
               "  regnet-explore analyze sweeps/xa sweeps/xe --out report/\n"
               "  regnet-explore fit sweeps/xe --top 20\n",
               "regnet-explore"};
  app.set_version_flag("--version", REGNET_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  regnet::LogSettings log;
  regnet::cli::add_log_options(app, log);
  regnet::cli::add_tools(app, {argv, argv + argc});
  if (const auto unbounded = regnet::cli::unbounded_numbers(app); !unbounded.empty())
    return regnet::cli::unbounded_error(unbounded);
  regnet::cli::name_hidden_numbers(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --help-all, --version
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {  // a command's own exit code (train: 130 on SIGINT, 75 on SIGTERM)
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    if (const auto word = regnet::cli::unknown_command(app))
      return regnet::cli::input_error("unknown command '" + regnet::cli::printable(*word) +
                                      "' (see regnet-explore --help)");
    return regnet::cli::input_error(e.what());
  } catch (const regnet::UserError& e) {
    return regnet::cli::input_error(e.what());
  } catch (const std::exception& e) {
    fmt::print(stderr, "regnet-explore: internal error: {}\n", regnet::terminal_text(e.what(), false));
    return 3;
  }
  return 0;
}
