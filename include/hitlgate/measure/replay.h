// Policy replay: past traffic decided by two policies side by side, each
// with its own conversation state (rates, sentiment trend, repeat contacts
// are rebuilt from the events' own times, ADR 0001), tallied into a
// DecisionComparison.
//
// History lines are events (docs/schema/event.schema.json) that may carry
// one extra top-level member, "human_verdict": "approved" | "edited" |
// "rejected" | "taken_over", the person's verdict on that event's proposal.
// Verdicts may also come from a gateway's store (VerdictIndex).
//
// Not thread-safe: one Replayer per thread; events in time order.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/engine/engine.h"
#include "hitlgate/engine/event.h"
#include "hitlgate/measure/comparison.h"
#include "hitlgate/policy/policy.h"
#include "hitlgate/signals/sentiment.h"

namespace hitlgate::measure {

struct HistoryEvent {
  engine::Event event;
  HumanVerdict verdict = HumanVerdict::kNone;
};

// Parses one history line. InvalidArgument names the field (as ParseEvent
// does) or says that human_verdict is not one of the four verdicts.
[[nodiscard]] Result<HistoryEvent> ParseHistoryLine(std::string_view line);

// Verdicts known by event: by event_id when the event has one, else by
// (interaction_id, event_index). Built from a gateway's store
// (LoadStoreVerdicts in history.h) or by tests.
class VerdictIndex {
 public:
  void Add(std::string_view event_id, std::string_view interaction_id, std::int64_t event_index,
           HumanVerdict verdict);
  HumanVerdict Find(const engine::Event& event, std::int64_t event_index) const;
  size_t size() const { return by_event_id_.size() + by_position_.size(); }

 private:
  std::unordered_map<std::string, HumanVerdict> by_event_id_;
  std::unordered_map<std::string, HumanVerdict> by_position_;  // "interaction\x1findex"
};

class Replayer {
 public:
  // Both programs and the scorer must be non-null. `verdicts` may be null;
  // when set it must outlive the Replayer and fills in verdicts the history
  // lines do not carry.
  Replayer(std::shared_ptr<const policy::Program> active,
           std::shared_ptr<const policy::Program> candidate,
           std::shared_ptr<const signals::SentimentScorer> scorer, int max_examples_per_change = 3,
           const VerdictIndex* verdicts = nullptr);

  // Decides one event with both policies and tallies the pair. An event
  // without `at` takes the time of the event before it (replays stay
  // deterministic).
  void Add(const HistoryEvent& history);
  // Parses and adds one line; InvalidArgument (nothing tallied) when it does
  // not parse.
  [[nodiscard]] Result<void> AddLine(std::string_view line);

  // The learning loop's models, for both policies alike (either may be
  // null): a replay of a policy that reads `out_of_scope` or
  // `calibrated_confidence` must triage and calibrate as the gateway does.
  void SetLearningModels(std::shared_ptr<const engine::ConfidenceCalibrator> calibrator,
                         std::shared_ptr<const engine::IntentClassifier> classifier);

  const DecisionComparison& comparison() const { return comparison_; }
  const policy::Program& active_policy() const { return *active_program_; }
  const policy::Program& candidate_policy() const { return *candidate_program_; }

 private:
  FakeClock clock_;
  std::shared_ptr<const policy::Program> active_program_;
  std::shared_ptr<const policy::Program> candidate_program_;
  engine::DecisionEngine active_;
  engine::DecisionEngine candidate_;
  const VerdictIndex* verdicts_;
  DecisionComparison comparison_;
};

}  // namespace hitlgate::measure
