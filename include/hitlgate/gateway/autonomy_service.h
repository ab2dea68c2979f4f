// AutonomyService: earned autonomy in the running gateway (docs/autonomy.md).
// The audit log is the source of truth: Sync follows it, turning judged
// proposals (verdicts on held proposals and on audit samples) into evidence
// and sign-offs (verdicts on autonomy-change tasks) into approved
// promotions; the tracker is deterministic, so the first Sync after a start
// replays the whole log to the same levels. The event path reads the levels
// (Levels) and samples what they let through (SampleAudit).
//
// Thread-safe. The store, clock and live events must outlive it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hitlgate/autonomy/tracker.h"
#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/engine/decision.h"
#include "hitlgate/engine/event.h"
#include "hitlgate/gateway/live_events.h"
#include "hitlgate/gateway/principal.h"
#include "hitlgate/policy/policy.h"
#include "hitlgate/store/store.h"

namespace hitlgate::gateway {

struct AutonomyLevelView {
  autonomy::AutonomyKey key;
  engine::Oversight level = engine::Oversight::kHitl;
  double audit_rate = 0;
  std::optional<engine::Oversight> pending_to;  // a promotion waiting for its sign-off
  std::string pending_task_id;                  // its sign-off task ("" until the leader opens it)
  autonomy::Evidence evidence;
};

// What GET /v1/autonomy shows.
struct AutonomyReport {
  autonomy::AutonomyConfig config;
  std::vector<AutonomyLevelView> levels;
  std::vector<autonomy::LevelChange> recent_changes;  // newest first
};

class AutonomyState;

class AutonomyService {
 public:
  // `signoff_queue`: where sign-off tasks for proposed promotions go.
  AutonomyService(store::Store& store, const Clock& clock, LiveEvents& live,
                  const autonomy::AutonomyConfig& config, std::string signoff_queue);
  ~AutonomyService();

  // The levels the engine applies now.
  std::shared_ptr<const policy::AutonomyLevels> Levels() const;
  // Whether a proposal that earned autonomy let through is picked for an
  // auditor (deterministic per event, at the level's rate); marks the
  // decision when it is.
  bool SampleAudit(const engine::Event& event, engine::Decision* decision) const;
  // Follows the audit log; opens a supervisor task for each proposed
  // promotion and audits each change. The first call replays the whole log.
  // Returns how many changes and tasks it wrote. With `write_side_effects`
  // false (a node that does not lead the cluster's periodic work) it only
  // follows: the leader opens the tasks and audits the changes.
  [[nodiscard]] Result<int> Sync(bool write_side_effects = true);
  // Supervisors, auditors, admins.
  [[nodiscard]] Result<AutonomyReport> Report(const Principal& who) const;

 private:
  store::Store& store_;
  const Clock& clock_;
  LiveEvents& live_;
  const std::string signoff_queue_;
  std::unique_ptr<AutonomyState> state_;
};

}  // namespace hitlgate::gateway
