#pragma once
// What `refine` proposes for a space (docs/refine.md), as the paper's loop does by hand: every tie
// and order its parameter table allows, the ranges its best models occupy (a bootstrap, as pycls's
// analysis reads "good ranges"), the values its best models use, and the quantized linear
// restriction by e_fit. Each proposal is one restriction of the parent: its child space is the
// parent conditioned on it (core/space/restriction).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/space/space.hpp"
#include "core/sweep/directory.hpp"

namespace regnet {

// A trained model of the sweep: its sample record (draws, spec, complexity) and its error.
struct ScoredModel {
  SampleRecord record;
  double error = 0;  // top-1 error in %
};

enum class ProposalKind { tie, order, range, set, fixed, linear };

struct Proposal {
  ProposalKind kind = ProposalKind::tie;
  std::string id;  // "tie-bottleneck_ratio": unique within a step, a file name
  std::optional<Restriction> restriction;
  std::optional<MonotonicConstraint> order;  // an order is a constraint of the child
  int dof_removed = 0;                       // free draws it removes (a tie of n stages: n - 1)
};

struct ProposalOptions {
  double best_fraction = 0.25;  // the best models: this share of the trained ones (at least 2)
  int bootstrap = 200;          // resamples of the good ranges
  std::uint64_t seed = 1;
  int max_set_values = 8;  // value sets and fixed values for parameters with at most this many values
};

// The proposals for `space` from its trained `models`, in a fixed order (ties, orders, ranges,
// sets, fixed values, linear); none that the space already has, or that restricts nothing the
// models show.
std::vector<Proposal> propose(const DesignSpace& space, const std::vector<ScoredModel>& models,
                              const ProposalOptions& options = {});

// The parent with the proposal added, named "PARENT+ID".
DesignSpace child_space(const DesignSpace& parent, const Proposal& p);
std::string to_string(ProposalKind k);
// "tie b", "width non_decreasing", "total_depth in [6, 20]", "quantized linear: e_fit <= 0.12".
std::string to_text(const Proposal& p);

}  // namespace regnet
