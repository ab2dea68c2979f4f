// Store conformance, data protection: standalone tasks (contests) and
// customer erasure. Part of StoreConformanceTest: every backend's test binary
// lists this file beside store_conformance.cc.
#include "hitlgate/audit/verifier.h"
#include "hitlgate/store/audit_source.h"
#include "store/store_conformance.h"
#include "testing/result_matchers.h"

namespace hitlgate::store {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsOk;
using std::chrono::hours;
using std::chrono::seconds;

StandaloneTask Contest(const std::string& iid, const std::string& customer, std::int64_t seq,
                       TimePoint now) {
  StandaloneTask r;
  r.interaction_id = iid;
  r.customer_id = customer;
  r.workflow = "refunds";
  r.decision_seq = seq;
  r.actor = "k-agent";
  r.task.kind = TaskKind::kContest;
  r.task.queue = "supervisors";
  r.task.priority = 2;
  r.task.created_at = now;
  r.task.due_at = now + hours(72);
  r.task.context_json = R"({"statement":"I never asked for this"})";
  return r;
}

std::vector<std::string> KindsFrom(Store& s, std::int64_t from) {
  std::vector<std::string> out;
  if (auto recs = s.ReadAudit(from, 1000)) {
    for (const auto& r : *recs) out.push_back(r.kind);
  }
  return out;
}

}  // namespace

TEST_P(StoreConformanceTest, OpenTaskStoresAStandaloneTaskWithItsAudit) {
  RecordedDecision held = AddTask("i-1");
  const std::int64_t before = HeadSeq();
  audit::AuditEntry extra{"contest_opened", "k-agent", "i-1", R"({"note":"x"})"};
  auto t = store_->OpenTask(Contest("i-1", "c-i-1", held.decision_seq, t0_ + seconds(30)), {extra},
                            t0_ + seconds(30));
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->kind, TaskKind::kContest);
  EXPECT_EQ(t->status, TaskStatus::kOpen);
  EXPECT_EQ(t->customer_id, "c-i-1");
  EXPECT_EQ(t->decision_seq, held.decision_seq);
  EXPECT_EQ(KindsFrom(*store_, before + 1),
            (std::vector<std::string>{"task_created", "contest_opened"}));
  auto back = store_->GetTask(t->id);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back, *t);
  auto interaction = store_->GetInteraction("i-1");
  ASSERT_THAT(interaction, IsOk());
  EXPECT_EQ(interaction->tasks.size(), 2u);
  // It is claimable like any task.
  ClaimRequest sup = Reviewer("sup");
  sup.queues = {"supervisors"};
  auto claimed = store_->ClaimNext(sup);
  ASSERT_THAT(claimed, IsOk());
  EXPECT_EQ(claimed->id, t->id);
}

TEST_P(StoreConformanceTest, OpenTaskRejectsBadInputAndWritesNothing) {
  const std::int64_t before = HeadSeq();
  auto no_interaction = Contest("", "c-1", 0, t0_);
  EXPECT_THAT(store_->OpenTask(no_interaction, {}, t0_), IsError(ErrorCode::kInvalidArgument));
  auto no_actor = Contest("i-1", "c-1", 0, t0_);
  no_actor.actor.clear();
  EXPECT_THAT(store_->OpenTask(no_actor, {}, t0_), IsError(ErrorCode::kInvalidArgument));
  auto bad_priority = Contest("i-1", "c-1", 0, t0_);
  bad_priority.task.priority = 9;
  EXPECT_THAT(store_->OpenTask(bad_priority, {}, t0_), IsError(ErrorCode::kInvalidArgument));
  EXPECT_EQ(HeadSeq(), before);
}

// Webhook messages carry customer text: erasure removes those about the
// customer's tasks that still wait, and no other.
TEST_P(StoreConformanceTest, EraseCustomerRemovesTheWaitingWebhookMessagesOfItsTasks) {
  RecordedDecision mine = AddTask("i-1");     // customer c-i-1
  RecordedDecision other = AddTask("i-2");    // customer c-i-2
  for (const RecordedDecision* d : {&mine, &other}) {
    auto claimed = store_->Claim(d->task_id, Reviewer("rev"));
    ASSERT_THAT(claimed, IsOk());
    Verdict v;
    v.kind = VerdictKind::kApproved;
    v.reviewer = "rev";
    OutboxMessage m{.workflow = "refunds", .url = "http://h/x", .event_type = "task.answered",
                    .task_id = d->task_id, .payload_json = R"({"text":"Dear Ms Example"})"};
    ASSERT_THAT(store_->SubmitVerdict(d->task_id, claimed->lease->lease_id, v, t0_ + seconds(90), {.outbox = {m}}),
                IsOk());
  }
  ErasureRequest req;
  req.customer_id = "c-i-1";
  req.pseudonym = "erased-0002";
  req.actor = "k-admin";
  req.now = t0_ + hours(2);
  auto erased = store_->EraseCustomer(req);
  ASSERT_THAT(erased, IsOk());
  EXPECT_EQ(erased->outbox, 1);
  auto due = store_->NextDeliveries(t0_ + hours(2), 10, std::chrono::minutes(1));
  ASSERT_THAT(due, IsOk());
  ASSERT_EQ(due->size(), 1u) << "only the other customer's message is left";
  EXPECT_EQ((*due)[0].task_id, other.task_id);
}

// A delivered message keeps no payload: the receiver has it.
TEST_P(StoreConformanceTest, ADeliveredWebhookMessageKeepsNoPayload) {
  OutboxMessage m{.workflow = "refunds", .url = "http://h/x", .event_type = "task.answered",
                  .task_id = "t-1", .payload_json = R"({"text":"Dear Ms Example"})"};
  auto ids = store_->EnqueueDeliveries({m}, t0_);
  ASSERT_THAT(ids, IsOk());
  ASSERT_THAT(store_->MarkDelivered((*ids)[0], t0_ + seconds(1)), IsOk());
  auto audit = store_->ReadAudit(1, 1000);
  ASSERT_THAT(audit, IsOk());
  for (const auto& r : *audit) EXPECT_EQ(r.payload_json.find("Dear Ms Example"), std::string::npos);
  // Delivered messages are never handed out again; a second mark is fine.
  ASSERT_THAT(store_->MarkDelivered((*ids)[0], t0_ + seconds(2)), IsOk());
  EXPECT_TRUE(store_->NextDeliveries(t0_ + hours(1), 10, std::chrono::minutes(1))->empty());
}

TEST_P(StoreConformanceTest, EraseCustomerRewritesPersonalDataAndKeepsTheChain) {
  RecordedDecision held = AddTask("i-1");  // customer c-i-1
  AddTask("i-2");                          // another customer, untouched
  ClaimRequest rev = Reviewer("rev");
  auto claimed = store_->Claim(held.task_id, rev);
  ASSERT_THAT(claimed, IsOk());
  Verdict v;
  v.kind = VerdictKind::kRejected;
  v.reviewer = "rev";
  v.reason = "policy";
  v.customer_message = "Dear Ms Example, no.";
  v.note = "called her back";
  ASSERT_THAT(store_->SubmitVerdict(held.task_id, claimed->lease->lease_id, v, t0_ + seconds(90)),
              IsOk());

  ErasureRequest req;
  req.customer_id = "c-i-1";
  req.pseudonym = "erased-0001";
  req.actor = "k-admin";
  req.now = t0_ + hours(2);
  auto erased = store_->EraseCustomer(req);
  ASSERT_THAT(erased, IsOk());
  EXPECT_EQ(erased->decisions, 1);
  EXPECT_EQ(erased->tasks, 1);

  auto gone = store_->ListCustomerInteractions("c-i-1");
  ASSERT_THAT(gone, IsOk());
  EXPECT_TRUE(gone->empty());
  auto as_pseudonym = store_->ListCustomerInteractions("erased-0001");
  ASSERT_THAT(as_pseudonym, IsOk());
  ASSERT_EQ(as_pseudonym->size(), 1u);
  const InteractionRecord& r = (*as_pseudonym)[0];
  ASSERT_EQ(r.decisions.size(), 1u);
  EXPECT_EQ(r.decisions[0].record.event_json, kErasedJson);
  EXPECT_EQ(r.decisions[0].record.decision_json, R"({"outcome":"hold"})");  // the decision stays
  ASSERT_EQ(r.tasks.size(), 1u);
  EXPECT_EQ(r.tasks[0].customer_id, "erased-0001");
  EXPECT_EQ(r.tasks[0].context_json, kErasedJson);
  ASSERT_TRUE(r.tasks[0].verdict.has_value());
  EXPECT_EQ(r.tasks[0].verdict->reason, "policy");
  EXPECT_TRUE(r.tasks[0].verdict->customer_message.empty());
  EXPECT_TRUE(r.tasks[0].verdict->note.empty());

  auto other = store_->ListCustomerInteractions("c-i-2");
  ASSERT_THAT(other, IsOk());
  ASSERT_EQ(other->size(), 1u);
  EXPECT_EQ((*other)[0].decisions[0].record.event_json, R"({"text":"refund please"})");

  auto head = store_->GetAuditHead().value();
  auto last = store_->ReadAudit(head.seq, 1).value();
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].kind, "customer_erased");
  EXPECT_EQ(last[0].subject, "erased-0001");
  EXPECT_EQ(last[0].payload_json.find("c-i-1"), std::string::npos);
  StoreAuditSource src(store_.get());
  EXPECT_TRUE(audit::VerifyChain(src, {.expected_head = audit::ChainPoint{head.seq, head.hash}}).ok());

  // Nothing is left under the old id.
  EXPECT_THAT(store_->EraseCustomer(req), IsError(ErrorCode::kNotFound));
}

TEST_P(StoreConformanceTest, EraseCustomerRefusesWhileATaskIsOpen) {
  AddTask("i-1");
  const std::int64_t before = HeadSeq();
  ErasureRequest req;
  req.customer_id = "c-i-1";
  req.pseudonym = "erased-0001";
  req.actor = "k-admin";
  req.now = t0_ + hours(2);
  EXPECT_THAT(store_->EraseCustomer(req), IsError(ErrorCode::kFailedPrecondition));
  EXPECT_EQ(HeadSeq(), before);
  auto still = store_->ListCustomerInteractions("c-i-1");
  ASSERT_THAT(still, IsOk());
  EXPECT_EQ(still->size(), 1u);
}

TEST_P(StoreConformanceTest, EraseCustomerRejectsBadInput) {
  ErasureRequest req;
  req.pseudonym = "erased-1";
  req.actor = "k-admin";
  EXPECT_THAT(store_->EraseCustomer(req), IsError(ErrorCode::kInvalidArgument));
  req.customer_id = "c-1";
  req.pseudonym.clear();
  EXPECT_THAT(store_->EraseCustomer(req), IsError(ErrorCode::kInvalidArgument));
  req.pseudonym = "erased-1";
  EXPECT_THAT(store_->EraseCustomer(req), IsError(ErrorCode::kNotFound));
}

TEST_P(StoreConformanceTest, LegalHoldIsAControl) {
  Control hold;
  hold.kind = ControlKind::kLegalHold;
  hold.target = "customer:c-1";
  hold.actor = "k-admin";
  hold.reason = "litigation 2026-17";
  hold.at = t0_;
  ASSERT_THAT(store_->SetControl(hold), IsOk());
  auto all = store_->ListControls();
  ASSERT_THAT(all, IsOk());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0], hold);
  EXPECT_THAT(store_->ClearControl(ControlKind::kLegalHold, "customer:c-1", "k-admin", t0_), IsOk());
  EXPECT_TRUE(store_->ListControls().value().empty());
}

TEST_P(StoreConformanceTest, PurgePersonalTextErasesOldSettledTextButSparesHoldsAndOpenTasks) {
  RecordedDecision old_answered = AddTask("i-old");   // customer c-i-old, event at t0_
  RecordedDecision old_open = AddTask("i-open");      // stays unanswered
  RecordedDecision held = AddTask("i-held");          // under legal hold
  ClaimRequest rev = Reviewer("rev");
  for (const RecordedDecision* r : {&old_answered, &held}) {
    auto claimed = store_->Claim(r->task_id, rev);
    ASSERT_THAT(claimed, IsOk());
    Verdict v;
    v.kind = VerdictKind::kApproved;
    v.reviewer = "rev";
    v.note = "customer said her address is 1 Main St";
    ASSERT_THAT(store_->SubmitVerdict(r->task_id, claimed->lease->lease_id, v, t0_ + seconds(90)), IsOk());
  }
  TextPurge purge;
  purge.before = t0_ + seconds(100);  // after all three events
  purge.held_interactions = {"i-held"};
  purge.now = t0_ + hours(24 * 100);
  const std::int64_t before = HeadSeq();
  auto r = store_->PurgePersonalText(purge);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->decisions, 2);  // i-old and i-open; not i-held
  EXPECT_EQ(r->tasks, 1);      // i-old's answered task only
  EXPECT_EQ(KindsFrom(*store_, before + 1), std::vector<std::string>{"text_purged"});

  auto old_i = store_->GetInteraction("i-old").value();
  EXPECT_EQ(old_i.customer_id, "c-i-old");  // the id stays; only the text goes
  EXPECT_EQ(old_i.decisions[0].record.event_json, kErasedJson);
  EXPECT_EQ(old_i.tasks[0].context_json, kErasedJson);
  EXPECT_TRUE(old_i.tasks[0].verdict->note.empty());
  EXPECT_NE(store_->GetTask(old_open.task_id)->context_json, kErasedJson);
  auto held_i = store_->GetInteraction("i-held").value();
  EXPECT_NE(held_i.decisions[0].record.event_json, kErasedJson);
  EXPECT_FALSE(held_i.tasks[0].verdict->note.empty());

  // Nothing left to purge: the run is still on record.
  auto again = store_->PurgePersonalText(purge);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->decisions, 0);
  EXPECT_EQ(again->tasks, 0);
  StoreAuditSource src(store_.get());
  EXPECT_TRUE(audit::VerifyChain(src).ok());

  purge.actor.clear();
  EXPECT_THAT(store_->PurgePersonalText(purge), IsError(ErrorCode::kInvalidArgument));
}

}  // namespace hitlgate::store
