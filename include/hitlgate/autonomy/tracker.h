// AutonomyTracker: the state machine of earned autonomy. Per workflow and
// intent or action (an AutonomyKey), a level HITL -> HOTL -> HOOTL earned
// from people's judgements of the AI's proposals (docs/autonomy.md).
//
// - Evidence: the last `window` judged cases of the key (a reviewer's
//   verdict on a held proposal, an auditor's on sampled autonomous work);
//   agreed = the person kept the proposal unchanged.
// - Promotion, one level at a time, when at least `min_cases` were judged
//   since the last change and the one-sided Wilson lower bound of the
//   window's agreement rate is at least the next level's target. A promotion
//   is only *proposed*: it waits (pending) for a person's sign-off
//   (Approve/Reject); nothing relaxes oversight on its own.
// - Demotion, applied at once (tightening never waits for anyone, as with
//   the policy's strictest-wins rule), when
//     * a Bernoulli CUSUM on disagreements (p0 = 1 - the level's target,
//       p1 = p0 * cusum_shift) alarms: drift, back to HITL;
//     * an audit of autonomous work finds a severe error (safety, policy
//       violation, wrong action or amount): back to HITL;
//     * the Wilson upper bound of the window falls below the level's
//       target: one level down.
// - Audit sampling of autonomous traffic at a rate tied to the level.
//
// Deterministic: the same cases in the same order give the same levels, so
// a gateway rebuilds the state by replaying its audit log.
// Thread-compatible (callers serialize).
#pragma once

#include <compare>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/autonomy/statistics.h"
#include "hitlgate/engine/decision.h"

namespace hitlgate::autonomy {

using engine::Oversight;

struct AutonomyKey {
  std::string workflow;
  std::string subject;  // "action:<name>" or "intent:<name>"
  auto operator<=>(const AutonomyKey&) const = default;
  std::string ToString() const { return workflow + "/" + subject; }
};

// The action names what is done, so it wins over the intent; nullopt when
// the proposal has neither (nothing to earn autonomy for).
std::optional<AutonomyKey> KeyFor(std::string_view workflow, std::string_view intent,
                                  std::string_view action_name);

struct AutonomyConfig {
  int window = 100;             // rolling window of judged cases
  int min_cases = 30;           // judged cases since the last change before a promotion
  double z = 1.645;             // one-sided 95% Wilson bounds
  double hotl_target = 0.90;    // agreement needed for human-on-the-loop
  double hootl_target = 0.97;   // ... and for human-out-of-the-loop
  double cusum_shift = 3.0;     // the drift to detect: disagreement rate x3
  double cusum_threshold = 4.0;
  double audit_rate_hotl = 0.20;   // share of autonomous proposals audited at HOTL
  double audit_rate_hootl = 0.10;  // ... and at HOOTL

  double TargetFor(Oversight level) const;  // HITL: 0 (nothing to meet)
  double AuditRate(Oversight level) const;  // HITL: 0 (every case is reviewed)
};

struct Evidence {
  int cases = 0;   // in the window
  int agreed = 0;
  double lower = 0;  // Wilson lower bound of the agreement rate
  double upper = 1;  // Wilson upper bound
  double cusum = 0;
  int since_change = 0;  // judged cases since the last change of level
  int audit_flags = 0;   // audits of autonomous work that found an error, in the window
};

struct LevelChange {
  AutonomyKey key;
  Oversight from = Oversight::kHitl;
  Oversight to = Oversight::kHitl;
  bool promotion = false;  // true: waits for sign-off; false: already applied
  std::string reason;      // for people
  Evidence evidence;
};

// One judged case.
struct Judgement {
  bool agreed = false;
  bool audit = false;   // an audit of autonomous work (not a held proposal)
  bool severe = false;  // the person's reason is a severe error category
};

// Reason categories (learning::ReasonCategory) an audit flag demotes at once for.
bool IsSevereCategory(std::string_view reason_category);

class AutonomyTracker {
 public:
  explicit AutonomyTracker(AutonomyConfig config = {}) : config_(config) {}

  // Records one case; returns the change it causes, if any: a demotion
  // (already applied) or a proposed promotion (now pending). No promotion is
  // proposed while one is pending for the key.
  std::optional<LevelChange> Observe(const AutonomyKey& key, const Judgement& judgement);

  // A person signed the pending promotion off: it applies from now on.
  // False when none is pending, or when the evidence no longer meets the
  // target (cases judged since the proposal pulled the bound under it): the
  // promotion then lapses as if refused.
  bool Approve(const AutonomyKey& key);
  // A person refused it: pending cleared; another needs min_cases new cases.
  bool Reject(const AutonomyKey& key);

  Oversight LevelOf(const AutonomyKey& key) const;
  std::optional<Oversight> PendingOf(const AutonomyKey& key) const;

  struct Entry {
    AutonomyKey key;
    Oversight level = Oversight::kHitl;
    std::optional<Oversight> pending;
    Evidence evidence;
  };
  std::vector<Entry> Snapshot() const;
  const AutonomyConfig& config() const { return config_; }

 private:
  struct State {
    Oversight level = Oversight::kHitl;
    std::optional<Oversight> pending;
    std::deque<Judgement> window;
    int since_change = 0;
    BernoulliCusum cusum{0.1, 0.3, 4.0};
  };
  State& StateFor(const AutonomyKey& key);
  Evidence EvidenceOf(const State& s) const;
  void SetLevel(State& s, Oversight level, bool clear_window);

  AutonomyConfig config_;
  std::map<AutonomyKey, State> states_;
};

}  // namespace hitlgate::autonomy
