// EventService below HTTP: an event in, its durable decision out, and the
// contracts of ADR 0009 (a retry gets the recorded bytes and changes
// nothing, a changed retry is a conflict, concurrent copies make one
// decision, a failed write leaves no trace, workflows kept apart). On the
// shared shop fixture (real engine and policy, in-memory store with fault
// injection, fake clock).
#include "hitlgate/gateway/event_service.h"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "gateway/testing/shop_gateway_fixture.h"
#include "testing/result_matchers.h"

namespace hitlgate::gateway {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsErrorWith;
using ::hitlgate::testing::IsOk;
using ::testing::HasSubstr;
namespace json = boost::json;

class EventServiceTest : public testing::ShopGatewayFixture {
 protected:
  EventService& events() { return gateway_->events(); }
};

TEST_F(EventServiceTest, SmallRefundIsMonitoredAndOpensNoTask) {
  auto r = events().Submit(agent_, Refund("c-1", 20));
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(r->task_id.empty());
  EXPECT_THAT(r->decision_json, HasSubstr(R"("decision":"allow_monitored")"));
}


TEST_F(EventServiceTest, BadEventIsRefusedAndWritesNothing) {
  auto before = store_->GetAuditHead();
  EXPECT_THAT(events().Submit(agent_, R"({"interaction_id":"c-8","workflow":"shop-bot","type":"ai_proposal",
      "text":"x","confidence":"high"})"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("field 'confidence'")));
  EXPECT_THAT(events().Submit(agent_, "{nope"), IsError(ErrorCode::kInvalidArgument));
  auto after = store_->GetAuditHead();
  EXPECT_EQ(before->seq, after->seq);
  EXPECT_THAT(store_->GetInteraction("c-8"), IsError(ErrorCode::kNotFound));
}


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

TEST_F(EventServiceTest, SameEventTwiceReturnsIdenticalBytesAndChangesNothing) {
  const std::string event = contracts::Proposal("shop-bot", "idem-1", "e-1", 150);
  auto first = events().Submit(agent_, event);
  ASSERT_THAT(first, IsOk());
  ASSERT_FALSE(first->task_id.empty());
  EXPECT_FALSE(first->duplicate);
  const auto head = store_->GetAuditHead();
  const size_t published = live_.topics.size();

  auto again = events().Submit(agent_, event);
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->decision_json, first->decision_json) << "the recorded answer, byte for byte";
  EXPECT_EQ(again->task_id, first->task_id);
  EXPECT_EQ(store_->GetAuditHead()->seq, head->seq) << "a retry writes no audit record";
  EXPECT_EQ(live_.topics.size(), published) << "a retry publishes nothing";
  EXPECT_EQ(store_->ListTasks({})->size(), 1u);
}

TEST_F(EventServiceTest, RetryWithAChangedBodyIsAConflictNamingTheFieldsAndChangesNothing) {
  auto first = events().Submit(agent_, contracts::Proposal("shop-bot", "idem-2", "e-2", 150));
  ASSERT_THAT(first, IsOk());
  const auto head = store_->GetAuditHead();

  auto changed = events().Submit(agent_, contracts::Proposal("shop-bot", "idem-2", "e-2", 20));
  EXPECT_THAT(changed, IsErrorWith(ErrorCode::kAlreadyExists, HasSubstr("action.amount")));
  EXPECT_EQ(store_->GetAuditHead()->seq, head->seq);
  auto task = store_->GetTask(first->task_id);
  ASSERT_THAT(task, IsOk());
  EXPECT_EQ(task->status, store::TaskStatus::kOpen) << "the held refund still waits for a person";
}

TEST_F(EventServiceTest, DuplicateDoesNotMoveTheConversationsSignals) {
  ASSERT_THAT(events().Submit(agent_, contracts::Message("shop-bot", "rate-1", "m-1", "Hello")), IsOk());
  ASSERT_THAT(events().Submit(agent_, contracts::Message("shop-bot", "rate-1", "m-1", "Hello")), IsOk());
  auto second = events().Submit(agent_, contracts::Message("shop-bot", "rate-1", "m-2", "Still there?"));
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(contracts::MessagesPerMinute(second->decision_json), 2) << "two messages, not three";
  EXPECT_EQ(json::parse(second->decision_json).at("event_index").as_int64(), 1);
}

TEST_F(EventServiceTest, WriteThatFailsLeavesTheConversationStateAsItWas) {
  ASSERT_THAT(events().Submit(agent_, contracts::Message("shop-bot", "fail-1", "f-1", "Hello")), IsOk());
  faults_.fail_decisions = 1;
  EXPECT_THAT(events().Submit(agent_, contracts::Message("shop-bot", "fail-1", "f-2", "Anyone?")),
              IsError(ErrorCode::kUnavailable));
  auto retried = events().Submit(agent_, contracts::Message("shop-bot", "fail-1", "f-2", "Anyone?"));
  ASSERT_THAT(retried, IsOk());
  EXPECT_FALSE(retried->duplicate) << "nothing was recorded the first time";
  EXPECT_EQ(json::parse(retried->decision_json).at("event_index").as_int64(), 1)
      << "the failed write left no trace in the conversation";
  EXPECT_EQ(contracts::MessagesPerMinute(retried->decision_json), 2);
}

TEST_F(EventServiceTest, TwentyConcurrentCopiesMakeOneDecisionAndOneTask) {
  const std::string event = contracts::Proposal("shop-bot", "race-1", "r-1", 150);
  std::vector<Result<SubmitResult>> results(20, MakeError(ErrorCode::kInternal, "not run"));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = events().Submit(agent_, event); });
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

TEST_F(EventServiceTest, EventIdsAreScopedByWorkflow) {
  Principal travel = MakeKey("travel agent", store::Role::kAgent, {}, {"travel-bot"});
  auto shop = events().Submit(agent_, contracts::Proposal("shop-bot", "scope-1", "same-id", 150));
  auto other = events().Submit(travel, contracts::Proposal("travel-bot", "scope-1", "same-id", 20));
  ASSERT_THAT(shop, IsOk());
  ASSERT_THAT(other, IsOk());
  EXPECT_FALSE(other->duplicate) << "another workflow's event id is not this one's";
  EXPECT_TRUE(other->task_id.empty());
  EXPECT_NE(other->decision_json, shop->decision_json);
  // Nor does the other workflow's agent see the held task.
  EXPECT_THAT(gateway_->review().AgentTask(travel, shop->task_id), IsError(ErrorCode::kPermissionDenied));
}

TEST_F(EventServiceTest, EventOfAnUndeclaredWorkflowIsRefusedNamingIt) {
  Principal everywhere = MakeKey("any agent", store::Role::kAgent, {}, {"*"});
  EXPECT_THAT(events().Submit(everywhere, contracts::Proposal("ghost-bot", "g-1", "g-1", 10)),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'ghost-bot'")));
  EXPECT_THAT(events().Submit(everywhere, contracts::Proposal("travel-bot", "g-1", "g-1", 10)), IsOk());
}

TEST_F(EventServiceTest, AgentKeyMustNameItsWorkflowsOrSayEveryOne) {
  KeyRequest unscoped{"lazy agent", store::Role::kAgent, {}, {}, {}, 0};
  EXPECT_THAT(gateway_->access().CreateKey(admin_, unscoped),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("workflows")));
  Principal shop_only = agent_;
  EXPECT_THAT(events().Submit(shop_only, contracts::Proposal("travel-bot", "k-1", "k-1", 10)),
              IsError(ErrorCode::kPermissionDenied));
}

TEST_F(EventServiceTest, ClosingAnInteractionOfAnotherWorkflowLeavesThisOnesState) {
  Principal travel = MakeKey("travel agent", store::Role::kAgent, {}, {"travel-bot"});
  ASSERT_THAT(events().Submit(agent_, contracts::Message("shop-bot", "close-1", "x-1", "Hi")), IsOk());
  ASSERT_THAT(events().Submit(travel, R"({"interaction_id":"close-1","customer_id":"u-5",
      "workflow":"travel-bot","type":"interaction_closed","event_id":"x-2","at":"2026-11-22T10:00:00Z"})"),
              IsOk());
  auto next = events().Submit(agent_, contracts::Message("shop-bot", "close-1", "x-3", "Still here"));
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(json::parse(next->decision_json).at("event_index").as_int64(), 1);
  EXPECT_EQ(contracts::MessagesPerMinute(next->decision_json), 2);
}

}  // namespace
}  // namespace hitlgate::gateway
