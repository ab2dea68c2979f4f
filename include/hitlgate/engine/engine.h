// DecisionEngine: for each event, computes hitlgate's own signals (sentiment
// and its trend, asks-for-a-person, legal threat, sensitive topics, message
// rate, repeat contacts) and evaluates the active policy. The heart of
// hitlgate.
//
// Deciding and remembering are two steps: Decide() reads a snapshot of the
// conversation and returns the decision with the StateChange it implies,
// changing nothing; Commit() folds the change into the conversation state
// once the caller has made the decision durable, and Abandon() drops it when
// the write failed or found the event already recorded (ADR 0009). The engine
// itself does no I/O; the ConversationStore behind it may (PostgreSQL in a
// cluster), and its Load may then hold the interaction's rows until Commit or
// Abandon.
//
// Thread-safe: Decide() may run concurrently on many threads; the policy is
// swapped atomically (SetPolicy) and applies to events decided afterwards.
// Events of one interaction must be decided in order (callers serialize per
// interaction). The engine shares ownership of its collaborators.
#pragma once

#include <atomic>
#include <memory>

#include "hitlgate/common/clock.h"
#include "hitlgate/engine/calibrator.h"
#include "hitlgate/engine/conversation.h"
#include "hitlgate/engine/decision.h"
#include "hitlgate/engine/event.h"
#include "hitlgate/engine/intent_classifier.h"
#include "hitlgate/policy/policy.h"
#include "hitlgate/signals/sentiment.h"

namespace hitlgate::engine {

// What deciding an event would change in its conversation's state: applied
// by DecisionEngine::Commit after the decision is durable, or dropped.
struct StateChange {
  TimePoint at{};  // the event's time (its `at`, or the clock's when absent)
  ConversationUpdate update;
  // The intent the state should remember, when triage classified one (the
  // event itself came without); empty: the event's own.
  std::string triaged_intent;
};

class DecisionEngine {
 public:
  // `clock` supplies the time of events that carry no `at`; must outlive the engine.
  DecisionEngine(std::shared_ptr<const policy::Program> program,
                 std::shared_ptr<ConversationStore> conversations,
                 std::shared_ptr<const signals::SentimentScorer> scorer, const Clock& clock);

  // Decides `event` from a snapshot of its conversation and fills `change`
  // with what recording it would change. Nothing is recorded: call Commit
  // (after the durable write) or Abandon (after a failed or duplicate one),
  // on the same thread, before deciding the interaction's next event.
  Decision Decide(const Event& event, const policy::AutonomyLevels* autonomy, StateChange* change);
  void Commit(const Event& event, const StateChange& change);
  void Abandon(const Event& event);

  // Decide + Commit in one step, for tools that keep no durable record
  // (decide, replay, shadow mode).
  Decision DecideAndRecord(const Event& event, const policy::AutonomyLevels* autonomy = nullptr);

  // Signals alone, without recording state: for shadow evaluation and tools.
  Signals ComputeSignals(const policy::Program& program, const Event& event,
                         const ConversationSnapshot& snapshot, ConversationUpdate* update) const;

  void SetPolicy(std::shared_ptr<const policy::Program> program);
  std::shared_ptr<const policy::Program> policy() const;
  // The sentiment scorer, so a shadow engine can score the same way.
  std::shared_ptr<const signals::SentimentScorer> scorer() const { return scorer_; }

  // The learning loop's calibration map (swapped atomically, like the
  // policy). With one set, every event that reports a confidence gets
  // Signals::calibrated_confidence; without one (null, the default) it stays
  // absent and `confidence_below: {source: calibrated}` uses the reported
  // confidence, i.e. the identity.
  void SetCalibrator(std::shared_ptr<const ConfidenceCalibrator> calibrator);
  std::shared_ptr<const ConfidenceCalibrator> calibrator() const { return calibrator_.load(); }

  // The triage classifier (swapped atomically; null, the default, turns
  // triage off). A customer message that reports no intent is classified:
  // the policy then sees the classifier's intent as `intent` and its
  // calibrated probability as `confidence` (unless the event reported one),
  // or `out_of_scope` when the message fits no known intent. The state
  // records the classified intent, so `repeat_contact: {same_intent: true}`
  // works for customers whose AI reports no intents.
  void SetIntentClassifier(std::shared_ptr<const IntentClassifier> classifier);
  // So a shadow engine can triage the same way; null when triage is off.
  std::shared_ptr<const IntentClassifier> intent_classifier() const;

 private:
  struct Triage {
    const IntentGuess* guess = nullptr;  // null: not classified
    bool supplied_confidence = false;    // the event's confidence is the guess's
  };
  Decision DecideEvent(const Event& event, const policy::AutonomyLevels* autonomy, Triage triage,
                       StateChange* change);

  std::atomic<std::shared_ptr<const policy::Program>> program_;
  std::atomic<std::shared_ptr<const ConfidenceCalibrator>> calibrator_;
  std::atomic<std::shared_ptr<const IntentClassifier>> classifier_;
  std::shared_ptr<ConversationStore> conversations_;
  std::shared_ptr<const signals::SentimentScorer> scorer_;
  const Clock& clock_;
};

}  // namespace hitlgate::engine
