#include "core/run/train_arguments.hpp"

#include <algorithm>
#include <filesystem>

#include "core/base/text.hpp"
#include "core/sweep/sample_states.hpp"

namespace regnet {

namespace {

// Appends one option as `train` parses it back (see TrainArguments::to_args).
struct ArgumentWriter {
  std::vector<std::string>& out;
  void operator()(const TrainOption& o, const std::string& v) const {
    if (!v.empty()) out.insert(out.end(), {o.flag(), v});
  }
  void operator()(const TrainOption& o, int v) const {
    if (v != 0) out.insert(out.end(), {o.flag(), std::to_string(v)});
  }
  void operator()(const TrainOption& o, double v) const { out.insert(out.end(), {o.flag(), shortest(v)}); }
  void operator()(const TrainOption& o, bool v) const {
    if (v) out.push_back(o.flag());
  }
};

}  // namespace

std::string TrainOption::flag() const {
  const std::string all = names;
  return all.substr(0, all.find(','));
}

std::vector<std::string> TrainArguments::to_args() const {
  std::vector<std::string> out{"train", request.sweep_dir};
  const ArgumentWriter write{out};
  visit_request_options(request, write);
  visit_child_options(*this, write);
  if (quiet) out.push_back("--quiet");
  return out;
}

TrainArguments worker_arguments(const TrainingPlan& t, const std::string& device, int threads, bool no_wait) {
  TrainArguments a;
  TrainingRequest& r = a.request;
  r.sweep_dir = std::filesystem::absolute(t.sweep_dir).lexically_normal().string();
  r.data = t.data_source;
  r.data_root = t.data_root;
  r.schedule = t.schedule_path;
  r.devices = device;
  r.threads = std::max(0, threads);
  if (!t.ids.empty()) r.ids = format_id_list(t.ids);
  r.claim_timeout = t.claims.timeout_seconds;
  r.heartbeat = t.claims.heartbeat_seconds;
  r.no_wait = no_wait;
  r.strict_data = t.strict_data;
  return a;
}

}  // namespace regnet
