#include <algorithm>
#include <map>
#include <random>

#include "hitlgate/autonomy/simulation.h"

namespace hitlgate::autonomy {
namespace {

// Seeded and the same on every platform (std::mt19937_64 is specified
// exactly; the standard distributions are not, so none is used).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(engine_() % n); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace

double SimulatedErrorRate(std::string_view action) {
  static const std::map<std::string, double, std::less<>> kRates = {
      {"cancel_pending_order", 0.005},          {"return_delivered_order_items", 0.005},
      {"cancel_reservation", 0.005},            {"transfer_to_human_agents", 0.005},
      {"modify_pending_order_address", 0.03},   {"modify_user_address", 0.03},
      {"update_reservation_baggages", 0.03},    {"exchange_delivered_order_items", 0.15},
      {"modify_pending_order_items", 0.15},     {"update_reservation_flights", 0.15},
      {"update_reservation_passengers", 0.15},  {"book_reservation", 0.15}};
  auto it = kRates.find(action);
  return it == kRates.end() ? 0.10 : it->second;
}

Oversight LevelAt(const KeyTimeline& t, int step) {
  Oversight level = Oversight::kHitl;
  for (const auto& [from, l] : t.levels) {
    if (from > step) break;
    level = l;
  }
  return level;
}

SimulationResult Simulate(const std::vector<GoldAction>& gold, const SimulationOptions& options) {
  SimulationResult result;
  if (gold.empty() || options.passes <= 0) return result;
  Rng rng(options.seed);
  AutonomyTracker tracker(options.config);
  std::map<AutonomyKey, KeyTimeline> timelines;
  std::map<AutonomyKey, int> waiting;  // pending promotion -> cases since it was proposed

  const int total = static_cast<int>(gold.size()) * options.passes;
  const bool drift = !options.drift_action.empty() && options.drift_at >= 0 && options.drift_at < 1;
  result.drift_step = drift ? static_cast<int>(options.drift_at * total) : -1;

  std::vector<std::size_t> order(gold.size());
  int step = 0;
  for (int pass = 0; pass < options.passes; ++pass) {
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    for (std::size_t i = order.size() - 1; i > 0; --i) std::swap(order[i], order[rng.Below(i + 1)]);
    for (std::size_t index : order) {
      const GoldAction& g = gold[index];
      const AutonomyKey key{g.workflow, "action:" + g.name};
      auto [it, inserted] = timelines.try_emplace(key);
      KeyTimeline& t = it->second;
      if (inserted) {
        t.key = key;
        t.error_rate = SimulatedErrorRate(g.name);
        t.levels.push_back({0, Oversight::kHitl});
      }
      const bool drifted = drift && step >= result.drift_step && g.name == options.drift_action;
      const double error_rate = drifted ? options.drift_error : t.error_rate;
      // The AI proposes the gold action, or (at its error rate) something
      // else: another tool (30% of errors: severe) or wrong arguments.
      const bool wrong = rng.Uniform() < error_rate;
      const bool severe = wrong && rng.Uniform() < 0.3;
      const Oversight level = tracker.LevelOf(key);
      const bool reviewed = level == Oversight::kHitl || rng.Uniform() < options.config.AuditRate(level);
      ++t.proposals;
      t.errors += wrong ? 1 : 0;
      if (reviewed) {
        ++t.reviewed;
        // The simulated reviewer compares the proposal with the gold action.
        if (auto change = tracker.Observe(key, {!wrong, level != Oversight::kHitl, severe})) {
          if (change->promotion) {
            waiting[key] = 0;
          } else {
            t.levels.push_back({step, change->to});
            t.demotions.push_back(step);
            waiting.erase(key);
          }
        }
      } else if (wrong) {
        ++t.errors_unreviewed;
      }
      if (auto w = waiting.find(key); w != waiting.end() && ++w->second > options.signoff_delay) {
        // The supervisor signs off (the tracker re-checks the evidence).
        const Oversight to = *tracker.PendingOf(key);
        if (tracker.Approve(key)) t.levels.push_back({step, to});
        waiting.erase(w);
      }
      ++step;
    }
  }
  result.steps = step;
  for (auto& [key, t] : timelines) result.keys.push_back(std::move(t));
  return result;
}

}  // namespace hitlgate::autonomy
