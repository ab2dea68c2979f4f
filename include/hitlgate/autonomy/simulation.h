// Earned-autonomy simulation: replays the gold actions of the tau-bench and
// tau2-bench customer-service dialogues as a stream of AI proposals, with a
// simulated AI that is reliable on some actions and not on others (seeded),
// a simulated reviewer who judges a proposal against the gold action, and a
// simulated supervisor who signs promotions off after a delay. The levels
// come from the real AutonomyTracker. `hitlgate autonomy simulate`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hitlgate/autonomy/tracker.h"
#include "hitlgate/common/error.h"

namespace hitlgate::autonomy {

// One action the human agent (tau2: the task's gold actions; tau-bench: a
// write inferred from an order's status change in the dialogue's tool
// results) really took: the truth a proposal is judged against.
struct GoldAction {
  std::string workflow;        // "retail", "airline"
  std::string name;            // "cancel_pending_order", ...
  std::string arguments_json;  // as in the data ("{}" when unknown)
  std::string source;          // "tau2_bench", "tau_bench"
};

// Write actions only (reads need no approval). NotFound when neither data
// set is under `data_dir`; InvalidArgument naming the file for bad JSON.
[[nodiscard]] Result<std::vector<GoldAction>> LoadTauGoldActions(const std::string& data_dir);

struct SimulationOptions {
  std::uint64_t seed = 1;
  int passes = 20;          // the gold actions replayed this many times, shuffled each pass
  int signoff_delay = 10;   // the supervisor signs off after this many more cases of the key
  // Drift: from this share of the stream on, `drift_action` errs at `drift_error`.
  double drift_at = 0.6;
  std::string drift_action = "return_delivered_order_items";
  double drift_error = 0.12;
  AutonomyConfig config;
};

// The simulated AI's error rate per action (before any drift): the reliable
// ones (cancellations, returns, transfers) 0.5%, address changes 3%, the
// hard ones (exchanges, item changes, flight changes, bookings) 15%.
double SimulatedErrorRate(std::string_view action);

struct KeyTimeline {
  AutonomyKey key;
  double error_rate = 0;  // the simulated AI's, before drift
  int proposals = 0;
  int errors = 0;          // proposals that differed from the gold action
  int reviewed = 0;        // judged by a person (held at HITL, or audited)
  int errors_unreviewed = 0;  // wrong proposals that went out without review
  std::vector<std::pair<int, Oversight>> levels;  // (step, level from that step on); starts at (0, HITL)
  std::vector<int> demotions;                     // steps
};

struct SimulationResult {
  int steps = 0;
  int drift_step = -1;  // -1: no drift
  std::vector<KeyTimeline> keys;  // by workflow, then action
};

SimulationResult Simulate(const std::vector<GoldAction>& gold, const SimulationOptions& options);

// A small self-contained SVG: one lane per key, coloured by level over the
// stream, demotions marked, the drift marked.
std::string RenderSimulationSvg(const SimulationResult& result, const SimulationOptions& options);

// The level of a timeline at `step`.
Oversight LevelAt(const KeyTimeline& timeline, int step);

}  // namespace hitlgate::autonomy
