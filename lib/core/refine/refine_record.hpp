#pragma once
// The files of a refine directory (docs/refine.md, "The refine directory"): refine.json, the record
// of every step and decision, rewritten atomically after every phase; and each step's
// exploration.json, which marks the exploration done and holds the candidates it chose, so that a
// resumed run confirms what the first one chose. Paths are stored relative to the file's folder.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/refine/confirmation.hpp"

namespace regnet {

constexpr int kRefineFormatVersion = 1;

struct ExploredCandidate {
  std::string id, text;
  double explored_shift = 0;
  std::string space_file;  // the child space
};
struct ExploredStep {
  nlohmann::json exploration;  // exploration.hpp's to_json: every estimate, ranked
  std::string parent_file;     // the step's parent space
  std::vector<ExploredCandidate> candidates;
};
nlohmann::json to_json(const ExploredStep& x, const std::string& dir);
// UserError naming the file and field for a broken one.
ExploredStep read_explored_step(const std::string& path);

std::string refine_json_path(const std::string& refine_dir);
// The request's fields that decide what a refinement is: a resumed run must ask the same
// (`steps` and the training options may change).
nlohmann::json to_json(const ConfirmRequest& r);
// Creates DIR, or accepts it empty or holding the same refinement; UserError for another
// refinement ("refine.json: request.margin: 1 (asked: 0.5) ...") or other files.
void check_refine_dir(const std::string& dir, const ConfirmRequest& request);

nlohmann::json to_json(const Refinement& r);
bool is_refine_dir(const std::string& dir);  // holds refine.json
// The sweeps a refinement trained, as refine.json lists them: per step the fresh parent, then each
// candidate's (each path resolved against the refine directory). UserError for a broken record.
std::vector<std::string> refine_sweep_dirs(const std::string& refine_dir);
// For `analyze`: each refine directory among `dirs` replaced by the sweeps it trained, in order.
std::vector<std::string> expand_refine_dirs(const std::vector<std::string>& dirs);
// Per step: the candidates' verdicts, what was adopted, the refined space; the trainings last.
std::string to_text(const Refinement& r);

}  // namespace regnet
