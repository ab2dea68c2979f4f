// LevelTable: an immutable snapshot of earned levels that the decision
// engine reads (policy::AutonomyLevels). The gateway builds a new one when
// a level changes and swaps it in atomically, so a change applies to events
// decided afterwards. Only levels above HITL are overrides: a key at HITL
// (never promoted, or demoted) keeps the policy's baseline. Floors and rules
// still apply on top (ADR 0002), so nothing here relaxes a hard floor.
#pragma once

#include <map>
#include <optional>

#include "hitlgate/autonomy/tracker.h"
#include "hitlgate/policy/policy.h"

namespace hitlgate::autonomy {

class LevelTable final : public policy::AutonomyLevels {
 public:
  LevelTable() = default;
  explicit LevelTable(std::map<AutonomyKey, Oversight> levels) : levels_(std::move(levels)) {}
  static LevelTable FromTracker(const AutonomyTracker& tracker);

  // Proposals only (customer messages keep the policy's default).
  std::optional<Oversight> LevelFor(const engine::Event& event) const override;
  std::optional<Oversight> Find(const AutonomyKey& key) const;
  bool empty() const { return levels_.empty(); }

 private:
  std::map<AutonomyKey, Oversight> levels_;
};

}  // namespace hitlgate::autonomy
