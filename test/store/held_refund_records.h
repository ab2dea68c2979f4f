// What the SQLite and PostgreSQL store tests write most: an AI proposal held
// for review and the billing task it opens. Test-only.
#pragma once

#include <chrono>
#include <string>

#include "hitlgate/store/store.h"

namespace hitlgate::store::testing {

inline DecisionRecord HeldRefundDecision(const std::string& interaction_id, TimePoint at) {
  DecisionRecord d;
  d.interaction_id = interaction_id;
  d.customer_id = "c-" + interaction_id;
  d.workflow = "refunds";
  d.channel = "chat";
  d.type = engine::EventType::kAiProposal;
  d.at = at;
  d.event_json = R"({"text":"x"})";
  d.decision_json = R"({"outcome":"hold"})";
  d.outcome = engine::Outcome::kHold;
  d.policy_version = "sha256:v1";
  d.recorded_by = "k-agent";
  return d;
}

inline NewTask BillingTask(TimePoint created_at) {
  NewTask t;
  t.queue = "billing";
  t.skills = {"billing"};
  t.created_at = created_at;
  t.due_at = created_at + std::chrono::minutes(15);
  return t;
}

}  // namespace hitlgate::store::testing
