// regnet-explore: explore AnyNet/RegNet design spaces (Radosavovic et al., CVPR 2020).
#include <malloc.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "commands.hpp"
#include "core/error.hpp"
#include "core/logging.hpp"

int main(int argc, char** argv) {
#ifndef REGNET_TORCH_BINARY
  if (argc > 1 && regnet::cli::is_torch_command(argv[1])) return regnet::cli::forward_to_torch_binary(argv);
#endif
  // glibc would mmap/munmap every large tensor each step (~1.4x slower training): keep them.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);

  CLI::App app{
      "regnet-explore " REGNET_VERSION
      ": sample, train, compare and fit AnyNet/RegNet design spaces\n"
      "(Radosavovic et al., \"Designing Network Design Spaces\", CVPR 2020).\n\n"
      "Examples:\n"
      "  regnet-explore spaces\n"
      "  regnet-explore sample --space AnyNetXE -n 500 --flops 360M:400M --seed 1 --out sweeps/xe\n"
      "  regnet-explore describe RegNetX-400MF\n"
      "  regnet-explore train sweeps/xe --data fashion-mnist\n"
      "  regnet-explore analyze sweeps/xa sweeps/xe --out report/\n"
      "  regnet-explore fit sweeps/xe --top 20\n",
      "regnet-explore"};
  app.set_version_flag("--version", REGNET_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  // Logging: set once, before any command runs; results and --json stay on stdout.
  regnet::LogSettings log;
  app.add_flag("-v,--verbose", log.verbose, "more detail on stderr (debug lines)");
  app.add_flag("-q,--quiet", log.quiet, "errors only on stderr: no progress, notes or warnings");
  app.add_option("--log-level", log.level, "debug, info, warning, error or off (default: REGNET_LOG, else info)");
  app.parse_complete_callback([&log] { regnet::setup_logging(regnet::resolve_log_level(log, std::getenv("REGNET_LOG"))); });
  regnet::cli::add_spaces_command(app);
  regnet::cli::add_sample_command(app);
  regnet::cli::add_describe_command(app);
#ifdef REGNET_TORCH_BINARY
  regnet::cli::add_train_command(app);
  regnet::cli::add_export_command(app);
  regnet::cli::add_bench_command(app);
#else
  regnet::cli::add_torch_forwarders(app);
#endif
  regnet::cli::add_launch_command(app);
  regnet::cli::add_analyze_command(app);
  regnet::cli::add_fit_command(app);
  regnet::cli::add_compare_command(app);
  regnet::cli::add_audit_command(app);
  regnet::cli::add_stats_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const regnet::UserError& e) {
    std::fprintf(stderr, "regnet-explore: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "regnet-explore: internal error: %s\n", e.what());
    return 3;
  }
  return 0;
}
