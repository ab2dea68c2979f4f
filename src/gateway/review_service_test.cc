// ReviewService below HTTP: claims and their order, leases, verdicts, who
// may read what, and the held task as its agent reads it. On the shared shop
// fixture (real engine and policy, in-memory store, fake clock).
#include "hitlgate/gateway/review_service.h"

#include <algorithm>
#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gateway/testing/shop_gateway_fixture.h"
#include "testing/result_matchers.h"

namespace hitlgate::gateway {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsErrorWith;
using ::hitlgate::testing::IsOk;
using ::testing::HasSubstr;

class ReviewServiceTest : public testing::ShopGatewayFixture {
 protected:
  ReviewService& review() { return gateway_->review(); }

  // A customer asking for a person: a handoff to the supervisors' queue
  // (priority 1).
  std::string Handoff(const std::string& id) {
    auto r = gateway_->events().Submit(agent_, R"({"interaction_id":")" + id + R"(","customer_id":"u-2",
        "workflow":"shop-bot","type":"customer_message","text":"I want to talk to a real person please"})");
    EXPECT_THAT(r, IsOk());
    return r ? r->task_id : "";
  }

  std::string LeaseOf(const Result<ReviewerTask>& claimed) {
    EXPECT_THAT(claimed, IsOk());
    return claimed && claimed->task.lease ? claimed->task.lease->lease_id : "";
  }
};

TEST_F(ReviewServiceTest, ClaimNextTakesTheMostUrgentTaskFirst) {
  const std::string refund = HeldTask("o-1");
  clock_.Advance(std::chrono::seconds(1));
  const std::string handoff = Handoff("o-2");
  // The handoff came later but its queue is more urgent (priority 1).
  auto first = review().ClaimNext(supervisor_, {});
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->task.id, handoff);
  auto second = review().ClaimNext(supervisor_, {});
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->task.id, refund);
  EXPECT_THAT(review().ClaimNext(supervisor_, {}), IsError(ErrorCode::kNotFound));
}

TEST_F(ReviewServiceTest, EqualUrgencyIsClaimedEarliestDeadlineFirst) {
  const std::string older = HeldTask("o-3");
  clock_.Advance(std::chrono::seconds(5));
  const std::string newer = HeldTask("o-4");
  auto first = review().ClaimNext(reviewer_, {"billing"});
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->task.id, older);
  auto second = review().ClaimNext(reviewer_, {"billing"});
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->task.id, newer);
}

TEST_F(ReviewServiceTest, TasksComeInWorkingOrderSayingWhichThisKeyMayClaim) {
  const std::string refund = HeldTask("o-5");
  const std::string handoff = Handoff("o-6");
  auto tasks = review().Tasks(reviewer_, {});
  ASSERT_THAT(tasks, IsOk());
  ASSERT_EQ(tasks->size(), 2u);
  EXPECT_EQ((*tasks)[0].task.id, handoff);
  EXPECT_FALSE((*tasks)[0].can_claim) << "only supervisors work the escalation queue";
  EXPECT_EQ((*tasks)[1].task.id, refund);
  EXPECT_TRUE((*tasks)[1].can_claim);
}

TEST_F(ReviewServiceTest, QueuesSayWhichOnesThisKeyMayWork) {
  HeldTask("o-7");
  auto can_work = [&](const Principal& who) {
    std::map<std::string, bool> out;
    auto queues = review().Queues(who);
    EXPECT_THAT(queues, IsOk());
    if (queues) {
      for (const QueueSummary& q : *queues) out[q.name] = q.can_work;
    }
    return out;
  };
  auto reviewer = can_work(reviewer_);
  EXPECT_TRUE(reviewer["billing"]);
  EXPECT_FALSE(reviewer["supervisors"]);
  EXPECT_FALSE(reviewer["audit"]);
  EXPECT_TRUE(can_work(auditor_)["audit"]);
  EXPECT_TRUE(can_work(supervisor_)["supervisors"]);
  auto queues = review().Queues(reviewer_);
  ASSERT_THAT(queues, IsOk());
  auto billing = std::ranges::find(*queues, std::string("billing"), &QueueSummary::name);
  ASSERT_NE(billing, queues->end());
  EXPECT_EQ(billing->open, 1);
  EXPECT_THAT(review().Queues(agent_), IsError(ErrorCode::kPermissionDenied));
}

// The queues' open counts are of the workflows the key covers: a reviewer of
// another workflow learns nothing of shop-bot's backlog from them.
TEST_F(ReviewServiceTest, QueueCountsAreOfTheWorkflowsTheKeyCovers) {
  HeldTask("o-count-1");
  HeldTask("o-count-2");
  auto billing_open = [&](const Principal& who) -> std::int64_t {
    auto queues = review().Queues(who);
    EXPECT_THAT(queues, IsOk());
    if (!queues) return -1;
    auto billing = std::ranges::find(*queues, std::string("billing"), &QueueSummary::name);
    return billing == queues->end() ? -1 : billing->open;
  };
  const Principal airline = MakeKey("airline reviewer", store::Role::kReviewer, {"billing"}, {"airline-bot"});
  const Principal shop = MakeKey("shop reviewer", store::Role::kReviewer, {"billing"}, {"shop-bot"});
  EXPECT_EQ(billing_open(airline), 0);
  EXPECT_EQ(billing_open(shop), 2);
  EXPECT_EQ(billing_open(supervisor_), 2) << "a key for every workflow counts them all";
}

// A people key is scoped to its workflows like an agent's (issue 13): a
// reviewer of another workflow neither claims, reads, lists nor answers
// shop-bot's tasks, and one of shop-bot does.
TEST_F(ReviewServiceTest, AReviewerOfAnotherWorkflowNeitherClaimsNorSeesTheTask) {
  const std::string task_id = HeldTask("o-scope");
  const Principal airline = MakeKey("airline reviewer", store::Role::kReviewer, {"billing"}, {"airline-bot"});
  EXPECT_THAT(review().ClaimNext(airline, {}), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(review().Claim(airline, task_id), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(review().Task(airline, task_id), IsError(ErrorCode::kPermissionDenied));
  auto listed = review().Tasks(airline, {});
  ASSERT_THAT(listed, IsOk());
  EXPECT_TRUE(listed->empty());
  store::TaskFilter shop_only;
  shop_only.workflow = "shop-bot";
  EXPECT_THAT(review().Tasks(airline, shop_only), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(review().Interaction(airline, "o-scope", ""), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(review().SubmitVerdict(airline, task_id, {.kind = store::VerdictKind::kApproved}),
              IsError(ErrorCode::kPermissionDenied));
  auto task = store_->GetTask(task_id);
  ASSERT_THAT(task, IsOk());
  EXPECT_EQ(task->status, store::TaskStatus::kOpen) << "nothing the other workflow's key did changed it";

  const Principal shop = MakeKey("shop reviewer", store::Role::kReviewer, {"billing"}, {"shop-bot"});
  auto claimed = review().ClaimNext(shop, {});
  ASSERT_THAT(claimed, IsOk());
  EXPECT_EQ(claimed->task.id, task_id);
}

TEST_F(ReviewServiceTest, AnotherReviewerCannotRenewOrReleaseTheLease) {
  const std::string task_id = HeldTask("o-8");
  const std::string lease = LeaseOf(review().ClaimNext(reviewer_, {}));
  const Principal other = MakeKey("second billing reviewer", store::Role::kReviewer, {"billing"});
  EXPECT_THAT(review().RenewLease(other, task_id, lease), IsError(ErrorCode::kAborted));
  EXPECT_THAT(review().Release(other, task_id, lease), IsError(ErrorCode::kAborted));
  EXPECT_THAT(review().Claim(other, task_id), IsError(ErrorCode::kAborted));
  // The holder's lease is untouched, and renewing moves its expiry.
  clock_.Advance(std::chrono::seconds(10));
  auto renewed = review().RenewLease(reviewer_, task_id, lease);
  ASSERT_THAT(renewed, IsOk());
  ASSERT_TRUE(renewed->lease.has_value());
  EXPECT_EQ(renewed->lease->owner, reviewer_.key_id);
  EXPECT_EQ(renewed->lease->expires_at, clock_.Now() + std::chrono::seconds(30));
}

TEST_F(ReviewServiceTest, ReleasePutsTheTaskBackForTheNextReviewer) {
  const std::string task_id = HeldTask("o-9");
  const std::string lease = LeaseOf(review().ClaimNext(reviewer_, {}));
  auto released = review().Release(reviewer_, task_id, lease);
  ASSERT_THAT(released, IsOk());
  EXPECT_EQ(released->status, store::TaskStatus::kOpen);
  EXPECT_FALSE(released->lease.has_value());
  EXPECT_THAT(live_.topics, ::testing::Contains("task.released"));
  const Principal other = MakeKey("second billing reviewer", store::Role::kReviewer, {"billing"});
  auto again = review().ClaimNext(other, {});
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->task.id, task_id);
}

TEST_F(ReviewServiceTest, AVerdictOnATaskNotClaimedIsRefusedAndChangesNothing) {
  const std::string task_id = HeldTask("o-10");
  VerdictRequest v;
  v.lease_id = "l-made-up";
  EXPECT_THAT(review().SubmitVerdict(reviewer_, task_id, v), IsError(ErrorCode::kAborted));
  v.lease_id.clear();
  EXPECT_THAT(review().SubmitVerdict(reviewer_, task_id, v), IsError(ErrorCode::kAborted));
  EXPECT_EQ(store_->GetTask(task_id)->status, store::TaskStatus::kOpen);
  EXPECT_THAT(live_.changed, ::testing::Not(::testing::Contains(task_id)));
  // Another reviewer's lease is not a licence either.
  const std::string lease = LeaseOf(review().ClaimNext(reviewer_, {}));
  const Principal other = MakeKey("second billing reviewer", store::Role::kReviewer, {"billing"});
  v.lease_id = lease;
  EXPECT_THAT(review().SubmitVerdict(other, task_id, v), IsError(ErrorCode::kAborted));
  EXPECT_EQ(store_->GetTask(task_id)->status, store::TaskStatus::kClaimed);
}

TEST_F(ReviewServiceTest, AVerdictMissingWhatItsKindNeedsIsRefused) {
  const std::string task_id = HeldTask("o-11");
  const std::string lease = LeaseOf(review().ClaimNext(reviewer_, {}));
  VerdictRequest reject;
  reject.lease_id = lease;
  reject.kind = store::VerdictKind::kRejected;
  EXPECT_THAT(review().SubmitVerdict(reviewer_, task_id, reject),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("field 'reason'")));
  VerdictRequest edit;
  edit.lease_id = lease;
  edit.kind = store::VerdictKind::kEdited;
  EXPECT_THAT(review().SubmitVerdict(reviewer_, task_id, edit), IsError(ErrorCode::kInvalidArgument));
  edit.edited_action_json = R"({"name":"refund","amount":"lots"})";
  EXPECT_THAT(review().SubmitVerdict(reviewer_, task_id, edit),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("field 'edited_action'")));
  VerdictRequest over;
  over.override = true;
  EXPECT_THAT(review().SubmitVerdict(reviewer_, task_id, over), IsError(ErrorCode::kPermissionDenied));
  EXPECT_EQ(store_->GetTask(task_id)->status, store::TaskStatus::kClaimed);
}

TEST_F(ReviewServiceTest, AnAgentOfAnotherWorkflowCannotReadTheTask) {
  const std::string task_id = HeldTask("o-12");
  const Principal travel = MakeKey("travel agent", store::Role::kAgent, {}, {"travel-bot"});
  EXPECT_THAT(review().AgentTask(travel, task_id), IsError(ErrorCode::kPermissionDenied));
  auto own = review().AgentTask(agent_, task_id);
  ASSERT_THAT(own, IsOk());
  EXPECT_EQ(own->task.id, task_id);
  EXPECT_FALSE(own->settled);
  EXPECT_THAT(review().AgentTask(agent_, "t-0000000000000000"), IsError(ErrorCode::kNotFound));
}

TEST_F(ReviewServiceTest, AnAnsweredTaskIsSettledForItsAgent) {
  const std::string task_id = HeldTask("o-13");
  VerdictRequest v;
  v.lease_id = LeaseOf(review().ClaimNext(reviewer_, {}));
  auto answered = review().SubmitVerdict(reviewer_, task_id, v);
  ASSERT_THAT(answered, IsOk());
  EXPECT_EQ(answered->status, store::TaskStatus::kAnswered);
  ASSERT_TRUE(answered->verdict.has_value());
  EXPECT_EQ(answered->verdict->reviewer, reviewer_.key_id);
  auto view = review().AgentTask(agent_, task_id);
  ASSERT_THAT(view, IsOk());
  EXPECT_TRUE(view->settled);
  EXPECT_FALSE(view->deadline_in.has_value());
}

TEST_F(ReviewServiceTest, AClaimsAnswerLeavesTheCustomersOtherContactsToTheTaskView) {
  ASSERT_THAT(gateway_->events().Submit(agent_, R"({"interaction_id":"o-14","customer_id":"u-1",
      "workflow":"shop-bot","type":"customer_message","text":"Where is my parcel?"})"), IsOk());
  clock_.Advance(std::chrono::seconds(1));
  const std::string task_id = HeldTask("o-15");
  auto claimed = review().ClaimNext(reviewer_, {});
  ASSERT_THAT(claimed, IsOk());
  EXPECT_FALSE(claimed->recent_contacts.has_value());
  ASSERT_TRUE(claimed->transcript.has_value());
  EXPECT_EQ(claimed->transcript->size(), 1u);
  auto shown = review().Task(reviewer_, task_id);
  ASSERT_THAT(shown, IsOk());
  ASSERT_TRUE(shown->recent_contacts.has_value());
  ASSERT_EQ(shown->recent_contacts->size(), 1u) << "the task's own interaction is not a contact";
  EXPECT_EQ(shown->recent_contacts->front().interaction_id, "o-14");
}

TEST_F(ReviewServiceTest, AnInteractionOfANamedWorkflowKeepsOnlyItsOwn) {
  const Principal travel = MakeKey("travel agent", store::Role::kAgent, {}, {"travel-bot"});
  ASSERT_THAT(gateway_->events().Submit(travel, R"({"interaction_id":"o-16","customer_id":"u-9",
      "workflow":"travel-bot","type":"customer_message","text":"When does my flight leave?"})"), IsOk());
  HeldTask("o-16");
  auto all = review().Interaction(supervisor_, "o-16");
  ASSERT_THAT(all, IsOk());
  EXPECT_EQ(all->decisions.size(), 2u);
  auto shop = review().Interaction(supervisor_, "o-16", "shop-bot");
  ASSERT_THAT(shop, IsOk());
  ASSERT_EQ(shop->decisions.size(), 1u);
  EXPECT_EQ(shop->decisions[0].record.workflow, "shop-bot");
  EXPECT_EQ(shop->tasks.size(), 1u);
  EXPECT_THAT(review().Interaction(supervisor_, "o-16", "bank-bot"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(review().Interaction(agent_, "o-16"), IsError(ErrorCode::kPermissionDenied));
}

TEST_F(ReviewServiceTest, HoldEditVerdictReachesTheAgentWithTheEditedAction) {
  std::string task_id = HeldTask("c-2");
  auto view = Parse(gateway_->review().AgentTask(agent_, task_id));
  EXPECT_EQ(view.at("status").as_string(), "pending");

  auto claimed = Parse(gateway_->review().ClaimNext(reviewer_, {}));
  EXPECT_EQ(claimed.at("id").as_string(), task_id);
  EXPECT_EQ(claimed.at("queue").as_string(), "billing");
  // Full context for the reviewer: transcript, collected slots, reasons.
  EXPECT_EQ(claimed.at("context").at("collected").at("order").as_string(), "A-1");
  EXPECT_EQ(claimed.at("context").at("decision").at("reasons").at(1).at("rule").as_string(),
            "refunds-over-100");
  std::string lease(claimed.at("lease").at("lease_id").as_string());

  VerdictRequest v;
  v.lease_id = lease;
  v.kind = store::VerdictKind::kEdited;
  v.edited_action_json = R"({"name":"refund","amount":100,"currency":"EUR","params":{"order":"A-1"}})";
  EXPECT_THAT(gateway_->review().SubmitVerdict(reviewer_, task_id, v), IsOk());
  EXPECT_THAT(live_.changed, ::testing::Contains(task_id));

  auto answered = Parse(gateway_->review().AgentTask(agent_, task_id));
  EXPECT_EQ(answered.at("status").as_string(), "answered");
  EXPECT_EQ(answered.at("verdict").at("kind").as_string(), "edited");
  EXPECT_TRUE(answered.at("final").at("deliver").as_bool());
  EXPECT_EQ(answered.at("final").at("action").at("amount").as_int64(), 100);
  EXPECT_TRUE(answered.at("final").at("text_outdated").as_bool())
      << "the AI's reply was written for the amount it proposed";
}

TEST_F(ReviewServiceTest, SecondVerdictIsRefusedWhoeverSendsIt) {
  std::string task_id = HeldTask("c-3");
  auto claimed = Parse(gateway_->review().ClaimNext(reviewer_, {}));
  VerdictRequest v;
  v.lease_id = std::string(claimed.at("lease").at("lease_id").as_string());
  ASSERT_THAT(gateway_->review().SubmitVerdict(reviewer_, task_id, v), IsOk());
  EXPECT_THAT(gateway_->review().SubmitVerdict(reviewer_, task_id, v), IsError(ErrorCode::kAlreadyExists));
  VerdictRequest over;
  over.override = true;
  EXPECT_THAT(gateway_->review().SubmitVerdict(supervisor_, task_id, over), IsError(ErrorCode::kAlreadyExists));
}

// The task of a handoff in German goes to people who read German: the
// detected language routes it; a reviewer who declares no languages takes any.
TEST_F(ReviewServiceTest, ADetectedLanguageRoutesTheTaskToPeopleWhoReadIt) {
  auto r = gateway_->events().Submit(agent_, R"({"interaction_id":"c-de","customer_id":"u-de","workflow":"shop-bot",
      "type":"customer_message","text":"Ich möchte sofort mit einem Menschen sprechen, das ist doch unglaublich!"})");
  ASSERT_THAT(r, IsOk());
  ASSERT_FALSE(r->task_id.empty());
  EXPECT_EQ(store_->GetTask(r->task_id)->language, "de");
  auto key = [&](const std::string& name, std::vector<std::string> languages) {
    KeyRequest req{name, store::Role::kSupervisor, {"supervisor"}, std::move(languages), {}, 0, {}};
    auto made = gateway_->access().CreateKey(admin_, req);
    EXPECT_THAT(made, IsOk());
    return *gateway_->access().Authenticate(made->token);
  };
  const Principal french = key("french supervisor", {"fr"});
  const Principal german = key("german supervisor", {"de", "en"});
  EXPECT_THAT(gateway_->review().ClaimNext(french, {}), IsError(ErrorCode::kNotFound));
  auto claimed = Parse(gateway_->review().ClaimNext(german, {}));
  EXPECT_EQ(claimed.at("id").as_string(), r->task_id);
}

TEST_F(ReviewServiceTest, HandoffCarriesTheTranscriptAndCollectedSlots) {
  // Another workflow's conversation with the same id is not this one's.
  Principal travel = MakeKey("travel agent", store::Role::kAgent, {}, {"travel-bot"});
  ASSERT_THAT(gateway_->events().Submit(travel, R"({"interaction_id":"c-7","customer_id":"u-9",
      "workflow":"travel-bot","type":"customer_message","text":"When does my flight leave?"})"), IsOk());
  ASSERT_THAT(gateway_->events().Submit(agent_, R"({"interaction_id":"c-7","customer_id":"u-9","workflow":"shop-bot",
      "type":"customer_message","text":"My order A-77 never arrived."})"), IsOk());
  auto r = gateway_->events().Submit(agent_, R"({"interaction_id":"c-7","customer_id":"u-9","workflow":"shop-bot",
      "type":"customer_message","text":"I want to talk to a real person please",
      "collected":{"order":"A-77"},"summary":"Order A-77 missing"})");
  ASSERT_THAT(r, IsOk());
  ASSERT_FALSE(r->task_id.empty());
  auto task = Parse(gateway_->review().Task(supervisor_, r->task_id));
  EXPECT_EQ(task.at("kind").as_string(), "handoff");
  const auto& ctx = task.at("context");
  EXPECT_EQ(task.at("transcript").as_array().size(), 2u);
  EXPECT_EQ(task.at("transcript").at(0).at("text").as_string(), "My order A-77 never arrived.");
  EXPECT_EQ(ctx.at("collected").at("order").as_string(), "A-77");
  EXPECT_EQ(ctx.at("summary").as_string(), "Order A-77 missing");
}

// A handed-off customer message is not the AI's to deliver: approving the
// handoff tells the agent to deliver nothing, unless the person wrote a reply.
TEST_F(ReviewServiceTest, AnsweredHandoffOfACustomerMessageDeliversOnlyThePersonsReply) {
  for (const std::string reply : {"", "I have found your parcel: it arrives tomorrow."}) {
    const std::string id = reply.empty() ? "c-h1" : "c-h2";
    auto r = gateway_->events().Submit(agent_, R"({"interaction_id":")" + id + R"(","customer_id":"u-1",
        "workflow":"shop-bot","type":"customer_message","text":"Let me talk to a real person please"})");
    ASSERT_THAT(r, IsOk());
    ASSERT_FALSE(r->task_id.empty());
    ASSERT_THAT(gateway_->review().Claim(supervisor_, r->task_id), IsOk());
    VerdictRequest v;
    v.lease_id = store_->GetTask(r->task_id)->lease->lease_id;
    v.kind = reply.empty() ? store::VerdictKind::kApproved : store::VerdictKind::kEdited;
    v.edited_text = reply;
    ASSERT_THAT(gateway_->review().SubmitVerdict(supervisor_, r->task_id, v), IsOk());
    auto view = Parse(gateway_->review().AgentTask(agent_, r->task_id));
    EXPECT_EQ(view.at("final").at("deliver").as_bool(), !reply.empty()) << view;
    EXPECT_EQ(view.at("final").at("text").as_string(), reply) << view;
  }
}

TEST_F(ReviewServiceTest, AnAuditorsEditIsACorrectionNeverAnActionToRun) {
  auto r = gateway_->events().Submit(agent_, R"({"interaction_id":"a-9","customer_id":"u-3","workflow":"shop-bot",
      "type":"customer_message","text":"What are your opening hours?"})");
  ASSERT_THAT(r, IsOk());
  ASSERT_FALSE(r->task_id.empty());
  auto claimed = Parse(gateway_->review().ClaimNext(auditor_, {}));
  ASSERT_EQ(claimed.at("id").as_string(), r->task_id);
  VerdictRequest invent;
  invent.lease_id = std::string(claimed.at("lease").at("lease_id").as_string());
  invent.kind = store::VerdictKind::kEdited;
  invent.edited_action_json = R"({"name":"refund","amount":5000,"currency":"EUR"})";
  EXPECT_THAT(gateway_->review().SubmitVerdict(auditor_, r->task_id, invent),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("holds no proposed action")));
  VerdictRequest correct = invent;
  correct.edited_action_json.clear();
  correct.edited_text = "We open at 9 on weekdays.";
  ASSERT_THAT(gateway_->review().SubmitVerdict(auditor_, r->task_id, correct), IsOk());
  auto view = Parse(gateway_->review().AgentTask(agent_, r->task_id));
  EXPECT_FALSE(view.at("final").at("deliver").as_bool()) << "the audited answer already went out";
  EXPECT_FALSE(view.as_object().contains("receipt"));
}

}  // namespace
}  // namespace hitlgate::gateway
