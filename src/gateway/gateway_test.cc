// The gateway as a whole below HTTP: the periodic work (leases, SLA
// escalation, hold notices, retention), roles across services, the audit
// chain after a mixed workload. The event path's own tests are in
// event_service_test.cc. Real engine, real policy, the in-memory store, a
// fake clock. HTTP itself is covered by test/integration.
#include "hitlgate/gateway/gateway.h"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hitlgate/audit/verifier.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/engine/memory_conversation_store.h"
#include "hitlgate/store/audit_source.h"
#include "hitlgate/store/memory_store.h"
#include "gateway/testing/shop_gateway_fixture.h"
#include "testing/result_matchers.h"

namespace hitlgate::gateway {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsErrorWith;
using ::hitlgate::testing::IsOk;
using ::testing::HasSubstr;

class GatewayTest : public testing::ShopGatewayFixture {};

TEST_F(GatewayTest, ExpiredLeasePutsTheTaskBack) {
  std::string task_id = HeldTask("c-4");
  auto claimed = Parse(gateway_->review().ClaimNext(reviewer_, {}));
  std::string lease(claimed.at("lease").at("lease_id").as_string());
  clock_.Advance(std::chrono::seconds(31));
  auto tick = gateway_->Tick();
  ASSERT_THAT(tick, IsOk());
  EXPECT_EQ(tick->leases_expired, 1);
  EXPECT_THAT(gateway_->review().RenewLease(reviewer_, task_id, lease), IsError(ErrorCode::kAborted));
  VerdictRequest v;
  v.lease_id = lease;
  EXPECT_THAT(gateway_->review().SubmitVerdict(reviewer_, task_id, v), IsError(ErrorCode::kAborted));
  auto again = Parse(gateway_->review().ClaimNext(reviewer_, {}));
  EXPECT_EQ(again.at("id").as_string(), task_id);
}

TEST_F(GatewayTest, SlaBreachEscalatesToSupervisors) {
  std::string task_id = HeldTask("c-5");
  clock_.Advance(std::chrono::seconds(121));
  auto tick = gateway_->Tick();
  ASSERT_THAT(tick, IsOk());
  EXPECT_EQ(tick->escalated, 1);
  auto task = Parse(gateway_->review().Task(supervisor_, task_id));
  EXPECT_TRUE(task.at("escalated").as_bool());
  EXPECT_EQ(task.at("queue").as_string(), "supervisors");
  EXPECT_EQ(task.at("priority").as_int64(), 1);
  EXPECT_THAT(live_.topics, ::testing::Contains("task.escalated"));
  // Reviewers do not work the escalation queue; supervisors do.
  EXPECT_THAT(gateway_->review().ClaimNext(reviewer_, {}), IsError(ErrorCode::kNotFound));
  auto claimed = Parse(gateway_->review().ClaimNext(supervisor_, {}));
  EXPECT_EQ(claimed.at("id").as_string(), task_id);
}

TEST_F(GatewayTest, HoldNoticeTellsTheAgentToShowAHoldingMessage) {
  std::string task_id = HeldTask("c-6");
  clock_.Advance(std::chrono::seconds(21));
  auto tick = gateway_->Tick();
  ASSERT_THAT(tick, IsOk());
  EXPECT_EQ(tick->hold_notices, 1);
  auto view = Parse(gateway_->review().AgentTask(agent_, task_id));
  EXPECT_EQ(view.at("status").as_string(), "pending");
  EXPECT_GT(view.at("holding_message").at("expected_wait_seconds").as_int64(), 0);
}

TEST_F(GatewayTest, RolesAreEnforced) {
  EXPECT_THAT(gateway_->review().ClaimNext(agent_, {}), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(gateway_->events().Submit(reviewer_, Refund("c-9", 5)), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(gateway_->policies().UploadPolicy(reviewer_, testing::kShopPolicy, true), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(gateway_->access().Keys(supervisor_), IsError(ErrorCode::kPermissionDenied));
  std::string task_id = HeldTask("c-10");
  VerdictRequest v;
  v.override = true;
  EXPECT_THAT(gateway_->review().SubmitVerdict(auditor_, task_id, v), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(gateway_->review().SubmitVerdict(reviewer_, task_id, v), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(gateway_->review().Interaction(auditor_, "c-10"), IsOk());
  // An agent scoped to shop-bot cannot report for another workflow.
  std::string other = Refund("c-11", 5);
  other.replace(other.find("shop-bot"), 8, "bank-bot");
  EXPECT_THAT(gateway_->events().Submit(agent_, other), IsErrorWith(ErrorCode::kPermissionDenied, HasSubstr("bank-bot")));
}

TEST_F(GatewayTest, AuditChainVerifiesAfterAMixedWorkload) {
  for (int i = 0; i < 5; ++i) HeldTask("c-m" + std::to_string(i));
  auto claimed = Parse(gateway_->review().ClaimNext(reviewer_, {}));
  VerdictRequest v;
  v.lease_id = std::string(claimed.at("lease").at("lease_id").as_string());
  v.kind = store::VerdictKind::kRejected;
  v.reason = "duplicate refund";
  v.customer_message = "We already refunded this order.";
  ASSERT_THAT(gateway_->review().SubmitVerdict(reviewer_, std::string(claimed.at("id").as_string()), v), IsOk());
  store::StoreAuditSource source(store_.get());
  auto summary = audit::VerifyChain(source);
  EXPECT_TRUE(summary.ok()) << summary.detail;
  EXPECT_GT(summary.records_checked, 10);
}

TEST_F(GatewayTest, SampledAutonomousConversationsGoToAuditors) {
  auto r = gateway_->events().Submit(agent_, R"({"interaction_id":"a-1","customer_id":"u-3","workflow":"shop-bot",
      "type":"customer_message","text":"What are your opening hours?"})");
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->decision_json, HasSubstr(R"("audit_sample":true)"));
  ASSERT_FALSE(r->task_id.empty());
  EXPECT_THAT(gateway_->review().ClaimNext(reviewer_, {"audit"}), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(gateway_->review().ClaimNext(reviewer_, {}), IsError(ErrorCode::kNotFound));
  auto claimed = Parse(gateway_->review().ClaimNext(auditor_, {}));
  EXPECT_EQ(claimed.at("kind").as_string(), "audit_sample");
  VerdictRequest flag;
  flag.lease_id = std::string(claimed.at("lease").at("lease_id").as_string());
  flag.kind = store::VerdictKind::kRejected;
  flag.reason = "flag:wrong_information";
  flag.note = "the hours changed last week";
  ASSERT_THAT(gateway_->review().SubmitVerdict(auditor_, std::string(claimed.at("id").as_string()), flag), IsOk());
  // An auditor still cannot answer customers' held proposals.
  std::string held = HeldTask("a-2");
  EXPECT_THAT(gateway_->review().Claim(auditor_, held), IsError(ErrorCode::kPermissionDenied));
}

TEST_F(GatewayTest, RetentionPurgesOnlyPastTheRetentionPeriodAndAuditsIt) {
  HeldTask("r-1");
  ASSERT_THAT(gateway_->Tick(), IsOk());  // first purge: nothing is that old
  auto head = store_->GetAuditHead();
  clock_.Advance(std::chrono::hours(24 * 184));
  auto tick = gateway_->Tick();
  ASSERT_THAT(tick, IsOk());
  EXPECT_GT(tick->audit_purged, 0);
  auto records = store_->ReadAudit(1, 10000);
  ASSERT_THAT(records, IsOk());
  EXPECT_EQ(records->back().kind, "audit_purged");
  EXPECT_GT(records->front().seq, 1);
  store::StoreAuditSource source(store_.get());
  EXPECT_TRUE(audit::VerifyChain(source).ok());
  EXPECT_GT(store_->GetAuditHead()->seq, head->seq);
}

}  // namespace
}  // namespace hitlgate::gateway

