// ShopGatewayFixture: a gateway with a small shop policy (a general queue, a
// billing queue for refunds over 100 EUR, a supervisors' queue for handoffs),
// an agent of "shop-bot", a billing reviewer, a supervisor and an auditor.
// Shared by the gateway's and its services' tests, so they exercise one
// setup rather than copies of it.
#pragma once

#include <string>
#include <string_view>

#include "gateway/testing/gateway_fixture.h"

namespace hitlgate::gateway::testing {

inline constexpr std::string_view kShopPolicy = R"(policy: gateway-test
queues:
  general: {skills: [], sla_seconds: 300}
  billing: {skills: [billing], sla_seconds: 120, priority: 2}
  supervisors: {skills: [supervisor], sla_seconds: 60, priority: 1}
defaults:
  oversight: hotl
  queue: general
  hold_notice_seconds: 20
workflows:
  shop-bot:
    oversight: hotl
  travel-bot:
    oversight: hotl
floors:
  - name: person-requested
    when: {human_request: true}
    decision: handoff
    queue: supervisors
rules:
  - name: refunds-over-100
    when: {action_value_above: {action: refund, limits: {EUR: 100}}}
    decision: hold
    queue: billing
audit:
  sample_rate: 1.0
)";

inline GatewayOptions ShopOptions() {
  GatewayOptions options;
  options.lease_ttl = std::chrono::seconds(30);
  return options;
}

class ShopGatewayFixture : public GatewayFixture {
 protected:
  ShopGatewayFixture() : GatewayFixture(std::string(kShopPolicy), ShopOptions()) {
    agent_ = MakeKey("agent", store::Role::kAgent, {}, {"shop-bot"});
    reviewer_ = MakeKey("billing reviewer", store::Role::kReviewer, {"billing"});
    supervisor_ = MakeKey("supervisor", store::Role::kSupervisor, {"supervisor"});
    auditor_ = MakeKey("auditor", store::Role::kAuditor);
  }

  // A refund proposal of `amount` EUR in interaction `id`.
  std::string Refund(std::string id, double amount) {
    return R"({"interaction_id":")" + id +
           R"(","customer_id":"u-1","workflow":"shop-bot","type":"ai_proposal","text":"Refunded.",
               "intent":"return_item","confidence":0.9,"collected":{"order":"A-1"},
               "action":{"name":"refund","amount":)" + std::to_string(amount) +
           R"(,"currency":"EUR","params":{"order":"A-1"}}})";
  }

  std::string HeldTask(std::string id, double amount = 120) {
    auto r = gateway_->events().Submit(agent_, Refund(id, amount));
    EXPECT_THAT(r, hitlgate::testing::IsOk());
    EXPECT_FALSE(r->task_id.empty());
    return r->task_id;
  }

  Principal agent_, reviewer_, supervisor_, auditor_;
};

}  // namespace hitlgate::gateway::testing
