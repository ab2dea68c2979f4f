// TriggerKind: the kinds of `when` triggers a rule can have (docs/policy.md).
// Shared by the checker (which reads them) and the evaluator (which runs
// them). Plain enum.
#pragma once

#include <cstdint>

namespace hitlgate::policy::eval {

enum class TriggerKind : std::uint8_t {
  kCondition,  // no `when`: the rule is its `if`
  kConfidenceBelow,
  kSentimentBelow,
  kSentimentFalling,
  kFrustration,
  kMessageRateAbove,
  kRepeatContact,
  kHumanRequest,
  kLegalThreat,
  kSensitiveTopic,
  kActionValueAbove,
  kAction,
  kIntent,
  kOutOfScope,
};

}  // namespace hitlgate::policy::eval
