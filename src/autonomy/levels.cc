#include "hitlgate/autonomy/levels.h"

namespace hitlgate::autonomy {

LevelTable LevelTable::FromTracker(const AutonomyTracker& tracker) {
  std::map<AutonomyKey, Oversight> levels;
  for (const AutonomyTracker::Entry& e : tracker.Snapshot()) {
    if (e.level != Oversight::kHitl) levels.emplace(e.key, e.level);
  }
  return LevelTable(std::move(levels));
}

std::optional<Oversight> LevelTable::Find(const AutonomyKey& key) const {
  auto it = levels_.find(key);
  if (it == levels_.end()) return std::nullopt;
  return it->second;
}

std::optional<Oversight> LevelTable::LevelFor(const engine::Event& event) const {
  if (event.type != engine::EventType::kAiProposal || levels_.empty()) return std::nullopt;
  auto key = KeyFor(event.workflow, event.intent, event.action ? std::string_view(event.action->name) : "");
  if (!key) return std::nullopt;
  return Find(*key);
}

}  // namespace hitlgate::autonomy
