// The trigger table (policy_model.h): one row per `when` key.
#include "policy/compiler/policy_model.h"

namespace hitlgate::policy::compiler {

const std::vector<TriggerInfo>& Triggers() {
  static const std::vector<TriggerInfo>* table = new std::vector<TriggerInfo>{
      {"confidence_below", TriggerKind::kConfidenceBelow, kOnProposal},
      {"sentiment_below", TriggerKind::kSentimentBelow, kOnBoth},
      {"sentiment_falling", TriggerKind::kSentimentFalling, kOnBoth},
      {"frustration", TriggerKind::kFrustration, kOnBoth},
      {"message_rate_above", TriggerKind::kMessageRateAbove, kOnBoth},
      {"repeat_contact", TriggerKind::kRepeatContact, kOnBoth},
      {"human_request", TriggerKind::kHumanRequest, kOnBoth},
      {"legal_threat", TriggerKind::kLegalThreat, kOnBoth},
      {"sensitive_topic", TriggerKind::kSensitiveTopic, kOnBoth},
      {"action_value_above", TriggerKind::kActionValueAbove, kOnProposal},
      {"action", TriggerKind::kAction, kOnProposal},
      {"intent", TriggerKind::kIntent, kOnProposal},
      {"out_of_scope", TriggerKind::kOutOfScope, kOnCustomerMessage},
  };
  return *table;
}

const TriggerInfo& InfoFor(TriggerKind kind) {
  static const TriggerInfo kCondition{"condition", TriggerKind::kCondition, kOnBoth};
  for (const TriggerInfo& info : Triggers()) {
    if (info.kind == kind) return info;
  }
  return kCondition;
}

}  // namespace hitlgate::policy::compiler
