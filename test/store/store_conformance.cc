#include "store/store_conformance.h"

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "hitlgate/audit/verifier.h"
#include "hitlgate/store/audit_source.h"
#include "testing/result_matchers.h"

namespace hitlgate::store {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsOk;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

void StoreConformanceTest::SetUp() {
  t0_ = TimePoint(std::chrono::duration_cast<Duration>(seconds(1'795'000'000)));
  store_ = GetParam().create(&ids_);
  if (IsSkipped()) return;  // the backend is not configured here (PostgreSQL)
  ASSERT_NE(store_, nullptr);
}

RecordedDecision StoreConformanceTest::AddTask(const std::string& iid, int priority,
                                               std::vector<std::string> skills,
                                               std::string language, std::string queue,
                                               TimePoint due, TimePoint created,
                                               std::optional<TaskDeadline> deadline,
                                               std::string workflow) {
  int n = next_event_++;
  DecisionRecord d;
  d.interaction_id = iid;
  d.customer_id = "c-" + iid;
  d.workflow = std::move(workflow);
  d.channel = "chat";
  d.event_index = n;
  d.type = engine::EventType::kAiProposal;
  d.at = t0_ + seconds(n);
  d.event_json = R"({"text":"refund please"})";
  d.decision_json = R"({"outcome":"hold"})";
  d.outcome = engine::Outcome::kHold;
  d.policy_version = "sha256:abc";
  d.recorded_by = "k-agent";
  NewTask t;
  t.kind = TaskKind::kHold;
  t.queue = queue;
  t.skills = std::move(skills);
  t.language = std::move(language);
  t.priority = priority;
  t.created_at = created == TimePoint{} ? t0_ + seconds(n) : created;
  t.due_at = due == TimePoint{} ? t0_ + hours(1) : due;
  t.context_json = R"({"proposal":"refund 10 EUR"})";
  t.deadline = deadline;
  auto r = store_->RecordDecision(d, t, {}, t0_ + seconds(n));
  EXPECT_THAT(r, IsOk());
  return r.value_or(RecordedDecision{});
}

ClaimRequest StoreConformanceTest::Reviewer(const std::string& name,
                                            std::vector<std::string> skills,
                                            std::vector<std::string> languages) const {
  ClaimRequest r;
  r.reviewer = name;
  r.skills = std::move(skills);
  r.languages = std::move(languages);
  r.now = t0_ + minutes(1);
  r.lease_ttl = minutes(5);
  return r;
}

std::int64_t StoreConformanceTest::HeadSeq() {
  auto h = store_->GetAuditHead();
  EXPECT_THAT(h, IsOk());
  return h ? h->seq : -1;
}

namespace {

std::vector<std::string> Kinds(Store& s, std::int64_t from) {
  std::vector<std::string> out;
  auto recs = s.ReadAudit(from, 1000);
  if (recs) {
    for (const auto& r : *recs) out.push_back(r.kind);
  }
  return out;
}

DecisionRecord PlainDecision(const std::string& iid, const std::string& event_id, TimePoint at) {
  DecisionRecord d;
  d.event_id = event_id;
  d.interaction_id = iid;
  d.customer_id = "c-1";
  d.workflow = "faq";
  d.channel = "chat";
  d.type = engine::EventType::kCustomerMessage;
  d.at = at;
  d.event_json = "{}";
  d.decision_json = "{}";
  d.outcome = engine::Outcome::kAllow;
  d.policy_version = "sha256:abc";
  d.recorded_by = "k-agent";
  return d;
}

Verdict Approve(const std::string& reviewer) {
  Verdict v;
  v.kind = VerdictKind::kApproved;
  v.reviewer = reviewer;
  return v;
}

// ---- Decisions ----

TEST_P(StoreConformanceTest, RecordDecisionWritesOneEventRecordCarryingTheDecisionExtrasAndTaskAudit) {
  DecisionRecord d = PlainDecision("i-1", "e-1", t0_);
  NewTask t;
  t.queue = "billing";
  t.created_at = t0_;
  t.due_at = t0_ + hours(1);
  std::vector<audit::AuditEntry> extra{{"signals", "k-agent", "i-1", R"({"sentiment":-0.5})"}};
  auto r = store_->RecordDecision(d, t, extra, t0_);
  ASSERT_THAT(r, IsOk());
  EXPECT_FALSE(r->duplicate);
  EXPECT_EQ(r->task_id, "t-0000000000000001");
  EXPECT_GT(r->decision_seq, 0);
  EXPECT_THAT(Kinds(*store_, 1),
              ::testing::ElementsAre("event", "signals", "task_created"));
  auto records = store_->ReadAudit(1, 1);
  ASSERT_THAT(records, IsOk());
  ASSERT_EQ(records->size(), 1u);
  const std::string& p = records->front().payload_json;
  EXPECT_THAT(p, ::testing::HasSubstr(R"("outcome":"allow")"));
  EXPECT_THAT(p, ::testing::HasSubstr(R"("policy_version":"sha256:abc")"));
  // SHA-256 of the decision's JSON, "{}".
  EXPECT_THAT(p, ::testing::HasSubstr(
                     R"("decision_sha256":"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")"));
  auto task = store_->GetTask(r->task_id);
  ASSERT_THAT(task, IsOk());
  EXPECT_EQ(task->status, TaskStatus::kOpen);
  EXPECT_EQ(task->interaction_id, "i-1");
  EXPECT_EQ(task->workflow, "faq");
  EXPECT_EQ(task->decision_seq, r->decision_seq);
}

TEST_P(StoreConformanceTest, RecordDecisionIsIdempotentByEventId) {
  NewTask t;
  t.queue = "billing";
  t.due_at = t0_ + hours(1);
  auto first = store_->RecordDecision(PlainDecision("i-1", "e-1", t0_), t, {}, t0_);
  ASSERT_THAT(first, IsOk());
  std::int64_t head = HeadSeq();
  auto again = store_->RecordDecision(PlainDecision("i-1", "e-1", t0_), t, {}, t0_ + seconds(5));
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->decision_seq, first->decision_seq);
  EXPECT_EQ(again->task_id, first->task_id);
  EXPECT_EQ(HeadSeq(), head) << "a duplicate writes nothing";
  auto tasks = store_->ListTasks({});
  ASSERT_THAT(tasks, IsOk());
  EXPECT_EQ(tasks->size(), 1u);
}

TEST_P(StoreConformanceTest, RecordDecisionWithoutEventIdIsNeverDeduplicated) {
  auto a = store_->RecordDecision(PlainDecision("i-1", "", t0_), std::nullopt, {}, t0_);
  auto b = store_->RecordDecision(PlainDecision("i-1", "", t0_), std::nullopt, {}, t0_);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_FALSE(b->duplicate);
  EXPECT_NE(a->decision_seq, b->decision_seq);
  EXPECT_TRUE(a->task_id.empty());
}

TEST_P(StoreConformanceTest, InvalidDecisionWritesNothing) {
  NewTask t;
  t.queue = "billing";
  t.priority = 9;
  EXPECT_THAT(store_->RecordDecision(PlainDecision("i-1", "e-1", t0_), t, {}, t0_),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(store_->RecordDecision(PlainDecision("", "e-2", t0_), std::nullopt, {}, t0_),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_EQ(HeadSeq(), 0);
  EXPECT_THAT(store_->GetInteraction("i-1"), IsError(ErrorCode::kNotFound));
  // The refused event_id was not taken.
  auto ok = store_->RecordDecision(PlainDecision("i-1", "e-1", t0_), std::nullopt, {}, t0_);
  ASSERT_THAT(ok, IsOk());
  EXPECT_FALSE(ok->duplicate);
}

TEST_P(StoreConformanceTest, GetInteractionAndCustomerInteractions) {
  store_->RecordDecision(PlainDecision("i-1", "e-1", t0_), std::nullopt, {}, t0_).value();
  AddTask("i-1");
  store_->RecordDecision(PlainDecision("i-2", "e-3", t0_ + seconds(9)), std::nullopt, {}, t0_)
      .value();
  auto i1 = store_->GetInteraction("i-1");
  ASSERT_THAT(i1, IsOk());
  ASSERT_EQ(i1->decisions.size(), 2u);
  EXPECT_LT(i1->decisions[0].seq, i1->decisions[1].seq);
  EXPECT_EQ(i1->decisions[0].record.event_id, "e-1");
  EXPECT_EQ(i1->decisions[0].record.event_json, "{}");
  EXPECT_EQ(i1->decisions[1].record.outcome, engine::Outcome::kHold);
  EXPECT_EQ(i1->decisions[1].record.type, engine::EventType::kAiProposal);
  ASSERT_EQ(i1->tasks.size(), 1u);
  EXPECT_EQ(i1->decisions[1].task_id, i1->tasks[0].id);
  EXPECT_THAT(store_->GetInteraction("i-404"), IsError(ErrorCode::kNotFound));
  auto mine = store_->ListCustomerInteractions("c-1");
  ASSERT_THAT(mine, IsOk());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].interaction_id, "i-1");
  EXPECT_EQ((*mine)[1].interaction_id, "i-2");
  EXPECT_EQ((*mine)[1].decisions.size(), 1u);
  auto none = store_->ListCustomerInteractions("c-404");
  ASSERT_THAT(none, IsOk());
  EXPECT_TRUE(none->empty());
  // Only the newest ones, still oldest first.
  store_->RecordDecision(PlainDecision("i-3", "e-5", t0_ + seconds(20)), std::nullopt, {}, t0_).value();
  auto newest = store_->ListCustomerInteractions("c-1", 2);
  ASSERT_THAT(newest, IsOk());
  ASSERT_EQ(newest->size(), 2u);
  EXPECT_EQ((*newest)[0].interaction_id, "i-2");
  EXPECT_EQ((*newest)[1].interaction_id, "i-3");
  auto more_than_there_are = store_->ListCustomerInteractions("c-1", 10);
  ASSERT_THAT(more_than_there_are, IsOk());
  EXPECT_EQ(more_than_there_are->size(), 3u);
}

// ---- Claims ----

TEST_P(StoreConformanceTest, ClaimNextOrdersByPriorityThenDueThenCreated) {
  auto late_p3 = AddTask("i-a", 3, {}, "", "q", t0_ + hours(2));
  auto early_p3 = AddTask("i-b", 3, {}, "", "q", t0_ + hours(1));
  auto p1 = AddTask("i-c", 1, {}, "", "q", t0_ + hours(9));
  auto same_due_later = AddTask("i-d", 3, {}, "", "q", t0_ + hours(1), t0_ + seconds(50));
  auto same_due_earlier = AddTask("i-e", 3, {}, "", "q", t0_ + hours(1), t0_ + seconds(40));
  std::vector<std::string> order;
  for (int i = 0; i < 5; ++i) {
    auto t = store_->ClaimNext(Reviewer("r1"));
    ASSERT_THAT(t, IsOk());
    order.push_back(t->id);
  }
  // early_p3 was created at t0+1s, before both "same due" tasks.
  EXPECT_THAT(order, ::testing::ElementsAre(p1.task_id, early_p3.task_id,
                                            same_due_earlier.task_id, same_due_later.task_id,
                                            late_p3.task_id));
  EXPECT_THAT(store_->ClaimNext(Reviewer("r1")), IsError(ErrorCode::kNotFound));
}

TEST_P(StoreConformanceTest, ClaimNextNeedsAllSkillsAndTheLanguage) {
  auto billing_legal = AddTask("i-1", 1, {"billing", "legal"});
  auto german = AddTask("i-2", 2, {"billing"}, "de-AT");
  auto plain = AddTask("i-3", 3);
  // Only billing: not the legal task; no German: not the German one.
  auto t = store_->ClaimNext(Reviewer("r1", {"billing"}, {"en"}));
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->id, plain.task_id);
  EXPECT_THAT(store_->ClaimNext(Reviewer("r1", {"billing"}, {"en"})),
              IsError(ErrorCode::kNotFound));
  // "de" covers "de-AT".
  t = store_->ClaimNext(Reviewer("r2", {"billing"}, {"DE"}));
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->id, german.task_id);
  t = store_->ClaimNext(Reviewer("r3", {"legal", "billing", "x"}));
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->id, billing_legal.task_id);
}

TEST_P(StoreConformanceTest, AReviewerWhoDeclaresNoLanguagesTakesAny) {
  auto german = AddTask("i-1", 1, {}, "de");
  EXPECT_THAT(store_->ClaimNext(Reviewer("r1", {}, {"fr"})), IsError(ErrorCode::kNotFound));
  auto t = store_->ClaimNext(Reviewer("r2"));
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->id, german.task_id);
}

TEST_P(StoreConformanceTest, ClaimNextRestrictsToQueues) {
  AddTask("i-1", 1, {}, "", "vip");
  auto general = AddTask("i-2", 3, {}, "", "general");
  ClaimRequest r = Reviewer("r1");
  r.queues = {"general", "other"};
  auto t = store_->ClaimNext(r);
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->id, general.task_id);
  EXPECT_EQ(t->queue, "general");
}

// A reviewer's key may be scoped to some workflows (issue 13): the claim
// passes over every other workflow's tasks, however early they sort.
TEST_P(StoreConformanceTest, ClaimNextRestrictsToTheReviewersWorkflows) {
  AddTask("i-1", 1);  // workflow "refunds", first in claim order
  auto airline = AddTask("i-2", 3, {}, "", "general", t0_ + hours(2), {}, {}, "airline");
  ClaimRequest r = Reviewer("r1");
  r.workflows = {"airline", "hotel"};
  auto claimed = store_->ClaimNext(r);
  ASSERT_THAT(claimed, IsOk());
  EXPECT_EQ(claimed->id, airline.task_id);
  EXPECT_EQ(claimed->workflow, "airline");
  EXPECT_THAT(store_->ClaimNext(r), IsError(ErrorCode::kNotFound));
}

// Claims walk each of the reviewer's queues: the claim order holds across
// them, and a backlog in a queue they do not work is passed over.
TEST_P(StoreConformanceTest, ClaimNextKeepsClaimOrderAcrossTheReviewersQueues) {
  for (int i = 0; i < 50; ++i) AddTask("esc-" + std::to_string(i), 1, {}, "", "supervisors");
  auto a_p3 = AddTask("i-a", 3, {}, "", "orders", t0_ + hours(1));
  auto b_p2_late = AddTask("i-b", 2, {}, "", "billing", t0_ + hours(5));
  auto a_p2_early = AddTask("i-c", 2, {}, "", "orders", t0_ + hours(2));
  ClaimRequest r = Reviewer("r1");
  r.queues = {"orders", "billing"};
  std::vector<std::string> order;
  for (int i = 0; i < 3; ++i) {
    auto t = store_->ClaimNext(r);
    ASSERT_THAT(t, IsOk());
    order.push_back(t->id);
  }
  EXPECT_THAT(order, ::testing::ElementsAre(a_p2_early.task_id, b_p2_late.task_id, a_p3.task_id));
  EXPECT_THAT(store_->ClaimNext(r), IsError(ErrorCode::kNotFound));
}

// A reviewer who cannot take the first tasks in claim order gets the first
// one they can, however many are ahead of it (here all due and created at
// once, so only the id orders them).
TEST_P(StoreConformanceTest, ClaimNextWalksPastEveryTaskTheReviewerCannotTake) {
  for (int i = 0; i < 40; ++i) {
    AddTask("legal-" + std::to_string(i), 2, {"legal"}, "", "q", t0_ + hours(1), t0_);
  }
  auto plain = AddTask("i-plain", 2, {}, "", "q", t0_ + hours(1), t0_);
  auto t = store_->ClaimNext(Reviewer("r1", {"billing"}));
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->id, plain.task_id);
  EXPECT_THAT(store_->ClaimNext(Reviewer("r1", {"billing"})), IsError(ErrorCode::kNotFound));
  t = store_->ClaimNext(Reviewer("r2", {"legal"}));
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->skills, std::vector<std::string>{"legal"});
}

TEST_P(StoreConformanceTest, ClaimNextEnforcesTheConcurrencyLimit) {
  for (int i = 0; i < 3; ++i) AddTask("i-" + std::to_string(i));
  ClaimRequest r = Reviewer("r1");
  r.max_concurrent = 2;
  ASSERT_THAT(store_->ClaimNext(r), IsOk());
  ASSERT_THAT(store_->ClaimNext(r), IsOk());
  std::int64_t head = HeadSeq();
  EXPECT_THAT(store_->ClaimNext(r), IsError(ErrorCode::kFailedPrecondition));
  EXPECT_EQ(HeadSeq(), head);
  // Expired leases do not count.
  r.now += minutes(10);
  EXPECT_THAT(store_->ClaimNext(r), IsOk());
}

TEST_P(StoreConformanceTest, ClaimSetsLeaseAndWritesAudit) {
  auto d = AddTask("i-1");
  std::int64_t head = HeadSeq();
  auto t = store_->ClaimNext(Reviewer("r1"));
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->status, TaskStatus::kClaimed);
  ASSERT_TRUE(t->lease.has_value());
  EXPECT_EQ(t->lease->owner, "r1");
  EXPECT_FALSE(t->lease->lease_id.empty());
  EXPECT_EQ(t->lease->expires_at, t0_ + minutes(6));
  EXPECT_EQ(t->claim_count, 1);
  EXPECT_THAT(Kinds(*store_, head + 1), ::testing::ElementsAre("claim"));
  auto again = store_->GetTask(d.task_id);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(*again, *t);
}

TEST_P(StoreConformanceTest, ClaimSpecificTask) {
  auto d = AddTask("i-1", 3, {"legal"});
  EXPECT_THAT(store_->Claim("t-404", Reviewer("r1")), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store_->Claim(d.task_id, Reviewer("r1")), IsError(ErrorCode::kFailedPrecondition));
  auto t = store_->Claim(d.task_id, Reviewer("r1", {"legal"}));
  ASSERT_THAT(t, IsOk());
  EXPECT_THAT(store_->Claim(d.task_id, Reviewer("r2", {"legal"})), IsError(ErrorCode::kAborted));
  auto same = store_->Claim(d.task_id, Reviewer("r1", {"legal"}));
  ASSERT_THAT(same, IsOk());
  EXPECT_EQ(same->lease, t->lease) << "the holder gets its lease back unchanged";
  // After expiry another reviewer takes it over, and the log says so.
  ClaimRequest later = Reviewer("r2", {"legal"});
  later.now += minutes(10);
  std::int64_t head = HeadSeq();
  auto taken = store_->Claim(d.task_id, later);
  ASSERT_THAT(taken, IsOk());
  EXPECT_EQ(taken->lease->owner, "r2");
  EXPECT_EQ(taken->claim_count, 2);
  EXPECT_THAT(Kinds(*store_, head + 1), ::testing::ElementsAre("lease_expired", "claim"));
}

TEST_P(StoreConformanceTest, ConcurrentClaimsNeverShareATask) {
  constexpr int kThreads = 8;
  constexpr int kClaimsEach = 50;
  for (int i = 0; i < kThreads * kClaimsEach; ++i) {
    AddTask("i-" + std::to_string(i), 1 + i % 5);
  }
  std::vector<std::vector<std::string>> got(kThreads);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int th = 0; th < kThreads; ++th) {
    threads.emplace_back([&, th] {
      for (int i = 0; i < kClaimsEach; ++i) {
        auto t = store_->ClaimNext(Reviewer("r" + std::to_string(th)));
        if (t) {
          got[th].push_back(t->id);
        } else {
          ++errors;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  std::set<std::string> all;
  size_t total = 0;
  for (const auto& v : got) {
    total += v.size();
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(total, static_cast<size_t>(kThreads * kClaimsEach));
  EXPECT_EQ(all.size(), total) << "a task was handed to two reviewers";
  EXPECT_THAT(store_->ClaimNext(Reviewer("late")), IsError(ErrorCode::kNotFound));
}

// ---- Leases ----

TEST_P(StoreConformanceTest, RenewLeaseExtendsOnlyALiveLeaseOfItsHolder) {
  AddTask("i-1");
  auto t = store_->ClaimNext(Reviewer("r1")).value();
  const std::string lease = t.lease->lease_id;
  auto renewed = store_->RenewLease(t.id, lease, "r1", t0_ + minutes(4), minutes(5));
  ASSERT_THAT(renewed, IsOk());
  EXPECT_EQ(renewed->lease->expires_at, t0_ + minutes(9));
  EXPECT_EQ(renewed->lease->lease_id, lease);
  EXPECT_THAT(store_->RenewLease(t.id, lease, "r2", t0_ + minutes(4), minutes(5)),
              IsError(ErrorCode::kAborted));
  EXPECT_THAT(store_->RenewLease(t.id, "l-other", "r1", t0_ + minutes(4), minutes(5)),
              IsError(ErrorCode::kAborted));
  EXPECT_THAT(store_->RenewLease(t.id, lease, "r1", t0_ + minutes(9), minutes(5)),
              IsError(ErrorCode::kAborted))
      << "a lease that expired cannot be renewed";
  EXPECT_THAT(store_->RenewLease("t-404", lease, "r1", t0_, minutes(5)),
              IsError(ErrorCode::kNotFound));
}

TEST_P(StoreConformanceTest, ReleaseReturnsTheTaskToItsQueue) {
  AddTask("i-1");
  auto t = store_->ClaimNext(Reviewer("r1")).value();
  EXPECT_THAT(store_->Release(t.id, t.lease->lease_id, "r2", t0_ + minutes(2)),
              IsError(ErrorCode::kAborted));
  auto released = store_->Release(t.id, t.lease->lease_id, "r1", t0_ + minutes(2));
  ASSERT_THAT(released, IsOk());
  EXPECT_EQ(released->status, TaskStatus::kOpen);
  EXPECT_FALSE(released->lease.has_value());
  auto again = store_->ClaimNext(Reviewer("r2"));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->id, t.id);
}

TEST_P(StoreConformanceTest, ExpireLeasesReopensExpiredTasks) {
  AddTask("i-1");
  AddTask("i-2");
  auto a = store_->ClaimNext(Reviewer("r1")).value();
  ClaimRequest later = Reviewer("r2");
  later.now = t0_ + minutes(3);
  auto b = store_->ClaimNext(later).value();
  // At t0+7m a's lease (until t0+6m) expired, b's (until t0+8m) has not.
  std::int64_t head = HeadSeq();
  auto expired = store_->ExpireLeases(t0_ + minutes(7));
  ASSERT_THAT(expired, IsOk());
  ASSERT_EQ(expired->size(), 1u);
  EXPECT_EQ((*expired)[0].id, a.id);
  EXPECT_EQ((*expired)[0].status, TaskStatus::kOpen);
  EXPECT_THAT(Kinds(*store_, head + 1), ::testing::ElementsAre("lease_expired"));
  EXPECT_EQ(store_->GetTask(b.id)->status, TaskStatus::kClaimed);
  auto none = store_->ExpireLeases(t0_ + minutes(7));
  ASSERT_THAT(none, IsOk());
  EXPECT_TRUE(none->empty());
}

// ---- Verdicts ----

TEST_P(StoreConformanceTest, VerdictAnswersTheTask) {
  AddTask("i-1");
  auto t = store_->ClaimNext(Reviewer("r1")).value();
  Verdict v;
  v.kind = VerdictKind::kEdited;
  v.reviewer = "r1";
  v.edited_text = "We refunded 10 EUR.";
  v.edited_action_json = R"({"amount":10})";
  v.note = "tone";
  std::int64_t head = HeadSeq();
  auto answered = store_->SubmitVerdict(t.id, t.lease->lease_id, v, t0_ + minutes(2));
  ASSERT_THAT(answered, IsOk());
  EXPECT_EQ(answered->status, TaskStatus::kAnswered);
  ASSERT_TRUE(answered->verdict.has_value());
  EXPECT_EQ(answered->verdict->at, t0_ + minutes(2));
  EXPECT_EQ(answered->verdict->edited_text, "We refunded 10 EUR.");
  EXPECT_FALSE(answered->lease.has_value());
  EXPECT_THAT(Kinds(*store_, head + 1), ::testing::ElementsAre("verdict"));
  EXPECT_EQ(*store_->GetTask(t.id), *answered);
}

TEST_P(StoreConformanceTest, SecondVerdictIsRefusedWhoeverSendsIt) {
  AddTask("i-1");
  auto t = store_->ClaimNext(Reviewer("r1")).value();
  ASSERT_THAT(store_->SubmitVerdict(t.id, t.lease->lease_id, Approve("r1"), t0_ + minutes(2)),
              IsOk());
  std::int64_t head = HeadSeq();
  EXPECT_THAT(store_->SubmitVerdict(t.id, t.lease->lease_id, Approve("r1"), t0_ + minutes(2)),
              IsError(ErrorCode::kAlreadyExists));
  Verdict reject;
  reject.kind = VerdictKind::kRejected;
  reject.reviewer = "r2";
  reject.reason = "policy";
  EXPECT_THAT(store_->SubmitVerdict(t.id, "l-whatever", reject, t0_ + minutes(2)),
              IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store_->SubmitVerdict(t.id, "", reject, t0_ + minutes(2), {.override = true}),
              IsError(ErrorCode::kAlreadyExists));
  EXPECT_EQ(HeadSeq(), head) << "refused verdicts leave no audit record";
  EXPECT_EQ(store_->GetTask(t.id)->verdict->kind, VerdictKind::kApproved);
}

TEST_P(StoreConformanceTest, ConcurrentVerdictsOnlyOneWins) {
  AddTask("i-1");
  auto t = store_->ClaimNext(Reviewer("r1")).value();
  std::atomic<int> ok{0}, exists{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = store_->SubmitVerdict(t.id, t.lease->lease_id, Approve("r1"), t0_ + minutes(2));
      if (r) {
        ++ok;
      } else if (r.error().code() == ErrorCode::kAlreadyExists) {
        ++exists;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(exists.load(), 7);
}

TEST_P(StoreConformanceTest, VerdictAfterLeaseExpiryIsAborted) {
  AddTask("i-1");
  auto t = store_->ClaimNext(Reviewer("r1")).value();
  EXPECT_THAT(store_->SubmitVerdict(t.id, t.lease->lease_id, Approve("r1"), t0_ + minutes(6)),
              IsError(ErrorCode::kAborted));
  EXPECT_THAT(store_->SubmitVerdict(t.id, t.lease->lease_id, Approve("r2"), t0_ + minutes(2)),
              IsError(ErrorCode::kAborted))
      << "not this reviewer's lease";
  // Once re-claimed by someone else, the old lease is dead for good.
  ClaimRequest r2 = Reviewer("r2");
  r2.now = t0_ + minutes(7);
  auto t2 = store_->ClaimNext(r2).value();
  EXPECT_THAT(store_->SubmitVerdict(t.id, t.lease->lease_id, Approve("r1"), t0_ + minutes(8)),
              IsError(ErrorCode::kAborted));
  EXPECT_THAT(store_->SubmitVerdict(t.id, t2.lease->lease_id, Approve("r2"), t0_ + minutes(8)),
              IsOk());
}

TEST_P(StoreConformanceTest, VerdictFieldsAreValidated) {
  AddTask("i-1");
  auto t = store_->ClaimNext(Reviewer("r1")).value();
  Verdict edited;
  edited.kind = VerdictKind::kEdited;
  edited.reviewer = "r1";
  EXPECT_THAT(store_->SubmitVerdict(t.id, t.lease->lease_id, edited, t0_ + minutes(1)),
              IsError(ErrorCode::kInvalidArgument));
  Verdict rejected;
  rejected.kind = VerdictKind::kRejected;
  rejected.reviewer = "r1";
  EXPECT_THAT(store_->SubmitVerdict(t.id, t.lease->lease_id, rejected, t0_ + minutes(1)),
              IsError(ErrorCode::kInvalidArgument));
  rejected.reason = "unsafe";
  rejected.customer_message = "A colleague will contact you.";
  auto ok = store_->SubmitVerdict(t.id, t.lease->lease_id, rejected, t0_ + minutes(1));
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->verdict->customer_message, "A colleague will contact you.");
}

TEST_P(StoreConformanceTest, SupervisorOverride) {
  auto open = AddTask("i-1");
  AddTask("i-2");
  Verdict v = Approve("sup");
  EXPECT_THAT(store_->SubmitVerdict(open.task_id, "", v, t0_), IsError(ErrorCode::kAborted))
      << "without the override flag a lease is needed";
  auto answered = store_->SubmitVerdict(open.task_id, "", v, t0_, {.override = true});
  ASSERT_THAT(answered, IsOk());
  auto claimed = store_->ClaimNext(Reviewer("r1")).value();
  EXPECT_THAT(store_->SubmitVerdict(claimed.id, "", v, t0_ + minutes(2), {.override = true}),
              IsError(ErrorCode::kAborted))
      << "another reviewer holds a live lease";
  EXPECT_THAT(store_->SubmitVerdict(claimed.id, "", v, t0_ + minutes(7), {.override = true}),
              IsOk())
      << "after the lease expired the supervisor may answer";
}

TEST_P(StoreConformanceTest, FailedCallsWriteNothing) {
  AddTask("i-1");
  auto t = store_->ClaimNext(Reviewer("r1")).value();
  std::int64_t head = HeadSeq();
  OutboxMessage m{.workflow = "refunds", .url = "https://x", .event_type = "task.answered",
                  .payload_json = "{}"};
  EXPECT_THAT(store_->SubmitVerdict("t-404", "l", Approve("r1"), t0_, {.outbox = {m}}),
              IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store_->SubmitVerdict(t.id, "l-wrong", Approve("r1"), t0_, {.outbox = {m}}),
              IsError(ErrorCode::kAborted));
  EXPECT_THAT(store_->RenewLease("t-404", "l", "r1", t0_, minutes(1)),
              IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store_->ActivatePolicy("sha256:nope", "admin", t0_), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store_->RevokeKey("k-404", "admin", t0_), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store_->AppendAudit({{"", "a", "s", "{}"}}, t0_),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_EQ(HeadSeq(), head);
  auto deliveries = store_->NextDeliveries(t0_ + hours(1), 10, minutes(1));
  ASSERT_THAT(deliveries, IsOk());
  EXPECT_TRUE(deliveries->empty()) << "a refused verdict enqueues no webhook";
  EXPECT_EQ(store_->GetTask(t.id)->status, TaskStatus::kClaimed);
}

TEST_P(StoreConformanceTest, CancelTask) {
  auto d = AddTask("i-1");
  auto c = store_->CancelTask(d.task_id, "k-agent", "interaction closed", t0_);
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->status, TaskStatus::kCancelled);
  EXPECT_THAT(store_->CancelTask(d.task_id, "k-agent", "", t0_),
              IsError(ErrorCode::kFailedPrecondition));
  EXPECT_THAT(store_->ClaimNext(Reviewer("r1")), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store_->SubmitVerdict(d.task_id, "", Approve("s"), t0_, {.override = true}),
              IsError(ErrorCode::kFailedPrecondition));
}

// ---- Escalation ----

TEST_P(StoreConformanceTest, EscalateOverdueMovesBreachedTasksOnce) {
  auto soon = AddTask("i-1", 4, {}, "", "general", t0_ + minutes(10));
  auto later = AddTask("i-2", 4, {}, "", "general", t0_ + hours(3));
  auto claimed = AddTask("i-3", 2, {}, "", "general", t0_ + minutes(20));
  auto answered = AddTask("i-4", 5, {}, "", "general", t0_ + minutes(5));
  auto c = store_->Claim(claimed.task_id, Reviewer("r1")).value();
  auto a = store_->Claim(answered.task_id, Reviewer("r2")).value();
  ASSERT_THAT(store_->SubmitVerdict(a.id, a.lease->lease_id, Approve("r2"), t0_ + minutes(2)),
              IsOk());
  std::int64_t head = HeadSeq();
  auto esc = store_->EscalateOverdue(t0_ + minutes(30), "supervisors");
  ASSERT_THAT(esc, IsOk());
  ASSERT_EQ(esc->size(), 2u);
  EXPECT_EQ((*esc)[0].id, soon.task_id);
  EXPECT_EQ((*esc)[1].id, claimed.task_id);
  for (const auto& t : *esc) {
    EXPECT_TRUE(t.escalated);
    EXPECT_EQ(t.priority, 1);
    EXPECT_EQ(t.queue, "supervisors");
  }
  EXPECT_EQ((*esc)[1].lease, c.lease) << "an escalated claimed task keeps its lease";
  EXPECT_THAT(Kinds(*store_, head + 1), ::testing::ElementsAre("escalation", "escalation"));
  EXPECT_TRUE(store_->EscalateOverdue(t0_ + minutes(40), "supervisors")->empty());
  EXPECT_FALSE(store_->GetTask(later.task_id)->escalated);
  EXPECT_FALSE(store_->GetTask(answered.task_id)->escalated);
}

// ---- Agents' deadlines ----

TEST_P(StoreConformanceTest, ExpireDeadlinesSettlesEachPassedTaskOnceWithItsFallback) {
  using engine::DeadlineFallback;
  auto closed = AddTask("i-1", 3, {}, "", "general", {}, {},
                        TaskDeadline{t0_ + minutes(1), DeadlineFallback::kFailClosed});
  auto open = AddTask("i-2", 3, {}, "", "general", {}, {},
                      TaskDeadline{t0_ + minutes(2), DeadlineFallback::kFailOpen});
  auto handoff = AddTask("i-3", 4, {}, "", "general", {}, {},
                         TaskDeadline{t0_ + minutes(3), DeadlineFallback::kHandoff});
  auto later = AddTask("i-4", 3, {}, "", "general", {}, {},
                       TaskDeadline{t0_ + hours(2), DeadlineFallback::kFailClosed});
  auto none = AddTask("i-5");
  // The fail-open task is claimed: the deadline ends the reviewer's lease.
  ASSERT_THAT(store_->Claim(open.task_id, Reviewer("r1")), IsOk());
  EXPECT_EQ(store_->GetTask(closed.task_id)->deadline,
            (TaskDeadline{t0_ + minutes(1), DeadlineFallback::kFailClosed}))
      << "the deadline is stored with the task";

  const std::int64_t head = HeadSeq();
  auto settled = store_->ExpireDeadlines(t0_ + minutes(5), "");
  ASSERT_THAT(settled, IsOk());
  ASSERT_EQ(settled->size(), 3u);
  EXPECT_EQ((*settled)[0].id, closed.task_id);
  EXPECT_EQ((*settled)[1].id, open.task_id);
  EXPECT_EQ((*settled)[2].id, handoff.task_id);
  EXPECT_THAT(Kinds(*store_, head + 1),
              ::testing::ElementsAre("task_expired", "task_expired", "task_expired"));

  const Task c = store_->GetTask(closed.task_id).value();
  EXPECT_EQ(c.status, TaskStatus::kExpired);
  EXPECT_EQ(c.expired_at, t0_ + minutes(5));
  const Task o = store_->GetTask(open.task_id).value();
  EXPECT_EQ(o.status, TaskStatus::kExpired);
  EXPECT_FALSE(o.lease.has_value()) << "the deadline ends the reviewer's lease";
  const Task h = store_->GetTask(handoff.task_id).value();
  EXPECT_EQ(h.status, TaskStatus::kOpen) << "a handoff stays open for a person";
  EXPECT_EQ(h.kind, TaskKind::kHandoff);
  EXPECT_EQ(h.priority, 1);
  EXPECT_EQ(h.expired_at, t0_ + minutes(5));

  EXPECT_TRUE(store_->ExpireDeadlines(t0_ + minutes(6), "")->empty()) << "settled once";
  EXPECT_EQ(store_->GetTask(later.task_id)->status, TaskStatus::kOpen);
  EXPECT_EQ(store_->GetTask(none.task_id)->status, TaskStatus::kOpen);
  // A person can no longer answer an expired task, but can take the handoff.
  EXPECT_THAT(store_->SubmitVerdict(closed.task_id, "", Approve("r2"), t0_ + minutes(7),
                                    {.override = true}),
              IsError(ErrorCode::kFailedPrecondition));
  EXPECT_THAT(store_->Claim(open.task_id, Reviewer("r2")), IsError(ErrorCode::kFailedPrecondition));
  auto claimed = store_->ClaimNext(Reviewer("r2"));
  ASSERT_THAT(claimed, IsOk());
  EXPECT_EQ(claimed->id, handoff.task_id) << "the handoff comes first (priority 1)";
}

TEST_P(StoreConformanceTest, ExpireDeadlinesForOneTaskLeavesTheOthers) {
  using engine::DeadlineFallback;
  auto a = AddTask("i-1", 3, {}, "", "general", {}, {},
                   TaskDeadline{t0_ + minutes(1), DeadlineFallback::kFailClosed});
  auto b = AddTask("i-2", 3, {}, "", "general", {}, {},
                   TaskDeadline{t0_ + minutes(1), DeadlineFallback::kFailClosed});
  EXPECT_TRUE(store_->ExpireDeadlines(t0_ + seconds(30), a.task_id)->empty())
      << "not before the deadline";
  auto settled = store_->ExpireDeadlines(t0_ + minutes(2), a.task_id);
  ASSERT_THAT(settled, IsOk());
  ASSERT_EQ(settled->size(), 1u);
  EXPECT_EQ((*settled)[0].id, a.task_id);
  EXPECT_EQ(store_->GetTask(b.task_id)->status, TaskStatus::kOpen);
}

TEST_P(StoreConformanceTest, ADeadlineAfterTheVerdictChangesNothing) {
  using engine::DeadlineFallback;
  auto d = AddTask("i-1", 3, {}, "", "general", {}, {},
                   TaskDeadline{t0_ + minutes(1), DeadlineFallback::kFailOpen});
  auto t = store_->Claim(d.task_id, Reviewer("r1")).value();
  ASSERT_THAT(store_->SubmitVerdict(t.id, t.lease->lease_id, Approve("r1"), t0_ + seconds(50)),
              IsOk());
  const std::int64_t head = HeadSeq();
  EXPECT_TRUE(store_->ExpireDeadlines(t0_ + minutes(5), "")->empty());
  EXPECT_EQ(HeadSeq(), head) << "nothing audited";
  EXPECT_EQ(store_->GetTask(d.task_id)->status, TaskStatus::kAnswered);
}

TEST_P(StoreConformanceTest, CountOpenByWorkflowCountsEveryOpenTaskPastAThousand) {
  // More than the thousand a page of ListTasks holds: a count must not stop
  // there. Written through the asynchronous path so that SQLite commits
  // them in groups rather than one flush each.
  constexpr int kOrders = 1003;
  std::atomic<int> pending{kOrders};
  std::atomic<int> failed{0};
  for (int i = 0; i < kOrders; ++i) {
    DecisionRecord d;
    d.interaction_id = "o-" + std::to_string(i);
    d.customer_id = "c-o";
    d.workflow = "orders";
    d.channel = "chat";
    d.type = engine::EventType::kAiProposal;
    d.at = t0_;
    d.event_json = R"({"text":"where is my order"})";
    d.decision_json = R"({"outcome":"hold"})";
    d.outcome = engine::Outcome::kHold;
    d.policy_version = "sha256:abc";
    d.recorded_by = "k-agent";
    NewTask t;
    t.kind = TaskKind::kHold;
    t.queue = "orders";
    t.skills = {"orders"};  // not claimable by the reviewer below
    t.priority = 3;
    t.created_at = t0_;
    t.due_at = t0_ + hours(1);
    t.context_json = "{}";
    store_->RecordDecisionAsync(std::move(d), std::move(t), t0_, [&](Result<RecordedDecision> r) {
      if (!r) failed.fetch_add(1);
      pending.fetch_sub(1);
      pending.notify_all();
    });
  }
  for (int left = pending.load(); left > 0; left = pending.load()) pending.wait(left);
  ASSERT_EQ(failed.load(), 0);
  AddTask("r-1", 3, {}, "", "billing");  // workflow "refunds"
  AddTask("r-2", 3, {}, "", "billing");
  ASSERT_THAT(store_->ClaimNext(Reviewer("r1")), IsOk());  // claimed: no longer open
  auto counts = store_->CountOpenByWorkflow();
  ASSERT_THAT(counts, IsOk());
  EXPECT_EQ(*counts, (std::map<std::string, std::int64_t>{{"orders", kOrders}, {"refunds", 1}}));
}

TEST_P(StoreConformanceTest, OpenTasksOfOneQueueAreCountedPerWorkflow) {
  AddTask("r-1", 3, {}, "", "billing");  // workflow "refunds"
  AddTask("o-1", 3, {}, "", "billing", {}, {}, {}, "orders");
  AddTask("o-2", 3, {}, "", "billing", {}, {}, {}, "orders");
  auto counts = store_->CountOpenByWorkflowAndQueue();
  ASSERT_THAT(counts, IsOk());
  using Key = std::pair<std::string, std::string>;
  EXPECT_EQ(*counts, (std::map<Key, std::int64_t>{{{"orders", "billing"}, 2}, {{"refunds", "billing"}, 1}}));
}

TEST_P(StoreConformanceTest, ListTasksAndCountOpenByWorkflowAndQueue) {
  AddTask("i-1", 3, {}, "", "billing");
  AddTask("i-2", 3, {}, "", "billing");
  AddTask("i-3", 3, {}, "", "legal");
  store_->ClaimNext(Reviewer("r1")).value();
  auto counts = store_->CountOpenByWorkflowAndQueue();
  ASSERT_THAT(counts, IsOk());
  using Key = std::pair<std::string, std::string>;
  EXPECT_EQ(*counts, (std::map<Key, std::int64_t>{{{"refunds", "billing"}, 1}, {{"refunds", "legal"}, 1}}));
  auto billing = store_->ListTasks({.queue = "billing"});
  ASSERT_THAT(billing, IsOk());
  EXPECT_EQ(billing->size(), 2u);
  EXPECT_LE((*billing)[0].created_at, (*billing)[1].created_at);
  auto open = store_->ListTasks({.status = TaskStatus::kOpen});
  EXPECT_EQ(open->size(), 2u);
  EXPECT_EQ(store_->ListTasks({.interaction_id = "i-3"})->size(), 1u);
  EXPECT_EQ(store_->ListTasks({.workflow = "nope"})->size(), 0u);
  EXPECT_EQ(store_->ListTasks({.limit = 1})->size(), 1u);
  EXPECT_EQ(store_->ListTasks({.limit = -1})->size(), 3u) << "a negative limit is no limit";
  auto billing_open = store_->ListTasks({.queue = "billing", .status = TaskStatus::kOpen, .limit = 5});
  ASSERT_THAT(billing_open, IsOk());
  EXPECT_EQ(billing_open->size(), 1u);
  auto task = store_->ListTasks({.interaction_id = "i-3"})->at(0);
  EXPECT_EQ(task.context_json, R"({"proposal":"refund 10 EUR"})");
}

TEST_P(StoreConformanceTest, HoldNoticesAreListedByTheWindowTheyFellDueIn) {
  for (int i = 0; i < 3; ++i) {
    DecisionRecord d;
    d.interaction_id = "n-" + std::to_string(i);
    d.workflow = "refunds";
    d.type = engine::EventType::kAiProposal;
    d.at = t0_;
    d.event_json = "{}";
    d.decision_json = "{}";
    d.outcome = engine::Outcome::kHold;
    d.policy_version = "sha256:abc";
    d.recorded_by = "k-agent";
    NewTask t;
    t.queue = "general";
    t.created_at = t0_;
    t.due_at = t0_ + minutes(5);
    t.hold_notice_at = t0_ + seconds(10 * (i + 1));  // 10 s, 20 s, 30 s
    ASSERT_THAT(store_->RecordDecision(d, t, {}, t0_), IsOk());
  }
  auto due = store_->ListTasks({.status = TaskStatus::kOpen,
                                .hold_notice_after = t0_ + seconds(10),
                                .hold_notice_until = t0_ + seconds(30)});
  ASSERT_THAT(due, IsOk());
  ASSERT_EQ(due->size(), 2u) << "after 10 s (exclusive) up to 30 s (inclusive)";
  EXPECT_EQ((*due)[0].interaction_id, "n-1");
  EXPECT_EQ((*due)[1].interaction_id, "n-2");
}

TEST_P(StoreConformanceTest, EventIdIsUniqueWithinItsWorkflowOnly) {
  DecisionRecord d;
  d.event_id = "e-same";
  d.event_digest = "digest-a";
  d.interaction_id = "w-1";
  d.workflow = "refunds";
  d.type = engine::EventType::kCustomerMessage;
  d.at = t0_;
  d.event_json = R"({"text":"first"})";
  d.decision_json = R"({"decision":"allow"})";
  d.policy_version = "sha256:abc";
  d.recorded_by = "k-agent";
  auto first = store_->RecordDecision(d, std::nullopt, {}, t0_);
  ASSERT_THAT(first, IsOk());
  EXPECT_FALSE(first->duplicate);
  DecisionRecord other = d;
  other.workflow = "travel";
  other.decision_json = R"({"decision":"hold"})";
  auto elsewhere = store_->RecordDecision(other, std::nullopt, {}, t0_);
  ASSERT_THAT(elsewhere, IsOk());
  EXPECT_FALSE(elsewhere->duplicate) << "another workflow's event id is another event";
  DecisionRecord retry = d;
  retry.event_digest = "digest-b";
  retry.decision_json = R"({"decision":"block"})";
  const std::int64_t head = HeadSeq();
  auto again = store_->RecordDecision(retry, std::nullopt, {}, t0_);
  ASSERT_THAT(again, IsOk());
  ASSERT_TRUE(again->duplicate);
  ASSERT_TRUE(again->first.has_value());
  EXPECT_EQ(again->first->answer_json, R"({"decision":"allow"})") << "what was recorded first";
  EXPECT_EQ(again->first->event_digest, "digest-a");
  EXPECT_EQ(again->decision_seq, first->decision_seq);
  EXPECT_EQ(HeadSeq(), head) << "a duplicate writes nothing";
}

// ---- Policies ----

TEST_P(StoreConformanceTest, PolicyVersionsActivationAndRollback) {
  PolicyVersion v1{"sha256:v1", "base", "rules: []\n", "admin", t0_};
  PolicyVersion v2{"sha256:v2", "stricter", "rules: [x]\n", "admin", t0_ + minutes(1)};
  EXPECT_THAT(store_->GetActivePolicy(), IsError(ErrorCode::kNotFound));
  ASSERT_THAT(store_->SavePolicyVersion(v1), IsOk());
  ASSERT_THAT(store_->SavePolicyVersion(v2), IsOk());
  std::int64_t head = HeadSeq();
  EXPECT_THAT(store_->SavePolicyVersion(v1), IsOk()) << "same content: no-op";
  EXPECT_EQ(HeadSeq(), head);
  PolicyVersion clash = v1;
  clash.source_yaml = "other";
  EXPECT_THAT(store_->SavePolicyVersion(clash), IsError(ErrorCode::kAlreadyExists));

  ASSERT_THAT(store_->ActivatePolicy("sha256:v1", "admin", t0_ + minutes(2)), IsOk());
  ASSERT_THAT(store_->ActivatePolicy("sha256:v2", "admin", t0_ + minutes(3)), IsOk());
  EXPECT_EQ(store_->GetActivePolicy()->policy, v2);
  // Rollback: activate the older version again.
  ASSERT_THAT(store_->ActivatePolicy("sha256:v1", "ops", t0_ + minutes(4)), IsOk());
  auto active = store_->GetActivePolicy();
  ASSERT_THAT(active, IsOk());
  EXPECT_EQ(active->policy, v1);
  EXPECT_TRUE(active->active);
  EXPECT_EQ(active->activated_at, t0_ + minutes(4));
  EXPECT_EQ(active->activated_by, "ops");
  auto list = store_->ListPolicyVersions();
  ASSERT_THAT(list, IsOk());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].policy.version, "sha256:v2") << "newest upload first";
  EXPECT_FALSE((*list)[0].active);
  EXPECT_EQ((*list)[0].activated_at, t0_ + minutes(3));
  EXPECT_TRUE((*list)[1].active);
  EXPECT_THAT(Kinds(*store_, head + 1),
              ::testing::ElementsAre("policy_activated", "policy_activated", "policy_activated"));
}

// ---- Keys and webhooks ----

TEST_P(StoreConformanceTest, KeysCreateFindListRevoke) {
  ApiKey k;
  k.key_id = "k-rev1";
  k.secret_hash = "h1";
  k.name = "Ana";
  k.role = Role::kReviewer;
  k.skills = {"billing", "legal"};
  k.languages = {"de", "en"};
  k.max_concurrent = 3;
  k.approval_limits = {{"EUR", 200}, {"USD", 250.5}};
  k.created_at = t0_;
  k.created_by = "k-admin";
  ASSERT_THAT(store_->CreateKey(k), IsOk());
  EXPECT_THAT(store_->CreateKey(k), IsError(ErrorCode::kAlreadyExists));
  ApiKey bad = k;
  bad.key_id = "k-2";
  bad.secret_hash = "";
  EXPECT_THAT(store_->CreateKey(bad), IsError(ErrorCode::kInvalidArgument));
  ApiKey bad_limit = k;
  bad_limit.key_id = "k-3";
  bad_limit.approval_limits = {{"euro", 200}};
  EXPECT_THAT(store_->CreateKey(bad_limit), IsError(ErrorCode::kInvalidArgument));
  bad_limit.approval_limits = {{"EUR", -1}};
  EXPECT_THAT(store_->CreateKey(bad_limit), IsError(ErrorCode::kInvalidArgument));
  bad_limit.approval_limits = {{"EUR", 1}, {"EUR", 2}};
  EXPECT_THAT(store_->CreateKey(bad_limit), IsError(ErrorCode::kInvalidArgument));
  auto found = store_->FindKey("k-rev1");
  ASSERT_THAT(found, IsOk());
  EXPECT_EQ(*found, k);
  EXPECT_THAT(store_->FindKey("k-404"), IsError(ErrorCode::kNotFound));
  ASSERT_THAT(store_->RevokeKey("k-rev1", "k-admin", t0_ + hours(1)), IsOk());
  EXPECT_THAT(store_->RevokeKey("k-rev1", "k-admin", t0_ + hours(1)),
              IsError(ErrorCode::kFailedPrecondition));
  EXPECT_EQ(store_->FindKey("k-rev1")->revoked_at, t0_ + hours(1));
  auto list = store_->ListKeys();
  ASSERT_THAT(list, IsOk());
  EXPECT_EQ(list->size(), 1u);
}

TEST_P(StoreConformanceTest, WebhooksAndOutbox) {
  ASSERT_THAT(store_->UpsertWebhook({"refunds", "https://a", "s1", t0_}, "k-admin"), IsOk());
  ASSERT_THAT(store_->UpsertWebhook({"refunds", "https://b", "s2", t0_}, "k-admin"), IsOk());
  EXPECT_THAT(store_->UpsertWebhook({"", "https://b", "s2", t0_}, "k-admin"),
              IsError(ErrorCode::kInvalidArgument));
  auto hooks = store_->ListWebhooks();
  ASSERT_THAT(hooks, IsOk());
  ASSERT_EQ(hooks->size(), 1u);
  EXPECT_EQ((*hooks)[0].url, "https://b");
  auto recs = store_->ReadAudit(1, 10).value();
  EXPECT_EQ(recs[0].payload_json.find("s1"), std::string::npos) << "no secret in the log";

  AddTask("i-1");
  auto t = store_->ClaimNext(Reviewer("r1")).value();
  OutboxMessage m{.workflow = "refunds", .url = "https://b", .event_type = "task.answered",
                  .payload_json = R"({"task":"x"})"};
  ASSERT_THAT(store_->SubmitVerdict(t.id, t.lease->lease_id, Approve("r1"), t0_ + minutes(2),
                                    {.outbox = {m}}),
              IsOk());
  auto due = store_->NextDeliveries(t0_ + minutes(2), 10, minutes(1));
  ASSERT_THAT(due, IsOk());
  ASSERT_EQ(due->size(), 1u);
  const std::int64_t id = (*due)[0].id;
  EXPECT_EQ((*due)[0].payload_json, R"({"task":"x"})");
  EXPECT_EQ((*due)[0].created_at, t0_ + minutes(2));
  EXPECT_TRUE(store_->NextDeliveries(t0_ + minutes(2), 10, minutes(1))->empty())
      << "hidden while one sender works on it";
  ASSERT_THAT(store_->MarkFailed(id, t0_ + minutes(2), t0_ + minutes(5), "HTTP 503"), IsOk());
  EXPECT_TRUE(store_->NextDeliveries(t0_ + minutes(4), 10, minutes(1))->empty());
  auto retry = store_->NextDeliveries(t0_ + minutes(5), 10, minutes(1));
  ASSERT_EQ(retry->size(), 1u);
  EXPECT_EQ((*retry)[0].attempts, 1);
  EXPECT_EQ((*retry)[0].last_error, "HTTP 503");
  ASSERT_THAT(store_->MarkDelivered(id, t0_ + minutes(5)), IsOk());
  ASSERT_THAT(store_->MarkDelivered(id, t0_ + minutes(5)), IsOk());
  EXPECT_THAT(store_->MarkFailed(id, t0_, t0_, "x"), IsError(ErrorCode::kFailedPrecondition));
  EXPECT_THAT(store_->MarkDelivered(999, t0_), IsError(ErrorCode::kNotFound));
  EXPECT_TRUE(store_->NextDeliveries(t0_ + hours(5), 10, minutes(1))->empty());
  auto ids = store_->EnqueueDeliveries({m, m}, t0_ + hours(6));
  ASSERT_THAT(ids, IsOk());
  EXPECT_EQ(ids->size(), 2u);
  EXPECT_EQ(store_->NextDeliveries(t0_ + hours(6), 1, minutes(1))->size(), 1u);
}

// ---- Audit ----

TEST_P(StoreConformanceTest, AppendAndReadAudit) {
  auto recs = store_->AppendAudit({{"key_used", "k-1", "GET /v1/tasks", "{}"},
                                   {"key_used", "k-1", "POST /v1/events", "{}"}},
                                  t0_);
  ASSERT_THAT(recs, IsOk());
  ASSERT_EQ(recs->size(), 2u);
  EXPECT_EQ((*recs)[0].seq, 1);
  EXPECT_EQ((*recs)[0].prev_hash, audit::kGenesisHash);
  EXPECT_EQ((*recs)[1].prev_hash, (*recs)[0].hash);
  auto head = store_->GetAuditHead();
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(head->seq, 2);
  EXPECT_EQ(head->hash, (*recs)[1].hash);
  auto read = store_->ReadAudit(2, 10);
  ASSERT_THAT(read, IsOk());
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0], (*recs)[1]);
}

TEST_P(StoreConformanceTest, AuditLinksAreTheRecordsChainWithoutTheirContent) {
  ASSERT_THAT(store_->AppendAudit({{"key_used", "k-1", "a", R"({"n":1})"},
                                   {"key_used", "k-1", "b", R"({"n":2})"},
                                   {"key_used", "k-1", "c", R"({"n":3})"}},
                                  t0_),
              IsOk());
  auto records = store_->ReadAudit(2, 10);
  auto links = store_->ReadAuditLinks(2, 10);
  ASSERT_THAT(records, IsOk());
  ASSERT_THAT(links, IsOk());
  ASSERT_EQ(links->size(), 2u);
  for (size_t i = 0; i < links->size(); ++i) {
    EXPECT_EQ((*links)[i],
              (audit::AuditLink{(*records)[i].seq, (*records)[i].prev_hash, (*records)[i].hash}));
  }
  EXPECT_EQ(store_->ReadAuditLinks(3, 1)->size(), 1u);
  EXPECT_TRUE(store_->ReadAuditLinks(4, 10)->empty());
}

TEST_P(StoreConformanceTest, AuditOfKindsReturnsOnlyThoseKindsWithinTheSeqWindow) {
  ASSERT_THAT(store_->AppendAudit({{"key_used", "k-1", "a", "{}"},
                                   {"verdict", "r-1", "t-1", "{}"},
                                   {"key_used", "k-1", "b", "{}"},
                                   {"task_created", "system", "t-2", "{}"},
                                   {"verdict", "r-1", "t-2", "{}"}},
                                  t0_),
              IsOk());
  auto all = store_->ReadAuditOfKinds(1, 6, {"verdict", "task_created"});
  ASSERT_THAT(all, IsOk());
  std::vector<std::int64_t> seqs;
  for (const auto& r : *all) seqs.push_back(r.seq);
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{2, 4, 5}));
  EXPECT_EQ((*all)[0], store_->ReadAudit(2, 1)->front());  // whole records
  auto window = store_->ReadAuditOfKinds(3, 5, {"verdict", "task_created"});  // 5 is outside
  ASSERT_THAT(window, IsOk());
  ASSERT_EQ(window->size(), 1u);
  EXPECT_EQ(window->front().seq, 4);
  EXPECT_TRUE(store_->ReadAuditOfKinds(1, 6, {"audit_purged"})->empty());
}

TEST_P(StoreConformanceTest, AuditChainVerifiesAfterAMixedConcurrentWorkload) {
  store_->SavePolicyVersion({"sha256:v1", "p", "x: 1\n", "admin", t0_}).value();
  store_->ActivatePolicy("sha256:v1", "admin", t0_).value();
  std::vector<std::thread> threads;
  for (int th = 0; th < 4; ++th) {
    threads.emplace_back([&, th] {
      for (int i = 0; i < 25; ++i) {
        std::string iid = "i-" + std::to_string(th) + "-" + std::to_string(i);
        DecisionRecord d = PlainDecision(iid, "e-" + iid, t0_);
        NewTask nt;
        nt.queue = "q";
        nt.due_at = t0_ + minutes(i % 3);
        (void)store_->RecordDecision(d, nt, {}, t0_ + seconds(i));
        ClaimRequest r = Reviewer("r" + std::to_string(th));
        r.now = t0_ + seconds(i);
        auto t = store_->ClaimNext(r);
        if (t && i % 2 == 0) {
          (void)store_->SubmitVerdict(t->id, t->lease->lease_id, Approve(r.reviewer), r.now);
        }
        (void)store_->AppendAudit({{"key_used", r.reviewer, "x", "{}"}}, r.now);
      }
    });
  }
  for (auto& t : threads) t.join();
  (void)store_->ExpireLeases(t0_ + hours(1));
  (void)store_->EscalateOverdue(t0_ + hours(1), "supervisors");
  auto head = store_->GetAuditHead().value();
  EXPECT_GT(head.seq, 300);
  StoreAuditSource src(store_.get(), 1, 97);
  std::vector<audit::ChainProblem> problems;
  auto summary = audit::VerifyChain(src, {.expected_head = audit::ChainPoint{head.seq, head.hash}},
                                    [&](const audit::ChainProblem& p) { problems.push_back(p); });
  EXPECT_TRUE(summary.ok()) << summary.detail;
  EXPECT_EQ(summary.records_checked, head.seq);
  EXPECT_TRUE(problems.empty());
}

TEST_P(StoreConformanceTest, PurgeRefusesCutoffsInsideRetention) {
  store_->AppendAudit({{"key_used", "k", "s", "{}"}}, t0_).value();
  TimePoint now = t0_ + std::chrono::days(100);
  EXPECT_THAT(store_->PurgeAuditBefore(t0_ + seconds(1), now),
              IsError(ErrorCode::kFailedPrecondition));
  EXPECT_EQ(HeadSeq(), 1);
  auto r = store_->PurgeAuditBefore(now - std::chrono::days(183), now);
  ASSERT_THAT(r, IsOk()) << "a cutoff 183 days back is allowed";
  EXPECT_EQ(r->purged_count, 0);
}

TEST_P(StoreConformanceTest, PurgeKeepsTheChainVerifiable) {
  for (int i = 0; i < 10; ++i) {
    store_->AppendAudit({{"key_used", "k", std::to_string(i), "{}"}}, t0_ + hours(i)).value();
  }
  auto r = store_->PurgeAuditBefore(t0_ + hours(4), t0_ + hours(20),
                                    {.allow_short_retention = true});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->purged_count, 4);
  EXPECT_EQ(r->first_kept_seq, 5);
  EXPECT_EQ(r->anchor_seq, 11);
  auto first = store_->ReadAudit(1, 1).value();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].seq, 5);
  auto head = store_->GetAuditHead().value();
  EXPECT_EQ(head.seq, 11);
  StoreAuditSource src(store_.get());
  auto summary = audit::VerifyChain(src, {.expected_head = audit::ChainPoint{head.seq, head.hash}});
  EXPECT_TRUE(summary.ok()) << summary.detail;
  EXPECT_EQ(summary.first_seq, 5);
  EXPECT_EQ(summary.records_checked, 7);
  // Purge everything: the anchor record itself becomes the first one.
  auto all = store_->PurgeAuditBefore(t0_ + hours(100), t0_ + hours(100),
                                      {.allow_short_retention = true});
  ASSERT_THAT(all, IsOk());
  EXPECT_EQ(all->purged_count, 7);
  EXPECT_EQ(all->first_kept_seq, 12);
  StoreAuditSource src2(store_.get());
  auto s2 = audit::VerifyChain(src2);
  EXPECT_TRUE(s2.ok()) << s2.detail;
  EXPECT_EQ(s2.records_checked, 1);
  // Appending continues the chain.
  store_->AppendAudit({{"key_used", "k", "after", "{}"}}, t0_ + hours(101)).value();
  StoreAuditSource src3(store_.get());
  EXPECT_TRUE(audit::VerifyChain(src3).ok());
}

}  // namespace
}  // namespace hitlgate::store

namespace hitlgate::store {
namespace {

TEST_P(StoreConformanceTest, ControlsAreSetListedClearedAndAudited) {
  auto head = store_->GetAuditHead();
  ASSERT_THAT(head, IsOk());
  Control pause{ControlKind::kWorkflowPaused, "refunds", "k-sup", "incident 42", t0_};
  ASSERT_THAT(store_->SetControl(pause), IsOk());
  Control hold{ControlKind::kHoldNext, "c-1", "k-sup", "", t0_};
  ASSERT_THAT(store_->SetControl(hold), IsOk());
  pause.reason = "incident 43";  // replacing keeps one control per (kind, target)
  ASSERT_THAT(store_->SetControl(pause), IsOk());
  auto all = store_->ListControls();
  ASSERT_THAT(all, IsOk());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], hold);  // "hold_next" sorts before "workflow_paused"
  EXPECT_EQ((*all)[1], pause);
  EXPECT_THAT(store_->ClearControl(ControlKind::kWorkflowPaused, "refunds", "k-sup", t0_), IsOk());
  EXPECT_THAT(store_->ClearControl(ControlKind::kWorkflowPaused, "refunds", "k-sup", t0_),
              IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store_->SetControl({ControlKind::kHoldNext, "", "k", "", t0_}),
              IsError(ErrorCode::kInvalidArgument));
  auto records = store_->ReadAudit(head->seq + 1, 100);
  ASSERT_THAT(records, IsOk());
  ASSERT_EQ(records->size(), 4u);  // three sets, one clear; the failures wrote nothing
  EXPECT_EQ((*records)[0].kind, "control_set");
  EXPECT_EQ((*records)[3].kind, "control_cleared");
  EXPECT_EQ((*records)[3].subject, "refunds");
}

}  // namespace
}  // namespace hitlgate::store
