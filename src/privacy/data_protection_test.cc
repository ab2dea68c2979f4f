// Customers' rights over a real Gateway (memory store, real engine and
// policy, fake clock): contests, export, erasure and legal holds.
#include "hitlgate/privacy/data_protection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hitlgate/audit/verifier.h"
#include "hitlgate/codec/review_json.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/engine/memory_conversation_store.h"
#include "hitlgate/store/audit_source.h"
#include "hitlgate/store/memory_store.h"
#include "gateway/testing/gateway_fixture.h"
#include "testing/result_matchers.h"

namespace hitlgate::privacy {
namespace {

using gateway::KeyRequest;
using gateway::LiveEvents;
using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsErrorWith;
using ::hitlgate::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::Contains;
using ::testing::Not;

constexpr std::string_view kPolicy = R"(policy: privacy-test
queues:
  general: {skills: [], sla_seconds: 300}
  billing: {skills: [billing], sla_seconds: 120, priority: 2}
  supervisors: {skills: [supervisor], sla_seconds: 60, priority: 1}
defaults:
  oversight: hotl
  queue: general
workflows:
  shop-bot:
    oversight: hotl
rules:
  - name: refunds-over-100
    when: {action_value_above: {action: refund, limits: {EUR: 100}}}
    decision: hold
    queue: billing
)";

class DataProtectionTest : public gateway::testing::GatewayFixture {
 protected:
  // The store and the gateway, as the server hands them over.
  Services Privacy() { return Services{*store_, *gateway_}; }

  DataProtectionTest() : GatewayFixture(std::string(kPolicy)) {
    agent_ = MakeKey("agent", store::Role::kAgent, {}, {"shop-bot"});
    other_agent_ = MakeKey("other agent", store::Role::kAgent, {}, {"other-bot"});
    reviewer_ = MakeKey("billing reviewer", store::Role::kReviewer, {"billing"});
    supervisor_ = MakeKey("supervisor", store::Role::kSupervisor, {"supervisor"});
    auditor_ = MakeKey("auditor", store::Role::kAuditor);
  }

  // A refund proposal of `amount` EUR for `customer` in interaction `id`.
  std::string Refund(const std::string& id, double amount, const std::string& customer = "u-1") {
    return R"({"interaction_id":")" + id + R"(","customer_id":")" + customer +
           R"(","workflow":"shop-bot","type":"ai_proposal","text":"Refunded your blender, Ms Example.",
               "intent":"return_item","confidence":0.9,"action":{"name":"refund","amount":)" +
           std::to_string(amount) + R"(,"currency":"EUR","params":{"order":"A-1"}}})";
  }

  std::string Submit(const std::string& id, double amount, const std::string& customer = "u-1") {
    auto r = gateway_->events().Submit(agent_, Refund(id, amount, customer));
    EXPECT_THAT(r, IsOk());
    return r ? r->task_id : "";
  }

  ContestRequest Statement(std::string text = "I was refused a refund by a machine.") {
    ContestRequest r;
    r.statement = std::move(text);
    return r;
  }

  // Claims task `id` as a supervisor and answers it.
  void Answer(const std::string& id) {
    ASSERT_THAT(gateway_->review().Claim(supervisor_, id), IsOk());
    auto lease = store_->GetTask(id)->lease->lease_id;
    gateway::VerdictRequest v;
    v.lease_id = lease;
    v.kind = store::VerdictKind::kRejected;
    v.reason = "over the limit";
    v.customer_message = "Sorry Ms Example, we cannot refund this.";
    ASSERT_THAT(gateway_->review().SubmitVerdict(supervisor_, id, v), IsOk());
  }

  std::vector<std::string> AuditKinds() {
    std::vector<std::string> out;
    const auto records = store_->ReadAudit(1, 10000).value();
    for (const auto& r : records) out.push_back(r.kind);
    return out;
  }

  bool ChainVerifies() {
    store::StoreAuditSource src(store_.get());
    return audit::VerifyChain(src).ok();
  }

  Principal agent_, other_agent_, reviewer_, supervisor_, auditor_;
};

// ---- Contest (GDPR Art. 22) ----

TEST_F(DataProtectionTest, ContestOpensAReviewWithTheTrailAndTheStatement) {
  Submit("c-1", 20);  // allowed automatically: the decision the customer contests
  auto opened = OpenContest(Privacy(), agent_, "c-1", Statement());
  ASSERT_THAT(opened, IsOk());
  EXPECT_THAT(*opened, HasSubstr(R"("queue":"supervisors")"));
  auto tasks = store_->ListTasks({}).value();
  ASSERT_EQ(tasks.size(), 1u);
  const store::Task& t = tasks[0];
  EXPECT_EQ(t.kind, store::TaskKind::kContest);
  EXPECT_EQ(t.queue, "supervisors");
  EXPECT_EQ(t.customer_id, "u-1");
  EXPECT_THAT(t.context_json, HasSubstr("I was refused a refund by a machine."));
  EXPECT_THAT(t.context_json, HasSubstr(R"("trail":[)"));
  EXPECT_THAT(t.context_json, HasSubstr("allow_monitored"));
  EXPECT_THAT(AuditKinds(), ::testing::IsSupersetOf({"task_created", "contest_opened"}));
  // The audit holds the statement's digest, never its text.
  const auto records = store_->ReadAudit(1, 1000).value();
  for (const auto& r : records) {
    EXPECT_THAT(r.payload_json, Not(HasSubstr("refused a refund by a machine")));
  }
}

TEST_F(DataProtectionTest, ContestVerdictIsReportedBackToTheAgent) {
  Submit("c-1", 20);
  auto opened = OpenContest(Privacy(), agent_, "c-1", Statement());
  ASSERT_THAT(opened, IsOk());
  const std::string task_id = store_->ListTasks({}).value()[0].id;
  // Only supervisors work the supervisors' queue.
  EXPECT_THAT(gateway_->review().Claim(reviewer_, task_id), IsError(ErrorCode::kPermissionDenied));
  ASSERT_THAT(gateway_->review().Claim(supervisor_, task_id), IsOk());
  ContestVerdict v;
  v.lease_id = store_->GetTask(task_id)->lease->lease_id;
  v.upheld = false;
  v.explanation = "A colleague checked: you are entitled to the refund.";
  ASSERT_THAT(DecideContest(Privacy(), supervisor_, task_id, v), IsOk());
  EXPECT_THAT(live_.changed, ::testing::Contains(task_id));  // the long-poll wakes
  auto task = gateway_->review().AgentTask(agent_, task_id);
  ASSERT_THAT(task, IsOk());
  const std::string view = codec::AgentTaskJson(*task);
  EXPECT_THAT(view, HasSubstr(R"("status":"answered")"));
  EXPECT_THAT(view, HasSubstr(R"("kind":"rejected")"));  // overturned
  EXPECT_THAT(view, HasSubstr("you are entitled to the refund"));
  EXPECT_TRUE(ChainVerifies());
}

TEST_F(DataProtectionTest, AnUpheldContestTellsTheAgentToDeliverOnlyTheExplanation) {
  Submit("c-1", 20);
  ASSERT_THAT(OpenContest(Privacy(), agent_, "c-1", Statement()), IsOk());
  const std::string task_id = store_->ListTasks({}).value()[0].id;
  ASSERT_THAT(gateway_->review().Claim(supervisor_, task_id), IsOk());
  ContestVerdict v;
  v.lease_id = store_->GetTask(task_id)->lease->lease_id;
  v.upheld = true;
  v.explanation = "We checked again: the order was outside the return window.";
  ASSERT_THAT(DecideContest(Privacy(), supervisor_, task_id, v), IsOk());
  auto task = gateway_->review().AgentTask(agent_, task_id);
  ASSERT_THAT(task, IsOk());
  const std::string view = codec::AgentTaskJson(*task);
  EXPECT_THAT(view, HasSubstr(R"("final":{"contest":"upheld","deliver":false,)"));
  EXPECT_THAT(view, HasSubstr("outside the return window"));
  EXPECT_THAT(view, Not(HasSubstr(R"("deliver":true)")));
}

TEST_F(DataProtectionTest, ContestVerdictNeedsAnExplanationAndAContestTask) {
  const std::string hold = Submit("c-1", 150);
  ContestVerdict v;
  v.override = true;
  v.explanation = "x";
  EXPECT_THAT(DecideContest(Privacy(), supervisor_, hold, v), IsError(ErrorCode::kFailedPrecondition));
  ASSERT_THAT(OpenContest(Privacy(), agent_, "c-1", Statement()), IsOk());
  std::string contest;
  const auto all = store_->ListTasks({}).value();
  for (const auto& t : all) {
    if (t.kind == store::TaskKind::kContest) contest = t.id;
  }
  v.explanation = "  ";
  EXPECT_THAT(DecideContest(Privacy(), supervisor_, contest, v), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(DecideContest(Privacy(), auditor_, contest, v), IsError(ErrorCode::kPermissionDenied));
}

TEST_F(DataProtectionTest, DoubleContestOfOneDecisionIsRefused) {
  Submit("c-1", 20);
  ASSERT_THAT(OpenContest(Privacy(), agent_, "c-1", Statement()), IsOk());
  auto again = OpenContest(Privacy(), supervisor_, "c-1", Statement("on her behalf"));
  EXPECT_THAT(again, IsErrorWith(ErrorCode::kAlreadyExists, HasSubstr("already contested")));
  EXPECT_EQ(store_->ListTasks({}).value().size(), 1u);
}

TEST_F(DataProtectionTest, ContestNamesTheDecisionBySeqOrEventIndex) {
  Submit("c-1", 20);
  Submit("c-1", 30);
  auto record = store_->GetInteraction("c-1").value();
  ContestRequest by_seq = Statement();
  by_seq.decision_seq = record.decisions[0].seq;
  ASSERT_THAT(OpenContest(Privacy(), agent_, "c-1", by_seq), IsOk());
  ContestRequest by_index = Statement();
  by_index.event_index = record.decisions[1].record.event_index;
  by_index.requested_by = "operator";
  ASSERT_THAT(OpenContest(Privacy(), supervisor_, "c-1", by_index), IsOk());
  auto tasks = store_->ListTasks({}).value();
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0].decision_seq, record.decisions[0].seq);
  EXPECT_EQ(tasks[1].decision_seq, record.decisions[1].seq);
}

TEST_F(DataProtectionTest, ContestOfUnknownInteractionOrDecisionIsNotFound) {
  EXPECT_THAT(OpenContest(Privacy(), agent_, "c-404", Statement()), IsError(ErrorCode::kNotFound));
  Submit("c-1", 20);
  ContestRequest r = Statement();
  r.decision_seq = 9999;
  EXPECT_THAT(OpenContest(Privacy(), agent_, "c-1", r), IsError(ErrorCode::kNotFound));
}

TEST_F(DataProtectionTest, ContestRejectsBadInput) {
  Submit("c-1", 20);
  EXPECT_THAT(OpenContest(Privacy(), agent_, "c-1", Statement(" \n")),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("statement")));
  EXPECT_THAT(OpenContest(Privacy(), agent_, "c-1", Statement(std::string(9000, 'x'))),
              IsError(ErrorCode::kInvalidArgument));
  ContestRequest who = Statement();
  who.requested_by = "robot";
  EXPECT_THAT(OpenContest(Privacy(), agent_, "c-1", who),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("requested_by")));
  ContestRequest both = Statement();
  both.decision_seq = 1;
  both.event_index = 0;
  EXPECT_THAT(OpenContest(Privacy(), agent_, "c-1", both), IsError(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(store_->ListTasks({}).value().empty());
}

TEST_F(DataProtectionTest, ContestIsForTheAgentsWorkflowAndSupervisorsOnly) {
  Submit("c-1", 20);
  EXPECT_THAT(OpenContest(Privacy(), other_agent_, "c-1", Statement()), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(OpenContest(Privacy(), reviewer_, "c-1", Statement()), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(OpenContest(Privacy(), auditor_, "c-1", Statement()), IsError(ErrorCode::kPermissionDenied));
  EXPECT_TRUE(store_->ListTasks({}).value().empty());
}

// ---- Export, erasure, legal hold ----

TEST_F(DataProtectionTest, ExportHoldsEverythingAboutTheCustomerAndIsAudited) {
  const std::string hold = Submit("c-1", 150);
  Submit("c-2", 20);
  Submit("c-3", 20, "u-other");
  Answer(hold);
  EXPECT_THAT(ExportCustomer(Privacy(), reviewer_, "u-1"), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(ExportCustomer(Privacy(), agent_, "u-1"), IsError(ErrorCode::kPermissionDenied));
  auto out = ExportCustomer(Privacy(), auditor_, "u-1");
  ASSERT_THAT(out, IsOk());
  EXPECT_THAT(*out, HasSubstr(R"("interaction_id":"c-1")"));
  EXPECT_THAT(*out, HasSubstr(R"("interaction_id":"c-2")"));
  EXPECT_THAT(*out, Not(HasSubstr(R"("interaction_id":"c-3")")));
  EXPECT_THAT(*out, HasSubstr("Refunded your blender"));
  EXPECT_THAT(*out, HasSubstr("Sorry Ms Example"));          // the verdict
  EXPECT_THAT(*out, HasSubstr(R"("kind":"verdict")"));         // its audit record
  EXPECT_THAT(*out, HasSubstr(R"("kind":"claim")"));           // found through the task id
  auto last = store_->ReadAudit(store_->GetAuditHead()->seq, 1).value();
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].kind, "customer_exported");
  EXPECT_EQ(last[0].actor, auditor_.key_id);
  EXPECT_EQ(last[0].subject, CustomerPseudonym(Privacy(), "u-1"));
  EXPECT_THAT(ExportCustomer(Privacy(), admin_, ""), IsError(ErrorCode::kInvalidArgument));
}

TEST_F(DataProtectionTest, ErasedCustomerIsNoLongerExportedButTheAuditVerifies) {
  const std::string hold = Submit("c-1", 150);
  Submit("c-3", 20, "u-other");
  Answer(hold);
  EXPECT_THAT(EraseCustomer(Privacy(), auditor_, "u-1"), IsError(ErrorCode::kPermissionDenied));
  auto erased = EraseCustomer(Privacy(), admin_, "u-1");
  ASSERT_THAT(erased, IsOk());
  EXPECT_THAT(*erased, HasSubstr(R"("decisions":1)"));
  EXPECT_THAT(*erased, HasSubstr(CustomerPseudonym(Privacy(), "u-1")));
  auto out = ExportCustomer(Privacy(), admin_, "u-1");
  ASSERT_THAT(out, IsOk());
  EXPECT_THAT(*out, HasSubstr(R"("interactions":[])"));
  EXPECT_THAT(*out, Not(HasSubstr("Refunded your blender")));
  EXPECT_THAT(*out, Not(HasSubstr("Sorry Ms Example")));
  // What the law keeps: the decision, by pseudonym, and a verifiable chain.
  auto kept = store_->GetInteraction("c-1").value();
  EXPECT_EQ(kept.customer_id, CustomerPseudonym(Privacy(), "u-1"));
  EXPECT_THAT(kept.decisions[0].record.decision_json, HasSubstr("hold"));
  EXPECT_THAT(AuditKinds(), ::testing::Contains("customer_erased"));
  EXPECT_TRUE(ChainVerifies());
  // The other customer is untouched.
  EXPECT_THAT(store_->GetInteraction("c-3").value().decisions[0].record.event_json,
              HasSubstr("Refunded your blender"));
  // Erasing again finds nothing.
  EXPECT_THAT(EraseCustomer(Privacy(), admin_, "u-1"), IsError(ErrorCode::kNotFound));
}

TEST_F(DataProtectionTest, LegalHoldRefusesErasureUntilReleased) {
  Submit("c-1", 20);
  EXPECT_THAT(SetLegalHold(Privacy(), supervisor_, "customer", "u-1", "case 17"),
              IsError(ErrorCode::kPermissionDenied));
  ASSERT_THAT(SetLegalHold(Privacy(), admin_, "customer", "u-1", "case 17"), IsOk());
  auto refused = EraseCustomer(Privacy(), admin_, "u-1");
  EXPECT_THAT(refused, IsErrorWith(ErrorCode::kAborted, HasSubstr("legal hold")));
  EXPECT_THAT(store_->GetInteraction("c-1").value().decisions[0].record.event_json,
              HasSubstr("Refunded your blender"));
  EXPECT_THAT(AuditKinds(), ::testing::Contains("erasure_refused"));
  auto holds = LegalHoldsJson(Privacy(), auditor_);
  ASSERT_THAT(holds, IsOk());
  EXPECT_THAT(*holds, HasSubstr(R"("scope":"customer","id":"u-1","reason":"case 17")"));
  ASSERT_THAT(ReleaseLegalHold(Privacy(), admin_, "customer", "u-1"), IsOk());
  EXPECT_THAT(EraseCustomer(Privacy(), admin_, "u-1"), IsOk());
}

TEST_F(DataProtectionTest, LegalHoldOnOneInteractionProtectsTheCustomer) {
  Submit("c-1", 20);
  Submit("c-2", 20);
  ASSERT_THAT(SetLegalHold(Privacy(), admin_, "interaction", "c-2", "complaint 4"), IsOk());
  EXPECT_THAT(EraseCustomer(Privacy(), admin_, "u-1"), IsError(ErrorCode::kAborted));
}

TEST_F(DataProtectionTest, LegalHoldRejectsBadInput) {
  EXPECT_THAT(SetLegalHold(Privacy(), admin_, "planet", "x", "r"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(SetLegalHold(Privacy(), admin_, "customer", "", "r"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(SetLegalHold(Privacy(), admin_, "customer", "u-1", " "), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ReleaseLegalHold(Privacy(), admin_, "customer", "u-1"), IsError(ErrorCode::kNotFound));
}

TEST_F(DataProtectionTest, ErasureIsRefusedWhileATaskIsOpen) {
  Submit("c-1", 150);  // held, unanswered
  EXPECT_THAT(EraseCustomer(Privacy(), admin_, "u-1"),
              IsErrorWith(ErrorCode::kFailedPrecondition, HasSubstr("answer or cancel")));
}

// ---- Retention ----

TEST_F(DataProtectionTest, TextRetentionSparesLegalHolds) {
  // A second gateway on the same store, with 30 days of text retention.
  gateway::GatewayOptions options = gateway_->options();
  options.text_retention = std::chrono::hours(24 * 30);
  Gateway retaining(*store_, *engine_, clock_, ids_, *random_, live_, metrics_, options);
  Submit("c-1", 20, "u-1");
  Submit("c-2", 20, "u-2");
  ASSERT_THAT(SetLegalHold(Privacy(), admin_, "customer", "u-2", "case 9"), IsOk());
  auto early = retaining.Tick();
  ASSERT_THAT(early, IsOk());
  EXPECT_EQ(early->text_purged, 0);  // nothing is 30 days old yet

  clock_.Advance(std::chrono::hours(24 * 31));
  auto tick = retaining.Tick();
  ASSERT_THAT(tick, IsOk());
  EXPECT_EQ(tick->text_purged, 1);
  EXPECT_EQ(store_->GetInteraction("c-1").value().decisions[0].record.event_json, store::kErasedJson);
  EXPECT_EQ(store_->GetInteraction("c-1").value().customer_id, "u-1");
  EXPECT_THAT(store_->GetInteraction("c-2").value().decisions[0].record.event_json,
              HasSubstr("Refunded your blender"));
  EXPECT_THAT(AuditKinds(), Contains("text_purged"));
  EXPECT_TRUE(ChainVerifies());
}

}  // namespace
}  // namespace hitlgate::privacy
