#include "hitlgate/autonomy/tracker.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace hitlgate::autonomy {
namespace {

Oversight OneLevelUp(Oversight o) { return o == Oversight::kHitl ? Oversight::kHotl : Oversight::kHootl; }
Oversight OneLevelDown(Oversight o) { return o == Oversight::kHootl ? Oversight::kHotl : Oversight::kHitl; }

// printf-style (g++ 12 has no <format>).
[[gnu::format(printf, 1, 2)]] std::string Printf(const char* fmt, ...) {
  char buf[256];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  return buf;
}

}  // namespace

std::optional<AutonomyKey> KeyFor(std::string_view workflow, std::string_view intent,
                                  std::string_view action_name) {
  if (!action_name.empty()) return AutonomyKey{std::string(workflow), "action:" + std::string(action_name)};
  if (!intent.empty()) return AutonomyKey{std::string(workflow), "intent:" + std::string(intent)};
  return std::nullopt;
}

bool IsSevereCategory(std::string_view c) {
  return c == "safety" || c == "policy_violation" || c == "wrong_action" || c == "wrong_amount";
}

double AutonomyConfig::TargetFor(Oversight level) const {
  switch (level) {
    case Oversight::kHotl: return hotl_target;
    case Oversight::kHootl: return hootl_target;
    case Oversight::kHitl: break;
  }
  return 0;
}

double AutonomyConfig::AuditRate(Oversight level) const {
  switch (level) {
    case Oversight::kHotl: return audit_rate_hotl;
    case Oversight::kHootl: return audit_rate_hootl;
    case Oversight::kHitl: break;
  }
  return 0;
}

AutonomyTracker::State& AutonomyTracker::StateFor(const AutonomyKey& key) {
  auto [it, inserted] = states_.try_emplace(key);
  if (inserted) SetLevel(it->second, Oversight::kHitl, true);
  return it->second;
}

void AutonomyTracker::SetLevel(State& s, Oversight level, bool clear_window) {
  s.level = level;
  s.pending.reset();
  s.since_change = 0;
  if (clear_window) s.window.clear();
  // The CUSUM watches for the disagreement rate this level can no longer
  // tolerate; at HITL (every case reviewed) it still runs, harmlessly.
  const double p0 = std::clamp(1 - config_.TargetFor(level == Oversight::kHitl ? Oversight::kHotl : level),
                               1e-4, 0.5);
  const double p1 = std::min(0.9, p0 * config_.cusum_shift);
  s.cusum = BernoulliCusum(p0, p1, config_.cusum_threshold);
}

Evidence AutonomyTracker::EvidenceOf(const State& s) const {
  Evidence e;
  e.cases = static_cast<int>(s.window.size());
  for (const Judgement& j : s.window) {
    e.agreed += j.agreed ? 1 : 0;
    e.audit_flags += j.audit && !j.agreed ? 1 : 0;
  }
  e.lower = WilsonLowerBound(e.agreed, e.cases, config_.z);
  e.upper = WilsonUpperBound(e.agreed, e.cases, config_.z);
  e.cusum = s.cusum.value();
  e.since_change = s.since_change;
  return e;
}

std::optional<LevelChange> AutonomyTracker::Observe(const AutonomyKey& key, const Judgement& j) {
  State& s = StateFor(key);
  s.window.push_back(j);
  while (static_cast<int>(s.window.size()) > config_.window) s.window.pop_front();
  ++s.since_change;
  const bool alarm = s.cusum.Add(!j.agreed);

  LevelChange change;
  change.key = key;
  change.from = s.level;
  if (s.level != Oversight::kHitl) {
    const Evidence e = EvidenceOf(s);
    if (j.audit && !j.agreed && j.severe) {
      change.to = Oversight::kHitl;
      change.reason = "an audit of autonomous work found a severe error";
    } else if (alarm) {
      change.to = Oversight::kHitl;
      change.reason = Printf("drift: CUSUM of disagreements %.2f > %.2f", e.cusum, s.cusum.threshold());
    } else if (e.cases >= config_.min_cases && e.upper < config_.TargetFor(s.level)) {
      change.to = OneLevelDown(s.level);
      change.reason = Printf("agreement upper bound %.1f%% < target %.1f%% over %d cases", 100 * e.upper,
                                 100 * config_.TargetFor(s.level), e.cases);
    }
    if (!change.reason.empty()) {
      change.evidence = e;
      SetLevel(s, change.to, true);
      return change;
    }
  }
  if (s.level == Oversight::kHootl || s.pending) return std::nullopt;
  const Evidence e = EvidenceOf(s);
  const Oversight next = OneLevelUp(s.level);
  if (s.since_change >= config_.min_cases && e.cases >= config_.min_cases &&
      e.lower >= config_.TargetFor(next)) {
    change.to = next;
    change.promotion = true;
    change.reason = Printf("agreement lower bound %.1f%% >= target %.1f%% over %d cases (%d agreed)", 100 * e.lower,
                           100 * config_.TargetFor(next), e.cases, e.agreed);
    change.evidence = e;
    s.pending = next;
    return change;
  }
  return std::nullopt;
}

bool AutonomyTracker::Approve(const AutonomyKey& key) {
  auto it = states_.find(key);
  if (it == states_.end() || !it->second.pending) return false;
  State& s = it->second;
  // The sign-off may come long after the proposal: the evidence must still
  // hold now, or the promotion lapses (as if refused).
  if (EvidenceOf(s).lower < config_.TargetFor(*s.pending)) {
    Reject(key);
    return false;
  }
  SetLevel(s, *s.pending, false);
  return true;
}

bool AutonomyTracker::Reject(const AutonomyKey& key) {
  auto it = states_.find(key);
  if (it == states_.end() || !it->second.pending) return false;
  it->second.pending.reset();
  it->second.since_change = 0;
  return true;
}

Oversight AutonomyTracker::LevelOf(const AutonomyKey& key) const {
  auto it = states_.find(key);
  return it == states_.end() ? Oversight::kHitl : it->second.level;
}

std::optional<Oversight> AutonomyTracker::PendingOf(const AutonomyKey& key) const {
  auto it = states_.find(key);
  return it == states_.end() ? std::nullopt : it->second.pending;
}

std::vector<AutonomyTracker::Entry> AutonomyTracker::Snapshot() const {
  std::vector<Entry> out;
  out.reserve(states_.size());
  for (const auto& [key, s] : states_) out.push_back({key, s.level, s.pending, EvidenceOf(s)});
  return out;
}

}  // namespace hitlgate::autonomy
