// Shadow mode: a saved candidate policy decided beside the active one, with
// no effect on what agents are told.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hitlgate/common/time_format.h"
#include "hitlgate/engine/memory_conversation_store.h"
#include "hitlgate/gateway/gateway.h"
#include "hitlgate/store/memory_store.h"
#include "gateway/testing/gateway_fixture.h"
#include "testing/result_matchers.h"

namespace hitlgate::gateway {
namespace {

using ::hitlgate::testing::IsErrorWith;
using ::hitlgate::testing::IsOk;
using ::testing::HasSubstr;

std::string Policy(int limit) {
  return R"(policy: shadow-test
queues:
  billing: {skills: [], sla_seconds: 120}
defaults:
  oversight: hootl
  queue: billing
rules:
  - name: big-refund
    when: {action_value_above: {action: refund, limits: {EUR: )" +
         std::to_string(limit) + R"(}}}
    decision: hold
    queue: billing
)";
}

class GatewayShadowTest : public testing::GatewayFixture {
 protected:
  GatewayShadowTest() : GatewayFixture(Policy(100), {}, "active.yaml") {
    agent_ = MakeKey("agent", store::Role::kAgent);
  }

  std::string Refund(const std::string& id, int amount) {
    return R"({"interaction_id":")" + id + R"(","customer_id":"u-1","workflow":"w","type":"ai_proposal",)"
           R"("text":"Refunded.","action":{"name":"refund","amount":)" + std::to_string(amount) +
           R"(,"currency":"EUR"}})";
  }

  std::string UploadCandidate() {
    auto uploaded = gateway_->UploadPolicy(admin_, Policy(200), /*activate=*/false);
    EXPECT_THAT(uploaded, IsOk());
    const std::string key = "\"version\":\"";
    size_t at = uploaded->find(key) + key.size();
    return uploaded->substr(at, uploaded->find('"', at) - at);
  }

  Principal agent_;
};

TEST_F(GatewayShadowTest, NoShadowUntilOneIsSet) {
  auto json = gateway_->ShadowJson(admin_);
  ASSERT_THAT(json, IsOk());
  EXPECT_THAT(*json, HasSubstr("\"shadow\":null"));
}

TEST_F(GatewayShadowTest, CountsDisagreementWithoutChangingDecisions) {
  const std::string version = UploadCandidate();
  ASSERT_THAT(gateway_->SetShadowPolicy(admin_, version), IsOk());
  auto held = gateway_->SubmitEvent(agent_, Refund("c-1", 150));
  ASSERT_THAT(held, IsOk());
  // The active policy still decides: a 150 EUR refund is held.
  EXPECT_THAT(held->decision_json, HasSubstr("\"decision\":\"hold\""));
  EXPECT_FALSE(held->task_id.empty());
  ASSERT_THAT(gateway_->SubmitEvent(agent_, Refund("c-2", 50)), IsOk());
  auto json = gateway_->ShadowJson(admin_);
  ASSERT_THAT(json, IsOk());
  EXPECT_THAT(*json, HasSubstr("\"events\":2,\"changed\":1"));
  EXPECT_THAT(*json, HasSubstr(R"({"from":"hold","to":"allow","count":1})"));
  EXPECT_THAT(*json, HasSubstr(version));
}

TEST_F(GatewayShadowTest, StoppingClearsTheShadowAndBothAreAudited) {
  const std::string version = UploadCandidate();
  ASSERT_THAT(gateway_->SetShadowPolicy(admin_, version), IsOk());
  ASSERT_THAT(gateway_->SetShadowPolicy(admin_, ""), IsOk());
  EXPECT_THAT(*gateway_->ShadowJson(admin_), HasSubstr("\"shadow\":null"));
  auto records = store_->ReadAudit(1, 1000);
  ASSERT_TRUE(records);
  int set = 0, cleared = 0;
  for (const auto& r : *records) {
    set += r.kind == "shadow_policy_set";
    cleared += r.kind == "shadow_policy_cleared";
  }
  EXPECT_EQ(set, 1);
  EXPECT_EQ(cleared, 1);
}

TEST_F(GatewayShadowTest, UnknownVersionAndAgentsAreRefused) {
  EXPECT_THAT(gateway_->SetShadowPolicy(admin_, "sha256:nope"), IsErrorWith(ErrorCode::kNotFound, HasSubstr("no policy")));
  EXPECT_THAT(gateway_->SetShadowPolicy(agent_, ""), IsErrorWith(ErrorCode::kPermissionDenied, HasSubstr("manage")));
  EXPECT_THAT(gateway_->ShadowJson(agent_), IsErrorWith(ErrorCode::kPermissionDenied, HasSubstr("read_metrics")));
}

}  // namespace
}  // namespace hitlgate::gateway
