// DecisionEngine: for each event, computes hitlgate's own signals (sentiment
// and its trend, asks-for-a-person, legal threat, sensitive topics, message
// rate, repeat contacts), evaluates the active policy, and records the event
// in the conversation state. The heart of hitlgate; no I/O.
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

class DecisionEngine {
 public:
  // `clock` supplies the time of events that carry no `at`; must outlive the engine.
  DecisionEngine(std::shared_ptr<const policy::Program> program,
                 std::shared_ptr<ConversationStore> conversations,
                 std::shared_ptr<const signals::SentimentScorer> scorer, const Clock& clock);

  Decision Decide(const Event& event, const policy::AutonomyLevels* autonomy = nullptr);

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
  Decision DecideEvent(const Event& event, const policy::AutonomyLevels* autonomy, Triage triage);

  std::atomic<std::shared_ptr<const policy::Program>> program_;
  std::atomic<std::shared_ptr<const ConfidenceCalibrator>> calibrator_;
  std::atomic<std::shared_ptr<const IntentClassifier>> classifier_;
  std::shared_ptr<ConversationStore> conversations_;
  std::shared_ptr<const signals::SentimentScorer> scorer_;
  const Clock& clock_;
};

}  // namespace hitlgate::engine
