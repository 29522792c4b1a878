#pragma once
// The model(s) a command names: a zoo name, a spec file (a spec, a sample record, or a JSON array
// of them), or a sample of a sweep directory (SWEEP --id N), with the command line's network options.
#include <string>
#include <vector>

#include "core/model/describe.hpp"
#include "core/space/space.hpp"

namespace regnet {

struct ModelQuery {
  std::string target;        // a zoo name, a spec file or a sweep directory (describe's positional)
  std::string spec_file;     // --spec: wins over target
  int id = -1;               // --id: the sample of a sweep directory
  bool torchvision = false;  // regenerate RegNets with torchvision's group-width rounding
  NetworkOverrides net;      // applied last; --stride replaces every stage's stride
};

struct ResolvedModels {
  std::vector<ModelDescription> models;
  bool array = false;  // the spec file held an array (describe prints one too)
};

// Throws UserError naming the target and option for: nothing given, --id with a spec file or a
// non-sweep, a sweep without --id, an unknown model (listing the known ones), a bad spec,
// --torchvision-rounding without RegNet parameters.
ResolvedModels resolve_models(const ModelQuery& query);
// describe's output: the models' JSON (one, or an array as the spec file held) and their tables.
nlohmann::json to_json(const ResolvedModels& r);
std::string to_text(const ResolvedModels& r);

// A spec file holding a spec or a sample record (its "spec").
Spec read_spec_file(const std::string& path);

// export's choice: exactly one of SWEEP --id N, --spec FILE, --model NAME.
struct ModelChoice {
  std::string sweep;  // with id
  int id = -1;
  std::string spec_file;  // a spec or a sample record
  std::string model;      // a zoo name; the network options apply to it
  NetworkOverrides net;
};
// UserError for none or several sources, SWEEP without --id, --id without SWEEP.
Spec chosen_spec(const ModelChoice& choice);
// SWEEP/weights/NNNNNN.pt of a trained sample; a UserError when the sample has none yet.
std::string trained_weights(const std::string& sweep, int id);

}  // namespace regnet
