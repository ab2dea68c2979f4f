// ShadowMode: a candidate policy decided beside the active one on live
// traffic, with its own conversation state, never changing what an agent is
// told; the pairs are tallied in a measure::DecisionComparison. Internal to
// src/gateway (policy_shadow.cc). Thread-safe: Evaluate may run on many
// threads (the engine is thread-safe; the tally has a mutex).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/engine/engine.h"
#include "hitlgate/measure/comparison.h"
#include "hitlgate/policy/policy.h"

namespace hitlgate::gateway {

class ShadowMode {
 public:
  ShadowMode(std::shared_ptr<const policy::Program> program,
             std::shared_ptr<const signals::SentimentScorer> scorer, const Clock& clock, TimePoint since,
             std::shared_ptr<const engine::IntentClassifier> triage = nullptr);

  // `active` is the live decision; supervisors' controls are taken out of
  // it first (the shadow policy knows nothing of them).
  void Evaluate(const engine::Event& event, const engine::Decision& active);

  const policy::Program& program() const { return *program_; }
  TimePoint since() const { return since_; }
  // A copy of the tally so far.
  measure::DecisionComparison Comparison() const;

 private:
  std::shared_ptr<const policy::Program> program_;
  engine::DecisionEngine engine_;
  TimePoint since_;
  mutable std::mutex mu_;
  measure::DecisionComparison comparison_ HITLGATE_GUARDED_BY(mu_);
};

}  // namespace hitlgate::gateway
