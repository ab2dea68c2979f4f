// DecisionComparison: what changes when one policy replaces another, tallied
// over pairs of decisions for the same events (one from the active policy,
// one from a candidate). Used by `hitlgate replay` (past traffic) and by the
// gateway's shadow mode (live traffic). It counts:
//   * decisions that change, by from -> to outcome, with a few examples each;
//   * for each policy: outcomes, escalations (hold or handoff) and the
//     triggers that asked for them;
//   * where a person judged the event (a verdict on a held proposal, or a
//     verdict carried in the history): the errors each policy would have let
//     through (the person rejected or edited the proposal, the policy allows
//     it) and the reviews it would have asked for that a person approved as is.
//
// A value type with no I/O. Thread-compatible: the gateway guards its shadow
// tally with a mutex.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hitlgate/engine/decision.h"
#include "hitlgate/engine/event.h"

namespace hitlgate::measure {

// A person's verdict on the event's proposal, where the history holds one.
enum class HumanVerdict : std::uint8_t { kNone, kApproved, kEdited, kRejected, kTakenOver };
std::string_view HumanVerdictName(HumanVerdict v);
// "approved", "edited", "rejected", "taken_over"; nullopt for anything else.
std::optional<HumanVerdict> ParseHumanVerdict(std::string_view name);

inline constexpr int kOutcomeCount = 5;

// True for hold and handoff: a person is pulled in before the AI goes on.
bool IsEscalation(engine::Outcome o);
// True for allow and allow_monitored: the proposal reaches the customer.
bool IsDelivered(engine::Outcome o);

// One policy's side of the comparison.
struct PolicyTally {
  std::int64_t events = 0;
  std::array<std::int64_t, kOutcomeCount> by_outcome{};
  std::int64_t escalations = 0;  // decisions that are hold or handoff
  // Per trigger: escalated decisions in which a reason with this trigger
  // asked for hold or handoff (one decision may count for several triggers).
  std::map<std::string, std::int64_t, std::less<>> escalations_by_trigger;
  // Among events a person judged:
  std::int64_t judged_errors_let_through = 0;  // rejected/edited, but delivered
  std::int64_t judged_errors_stopped = 0;      // rejected/edited, and held/handed off/blocked
  std::int64_t approvals_escalated = 0;        // approved as is, yet escalated

  double EscalationRate() const { return events == 0 ? 0.0 : double(escalations) / events; }
};

struct ChangeExample {
  std::string interaction_id;
  std::int64_t event_index = 0;
  std::string event_type;
  std::string text;                 // the event's text, cut to 160 bytes
  std::string action;               // the proposed action's name, if any
  std::vector<std::string> active_rules;     // rules that fired (non-default)
  std::vector<std::string> candidate_rules;
  HumanVerdict verdict = HumanVerdict::kNone;
};

class DecisionComparison {
 public:
  explicit DecisionComparison(int max_examples_per_change = 3)
      : max_examples_(max_examples_per_change) {}

  // One event and both policies' decisions for it.
  void Add(const engine::Event& event, const engine::Decision& active,
           const engine::Decision& candidate, HumanVerdict verdict = HumanVerdict::kNone);

  std::int64_t events() const { return events_; }
  std::int64_t changed() const { return changed_; }
  std::int64_t judged() const { return judged_; }
  // changes()[from][to]: events the active policy decided `from` and the
  // candidate `to` (the diagonal counts agreement).
  const std::array<std::array<std::int64_t, kOutcomeCount>, kOutcomeCount>& changes() const {
    return changes_;
  }
  const PolicyTally& active() const { return active_; }
  const PolicyTally& candidate() const { return candidate_; }
  // Examples per (from, to) pair that changed, in arrival order.
  const std::map<std::pair<engine::Outcome, engine::Outcome>, std::vector<ChangeExample>>&
  examples() const {
    return examples_;
  }
  // Verdicts the history held, by kind.
  const std::array<std::int64_t, 5>& verdicts() const { return verdicts_; }

  // {"events", "changed", "changes":[{from,to,count}], "active":{...},
  //  "candidate":{...}, "judged":{...}, "examples":[...]} (docs/measure.md).
  std::string ToJson() const;
  // A plain-text summary for a terminal.
  std::string ToText(std::string_view active_name, std::string_view candidate_name) const;

 private:
  int max_examples_;
  std::int64_t events_ = 0;
  std::int64_t changed_ = 0;
  std::int64_t judged_ = 0;
  std::array<std::array<std::int64_t, kOutcomeCount>, kOutcomeCount> changes_{};
  std::array<std::int64_t, 5> verdicts_{};
  PolicyTally active_;
  PolicyTally candidate_;
  std::map<std::pair<engine::Outcome, engine::Outcome>, std::vector<ChangeExample>> examples_;
};

}  // namespace hitlgate::measure
