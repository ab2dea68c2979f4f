// The gateway service end to end below HTTP: real engine, real policy, the
// in-memory store, a fake clock. HTTP itself is covered by test/integration.
#include "hitlgate/gateway/gateway.h"

#include <boost/json.hpp>
#include <thread>
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
namespace json = boost::json;

class GatewayTest : public testing::ShopGatewayFixture {};

TEST_F(GatewayTest, SmallRefundIsMonitoredAndOpensNoTask) {
  auto r = gateway_->events().Submit(agent_, Refund("c-1", 20));
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(r->task_id.empty());
  EXPECT_THAT(r->decision_json, HasSubstr(R"("decision":"allow_monitored")"));
}

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

TEST_F(GatewayTest, BadEventIsRefusedAndWritesNothing) {
  auto before = store_->GetAuditHead();
  EXPECT_THAT(gateway_->events().Submit(agent_, R"({"interaction_id":"c-8","workflow":"shop-bot","type":"ai_proposal",
      "text":"x","confidence":"high"})"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("field 'confidence'")));
  EXPECT_THAT(gateway_->events().Submit(agent_, "{nope"), IsError(ErrorCode::kInvalidArgument));
  auto after = store_->GetAuditHead();
  EXPECT_EQ(before->seq, after->seq);
  EXPECT_THAT(store_->GetInteraction("c-8"), IsError(ErrorCode::kNotFound));
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


namespace hitlgate::gateway {
namespace {

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

// ---- The event path's contracts (ADR 0009) --------------------------------

namespace contracts {

std::string Message(std::string_view workflow, std::string_view interaction, std::string_view event_id,
                    std::string_view text) {
  return std::string(R"({"interaction_id":")") + std::string(interaction) + R"(","customer_id":"u-5","workflow":")" +
         std::string(workflow) + R"(","type":"customer_message","text":")" + std::string(text) +
         R"(","event_id":")" + std::string(event_id) + R"(","at":"2026-11-22T10:00:00Z"})";
}

std::string Proposal(std::string_view workflow, std::string_view interaction, std::string_view event_id,
                     double amount) {
  return std::string(R"({"interaction_id":")") + std::string(interaction) + R"(","customer_id":"u-5","workflow":")" +
         std::string(workflow) + R"(","type":"ai_proposal","text":"Refunded.","intent":"return_item",)" +
         R"("confidence":0.9,"action":{"name":"refund","amount":)" + std::to_string(amount) +
         R"(,"currency":"EUR"},"event_id":")" + std::string(event_id) + R"("})";
}

double MessagesPerMinute(const std::string& answer) {
  return json::parse(answer).at("signals").at("messages_per_minute").to_number<double>();
}

}  // namespace contracts

TEST_F(GatewayTest, SameEventTwiceReturnsIdenticalBytesAndChangesNothing) {
  const std::string event = contracts::Proposal("shop-bot", "idem-1", "e-1", 150);
  auto first = gateway_->events().Submit(agent_, event);
  ASSERT_THAT(first, IsOk());
  ASSERT_FALSE(first->task_id.empty());
  EXPECT_FALSE(first->duplicate);
  const auto head = store_->GetAuditHead();
  const size_t published = live_.topics.size();

  auto again = gateway_->events().Submit(agent_, event);
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->decision_json, first->decision_json) << "the recorded answer, byte for byte";
  EXPECT_EQ(again->task_id, first->task_id);
  EXPECT_EQ(store_->GetAuditHead()->seq, head->seq) << "a retry writes no audit record";
  EXPECT_EQ(live_.topics.size(), published) << "a retry publishes nothing";
  EXPECT_EQ(store_->ListTasks({})->size(), 1u);
}

TEST_F(GatewayTest, RetryWithAChangedBodyIsAConflictNamingTheFieldsAndChangesNothing) {
  auto first = gateway_->events().Submit(agent_, contracts::Proposal("shop-bot", "idem-2", "e-2", 150));
  ASSERT_THAT(first, IsOk());
  const auto head = store_->GetAuditHead();

  auto changed = gateway_->events().Submit(agent_, contracts::Proposal("shop-bot", "idem-2", "e-2", 20));
  EXPECT_THAT(changed, IsErrorWith(ErrorCode::kAlreadyExists, HasSubstr("action.amount")));
  EXPECT_EQ(store_->GetAuditHead()->seq, head->seq);
  auto task = store_->GetTask(first->task_id);
  ASSERT_THAT(task, IsOk());
  EXPECT_EQ(task->status, store::TaskStatus::kOpen) << "the held refund still waits for a person";
}

TEST_F(GatewayTest, DuplicateDoesNotMoveTheConversationsSignals) {
  ASSERT_THAT(gateway_->events().Submit(agent_, contracts::Message("shop-bot", "rate-1", "m-1", "Hello")), IsOk());
  ASSERT_THAT(gateway_->events().Submit(agent_, contracts::Message("shop-bot", "rate-1", "m-1", "Hello")), IsOk());
  auto second = gateway_->events().Submit(agent_, contracts::Message("shop-bot", "rate-1", "m-2", "Still there?"));
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(contracts::MessagesPerMinute(second->decision_json), 2) << "two messages, not three";
  EXPECT_EQ(json::parse(second->decision_json).at("event_index").as_int64(), 1);
}

TEST_F(GatewayTest, WriteThatFailsLeavesTheConversationStateAsItWas) {
  ASSERT_THAT(gateway_->events().Submit(agent_, contracts::Message("shop-bot", "fail-1", "f-1", "Hello")), IsOk());
  faults_.fail_decisions = 1;
  EXPECT_THAT(gateway_->events().Submit(agent_, contracts::Message("shop-bot", "fail-1", "f-2", "Anyone?")),
              IsError(ErrorCode::kUnavailable));
  auto retried = gateway_->events().Submit(agent_, contracts::Message("shop-bot", "fail-1", "f-2", "Anyone?"));
  ASSERT_THAT(retried, IsOk());
  EXPECT_FALSE(retried->duplicate) << "nothing was recorded the first time";
  EXPECT_EQ(json::parse(retried->decision_json).at("event_index").as_int64(), 1)
      << "the failed write left no trace in the conversation";
  EXPECT_EQ(contracts::MessagesPerMinute(retried->decision_json), 2);
}

TEST_F(GatewayTest, TwentyConcurrentCopiesMakeOneDecisionAndOneTask) {
  const std::string event = contracts::Proposal("shop-bot", "race-1", "r-1", 150);
  std::vector<Result<SubmitResult>> results(20, MakeError(ErrorCode::kInternal, "not run"));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = gateway_->events().Submit(agent_, event); });
  }
  for (auto& t : threads) t.join();
  int originals = 0;
  for (const auto& r : results) {
    ASSERT_THAT(r, IsOk());
    originals += r->duplicate ? 0 : 1;
    EXPECT_EQ(r->decision_json, results[0]->decision_json);
  }
  EXPECT_EQ(originals, 1);
  EXPECT_EQ(store_->ListTasks({})->size(), 1u);
}

TEST_F(GatewayTest, EventIdsAreScopedByWorkflow) {
  Principal travel = MakeKey("travel agent", store::Role::kAgent, {}, {"travel-bot"});
  auto shop = gateway_->events().Submit(agent_, contracts::Proposal("shop-bot", "scope-1", "same-id", 150));
  auto other = gateway_->events().Submit(travel, contracts::Proposal("travel-bot", "scope-1", "same-id", 20));
  ASSERT_THAT(shop, IsOk());
  ASSERT_THAT(other, IsOk());
  EXPECT_FALSE(other->duplicate) << "another workflow's event id is not this one's";
  EXPECT_TRUE(other->task_id.empty());
  EXPECT_NE(other->decision_json, shop->decision_json);
  // Nor does the other workflow's agent see the held task.
  EXPECT_THAT(gateway_->review().AgentTask(travel, shop->task_id), IsError(ErrorCode::kPermissionDenied));
}

TEST_F(GatewayTest, EventOfAnUndeclaredWorkflowIsRefusedNamingIt) {
  Principal everywhere = MakeKey("any agent", store::Role::kAgent, {}, {"*"});
  EXPECT_THAT(gateway_->events().Submit(everywhere, contracts::Proposal("ghost-bot", "g-1", "g-1", 10)),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'ghost-bot'")));
  EXPECT_THAT(gateway_->events().Submit(everywhere, contracts::Proposal("travel-bot", "g-1", "g-1", 10)), IsOk());
}

TEST_F(GatewayTest, AgentKeyMustNameItsWorkflowsOrSayEveryOne) {
  KeyRequest unscoped{"lazy agent", store::Role::kAgent, {}, {}, {}, 0};
  EXPECT_THAT(gateway_->access().CreateKey(admin_, unscoped),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("workflows")));
  Principal shop_only = agent_;
  EXPECT_THAT(gateway_->events().Submit(shop_only, contracts::Proposal("travel-bot", "k-1", "k-1", 10)),
              IsError(ErrorCode::kPermissionDenied));
}

TEST_F(GatewayTest, ClosingAnInteractionOfAnotherWorkflowLeavesThisOnesState) {
  Principal travel = MakeKey("travel agent", store::Role::kAgent, {}, {"travel-bot"});
  ASSERT_THAT(gateway_->events().Submit(agent_, contracts::Message("shop-bot", "close-1", "x-1", "Hi")), IsOk());
  ASSERT_THAT(gateway_->events().Submit(travel, R"({"interaction_id":"close-1","customer_id":"u-5",
      "workflow":"travel-bot","type":"interaction_closed","event_id":"x-2","at":"2026-11-22T10:00:00Z"})"),
              IsOk());
  auto next = gateway_->events().Submit(agent_, contracts::Message("shop-bot", "close-1", "x-3", "Still here"));
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(json::parse(next->decision_json).at("event_index").as_int64(), 1);
  EXPECT_EQ(contracts::MessagesPerMinute(next->decision_json), 2);
}

}  // namespace
}  // namespace hitlgate::gateway
