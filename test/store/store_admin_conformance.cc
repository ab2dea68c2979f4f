// Store conformance: what the administration tables promise beyond the
// happy paths of store_conformance.cc (bad input that changes nothing, the
// outbox's order and visibility, webhooks replaced in place), for every
// backend that lists this file among its test sources.
#include "store/reviewer_key.h"
#include "store/store_conformance.h"
#include "testing/result_matchers.h"

namespace hitlgate::store {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsOk;
using std::chrono::minutes;
using std::chrono::seconds;

std::vector<std::string> KindsSince(Store& s, std::int64_t from) {
  std::vector<std::string> out;
  if (auto recs = s.ReadAudit(from, 1000)) {
    for (const auto& r : *recs) out.push_back(r.kind);
  }
  return out;
}

OutboxMessage Message(std::string task_id, TimePoint due) {
  return OutboxMessage{.workflow = "refunds",
                       .url = "https://hooks.example/refunds",
                       .event_type = "task.answered",
                       .task_id = task_id,
                       .payload_json = R"({"task":")" + task_id + R"("})",
                       .next_attempt_at = due};
}

std::vector<std::string> TaskIds(const std::vector<OutboxMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.push_back(m.task_id);
  return out;
}

}  // namespace

TEST_P(StoreConformanceTest, BadPolicyCallsChangeNothing) {
  const std::int64_t head = HeadSeq();
  EXPECT_THAT(store_->SavePolicyVersion({"", "base", "rules: []\n", "admin", t0_}),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(store_->ActivatePolicy("sha256:none", "admin", t0_), IsError(ErrorCode::kNotFound));
  EXPECT_EQ(HeadSeq(), head);
  EXPECT_THAT(store_->GetActivePolicy(), IsError(ErrorCode::kNotFound));
  auto list = store_->ListPolicyVersions();
  ASSERT_THAT(list, IsOk());
  EXPECT_TRUE(list->empty());
}

TEST_P(StoreConformanceTest, BadKeyCallsChangeNothingAndRevocationIsAudited) {
  const ApiKey k = testing::ReviewerKey("k-rev1", t0_);
  const std::int64_t head = HeadSeq();
  ASSERT_THAT(store_->CreateKey(k), IsOk());
  EXPECT_THAT(store_->CreateKey(k), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store_->RevokeKey("k-404", "k-admin", t0_), IsError(ErrorCode::kNotFound));
  ASSERT_THAT(store_->RevokeKey("k-rev1", "k-admin", t0_ + minutes(1)), IsOk());
  EXPECT_THAT(store_->RevokeKey("k-rev1", "k-admin", t0_ + minutes(2)),
              IsError(ErrorCode::kFailedPrecondition));
  EXPECT_THAT(KindsSince(*store_, head + 1), ::testing::ElementsAre("key_created", "key_revoked"));
  EXPECT_EQ(store_->FindKey("k-rev1")->revoked_at, t0_ + minutes(1))
      << "the refused second revocation kept the first";
}

TEST_P(StoreConformanceTest, AWebhookIsReplacedInPlaceAndListedByWorkflow) {
  ASSERT_THAT(store_->UpsertWebhook({"returns", "https://r", "s0", t0_}, "k-admin"), IsOk());
  ASSERT_THAT(store_->UpsertWebhook({"refunds", "https://a", "s1", t0_}, "k-admin"), IsOk());
  ASSERT_THAT(store_->UpsertWebhook({"refunds", "https://b", "s2", t0_ + minutes(1)}, "k-admin"),
              IsOk());
  const std::int64_t head = HeadSeq();
  EXPECT_THAT(store_->UpsertWebhook({"refunds", "", "s3", t0_}, "k-admin"),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_EQ(HeadSeq(), head);
  auto hooks = store_->ListWebhooks();
  ASSERT_THAT(hooks, IsOk());
  ASSERT_EQ(hooks->size(), 2u);
  EXPECT_EQ((*hooks)[0], (Webhook{"refunds", "https://b", "s2", t0_ + minutes(1)}));
  EXPECT_EQ((*hooks)[1].workflow, "returns");
}

TEST_P(StoreConformanceTest, OutboxHandsOutDueMessagesOldestFirstAsTheyWereTaken) {
  auto ids = store_->EnqueueDeliveries(
      {Message("late", t0_ + minutes(3)), Message("early", t0_ + minutes(1)),
       Message("mid", t0_ + minutes(2)), Message("now", t0_ - minutes(9))},
      t0_);
  ASSERT_THAT(ids, IsOk());
  ASSERT_EQ(ids->size(), 4u);
  auto first = store_->NextDeliveries(t0_, 10, std::chrono::hours(1));
  ASSERT_THAT(first, IsOk());
  ASSERT_EQ(TaskIds(*first), (std::vector<std::string>{"now"})) << "due no earlier than enqueued";
  EXPECT_EQ((*first)[0].next_attempt_at, t0_);
  EXPECT_EQ((*first)[0].id, (*ids)[3]);

  auto two = store_->NextDeliveries(t0_ + minutes(5), 2, minutes(1));
  ASSERT_THAT(two, IsOk());
  ASSERT_EQ(TaskIds(*two), (std::vector<std::string>{"early", "mid"}));
  EXPECT_EQ((*two)[0].next_attempt_at, t0_ + minutes(1)) << "as it was when taken";
  EXPECT_EQ((*two)[1].next_attempt_at, t0_ + minutes(2));
  EXPECT_EQ((*two)[0].attempts, 0);
  EXPECT_EQ((*two)[0].payload_json, R"({"task":"early"})");
  EXPECT_EQ((*two)[0].created_at, t0_);
  EXPECT_FALSE((*two)[0].delivered_at.has_value());

  auto rest = store_->NextDeliveries(t0_ + minutes(5), 10, minutes(1));
  ASSERT_THAT(rest, IsOk());
  EXPECT_EQ(TaskIds(*rest), (std::vector<std::string>{"late"})) << "the two taken are hidden";
  EXPECT_TRUE(store_->NextDeliveries(t0_ + minutes(6) - seconds(1), 10, minutes(1))->empty());
  auto again = store_->NextDeliveries(t0_ + minutes(6), 10, minutes(1));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->size(), 3u) << "a sender that never reported back leaves them to the next";
}

TEST_P(StoreConformanceTest, NoLimitTakesNothingAndHidesNothing) {
  ASSERT_THAT(store_->EnqueueDeliveries({Message("a", t0_)}, t0_), IsOk());
  auto none = store_->NextDeliveries(t0_, 0, minutes(1));
  ASSERT_THAT(none, IsOk());
  EXPECT_TRUE(none->empty());
  auto negative = store_->NextDeliveries(t0_, -1, minutes(1));
  ASSERT_THAT(negative, IsOk());
  EXPECT_TRUE(negative->empty());
  EXPECT_EQ(store_->NextDeliveries(t0_, 10, minutes(1))->size(), 1u);
}

TEST_P(StoreConformanceTest, ABatchLargerThanOneStatementIsHiddenWhole) {
  std::vector<OutboxMessage> many;
  for (int i = 0; i < 300; ++i) many.push_back(Message("t-" + std::to_string(i), t0_));
  ASSERT_THAT(store_->EnqueueDeliveries(many, t0_), IsOk());
  auto taken = store_->NextDeliveries(t0_, 1000, minutes(1));
  ASSERT_THAT(taken, IsOk());
  EXPECT_EQ(taken->size(), 300u);
  auto again = store_->NextDeliveries(t0_, 1000, minutes(1));
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->empty()) << again->size() << " came back while hidden";
}

TEST_P(StoreConformanceTest, ReportsOnUnknownMessagesChangeNothing) {
  ASSERT_THAT(store_->EnqueueDeliveries({Message("a", t0_)}, t0_), IsOk());
  const std::int64_t head = HeadSeq();
  EXPECT_THAT(store_->MarkFailed(424242, t0_, t0_ + minutes(1), "HTTP 500"),
              IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store_->MarkDelivered(424242, t0_), IsError(ErrorCode::kNotFound));
  EXPECT_EQ(HeadSeq(), head);
  auto due = store_->NextDeliveries(t0_, 10, minutes(1));
  ASSERT_THAT(due, IsOk());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].attempts, 0);
  EXPECT_EQ((*due)[0].last_error, "");
}

TEST_P(StoreConformanceTest, DeliveryReportsAreAudited) {
  auto ids = store_->EnqueueDeliveries({Message("a", t0_), Message("b", t0_)}, t0_);
  ASSERT_THAT(ids, IsOk());
  const std::int64_t head = HeadSeq();
  ASSERT_THAT(store_->MarkFailed((*ids)[0], t0_, t0_ + minutes(1), "HTTP 503"), IsOk());
  ASSERT_THAT(store_->MarkDelivered((*ids)[1], t0_), IsOk());
  ASSERT_THAT(store_->MarkDelivered((*ids)[1], t0_ + minutes(1)), IsOk())
      << "again: OK, no second record";
  EXPECT_THAT(KindsSince(*store_, head + 1),
              ::testing::ElementsAre("webhook_failed", "webhook_delivered"));
  auto due = store_->NextDeliveries(t0_ + minutes(1), 10, minutes(1));
  ASSERT_THAT(due, IsOk());
  ASSERT_EQ(TaskIds(*due), (std::vector<std::string>{"a"})) << "the delivered one never comes back";
  EXPECT_EQ((*due)[0].attempts, 1);
  EXPECT_EQ((*due)[0].last_error, "HTTP 503");
}

}  // namespace hitlgate::store
