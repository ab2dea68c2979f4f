#include "hitlgate/measure/effectiveness.h"

#include <gtest/gtest.h>

#include <map>

#include "hitlgate/codec/json.h"
#include "hitlgate/measure/context_retention.h"
#include "hitlgate/measure/store_history.h"
#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/memory_store.h"

namespace hitlgate::measure {
namespace {

using engine::EventType;
using engine::Outcome;

const TimePoint kT0 = TimePoint{} + std::chrono::hours(24 * 20000);

// ---- Context retention -------------------------------------------------------

TEST(HandoffContextTest, RepeatedOrderNumberIsAnIdentifier) {
  HandoffContext c;
  c.AddCustomerMessage("Where is my order #W2378156? It is late.");
  RepetitionFinding f = c.Check("As I said, order #W2378156 never arrived");
  EXPECT_TRUE(f.repeated);
  EXPECT_EQ(f.kind, "identifier");
  EXPECT_EQ(f.what, "#w2378156");
}

TEST(HandoffContextTest, CollectedAddressRepeatedIsASlot) {
  HandoffContext c;
  c.AddSlot("address", "12 Elm Street, Springfield");
  RepetitionFinding f = c.Check("my address is 12 elm street springfield");
  EXPECT_TRUE(f.repeated);
  EXPECT_EQ(f.kind, "slot");
  EXPECT_EQ(f.what, "address");
}

TEST(HandoffContextTest, RestatedProblemByWordOverlap) {
  HandoffContext c;
  c.AddCustomerMessage("The blender arrived broken, the motor makes a burning smell and stops");
  RepetitionFinding f = c.Check("again: blender motor broken, burning smell, stops");
  EXPECT_TRUE(f.repeated) << f.kind;
  EXPECT_EQ(f.kind, "problem");
}

TEST(HandoffContextTest, NewInformationIsNotARepetition) {
  HandoffContext c;
  c.AddCustomerMessage("Where is my order #W2378156?");
  c.AddSlot("email", "ana@example.com");
  EXPECT_FALSE(c.Check("Thanks, yes please send a replacement to my office instead").repeated);
  EXPECT_FALSE(c.Check("my other order is #W9999999").repeated);
  EXPECT_FALSE(c.Check("ok").repeated);
}

TEST(TokenizeTest, KeepsIdentifiersWhole) {
  EXPECT_EQ(Tokenize("Mail ana@example.com, order #W123."),
            (std::vector<std::string>{"mail", "ana@example.com", "order", "#w123"}));
  EXPECT_TRUE(IsIdentifier("#w2378156"));
  EXPECT_TRUE(IsIdentifier("555-0134"));
  EXPECT_FALSE(IsIdentifier("covid19"));
  EXPECT_FALSE(IsIdentifier("12"));
}

// ---- Figures from hand-built facts -----------------------------------------------

EventFact Ev(std::int64_t index, EventType type, std::string text, Outcome outcome,
             std::vector<std::string> triggers = {}, std::string intent = "") {
  EventFact e;
  e.index = index;
  e.type = type;
  e.at = kT0 + std::chrono::minutes(index);
  e.text = std::move(text);
  e.outcome = outcome;
  e.escalation_triggers = std::move(triggers);
  e.intent = std::move(intent);
  return e;
}

TaskFact Task(store::TaskKind kind, std::string queue, int answered_after_s, int sla_s,
              std::optional<store::VerdictKind> verdict, std::int64_t event_index) {
  TaskFact t;
  t.id = "t-" + queue + std::to_string(answered_after_s);
  t.kind = kind;
  t.queue = std::move(queue);
  t.created_at = kT0;
  t.due_at = kT0 + std::chrono::seconds(sla_s);
  t.event_index = event_index;
  if (verdict) {
    t.answered_at = kT0 + std::chrono::seconds(answered_after_s);
    t.verdict = verdict;
    t.reviewer = "k-ana";
    t.handle_seconds = 30;
  }
  return t;
}

CollectedFacts SampleFacts() {
  CollectedFacts facts;
  InteractionFacts ai;  // AI alone, satisfied
  ai.id = "c-ai";
  ai.workflow = "retail-bot";
  ai.channel = "chat";
  ai.events = {Ev(0, EventType::kCustomerMessage, "where is my parcel", Outcome::kAllow),
               Ev(1, EventType::kAiProposal, "on its way", Outcome::kAllow, {}, "track_order")};
  ai.csat = {{kT0, 5, 5}};
  InteractionFacts held;  // a refund held and approved in time
  held.id = "c-held";
  held.workflow = "retail-bot";
  held.channel = "voice";
  held.events = {Ev(0, EventType::kCustomerMessage, "refund please", Outcome::kAllow),
                 Ev(1, EventType::kAiProposal, "refunding 150", Outcome::kHold, {"action_value_above"}, "refund")};
  held.tasks = {Task(store::TaskKind::kHold, "billing", 60, 120, store::VerdictKind::kApproved, 1)};
  held.csat = {{kT0, 3, 5}};
  InteractionFacts handoff;  // handed off; the customer repeats the order number
  handoff.id = "c-handoff";
  handoff.workflow = "retail-bot";
  handoff.channel = "chat";
  handoff.events = {Ev(0, EventType::kCustomerMessage, "order #W2378156 is broken, I want a person",
                       Outcome::kHandoff, {"human_request"}),
                    Ev(1, EventType::kCustomerMessage, "it is order #W2378156", Outcome::kAllow)};
  handoff.tasks = {Task(store::TaskKind::kHandoff, "supervisors", 300, 60, store::VerdictKind::kTakenOver, 0)};
  handoff.csat = {{kT0, 1, 5}, {kT0 + std::chrono::hours(1), 4, 5}};  // the latest counts
  facts.interactions = {ai, held, handoff};
  facts.claims_by_reviewer["k-ana"] = 3;
  return facts;
}

EffectivenessOptions AllTime() {
  EffectivenessOptions o;
  o.range.from = kT0;
  o.range.to = kT0 + std::chrono::hours(1);
  o.as_of = kT0 + std::chrono::hours(2);
  return o;
}

TEST(EffectivenessTest, EscalationRateByTriggerIntentChannel) {
  EffectivenessReport r = ComputeEffectiveness(SampleFacts(), AllTime());
  EXPECT_EQ(r.escalation.events, 6);
  EXPECT_EQ(r.escalation.escalations, 2);
  ASSERT_EQ(r.escalation.by_trigger.size(), 2u);
  EXPECT_EQ(r.escalation.by_trigger[0].escalations, 1);
  EXPECT_EQ(r.escalation.by_trigger[0].events, 6);
  bool refund_seen = false;
  for (const RateRow& row : r.escalation.by_intent) {
    if (row.key == "refund") {
      refund_seen = true;
      EXPECT_DOUBLE_EQ(row.rate, 1.0);
    }
  }
  EXPECT_TRUE(refund_seen);
  for (const RateRow& row : r.escalation.by_channel) {
    if (row.key == "voice") {
      EXPECT_DOUBLE_EQ(row.rate, 0.5);
    }
    if (row.key == "chat") {
      EXPECT_DOUBLE_EQ(row.rate, 0.25);
    }
  }
  EXPECT_EQ(r.escalation.bucket, std::chrono::hours(1));
  ASSERT_EQ(r.escalation.over_time.size(), 1u);
  EXPECT_EQ(r.escalation.over_time[0].escalations, 2);
}

// Languages: a German conversation asking for a person and handed off, a
// French one held, and events whose language nobody knew.
TEST(EffectivenessTest, ByLanguageCountsEventsEscalationsRequestsAndSentiment) {
  CollectedFacts facts;
  InteractionFacts de;
  de.id = "c-de";
  de.events = {Ev(0, EventType::kCustomerMessage, "Ich will einen Menschen", Outcome::kHandoff, {"human_request"}),
               Ev(1, EventType::kCustomerMessage, "Danke", Outcome::kAllow)};
  de.events[0].language = de.events[1].language = "de";
  de.events[0].human_request = true;
  de.events[0].sentiment = -0.4;
  de.events[1].sentiment = 0.6;
  InteractionFacts fr;
  fr.id = "c-fr";
  fr.events = {Ev(0, EventType::kCustomerMessage, "Remboursez-moi", Outcome::kAllow),
               Ev(1, EventType::kAiProposal, "remboursement", Outcome::kHold, {"action_value_above"})};
  fr.events[0].language = fr.events[1].language = "fr";
  fr.events[0].sentiment = -0.2;
  fr.events[1].sentiment = 0.9;  // not a customer message: not in the mean
  InteractionFacts unknown;
  unknown.id = "c-x";
  unknown.events = {Ev(0, EventType::kCustomerMessage, "ok", Outcome::kAllow)};
  facts.interactions = {de, fr, unknown};
  const EffectivenessReport r = ComputeEffectiveness(facts, AllTime());
  ASSERT_EQ(r.escalation.by_language.size(), 3u);
  std::map<std::string, LanguageRow> rows;
  for (const LanguageRow& l : r.escalation.by_language) rows[l.language] = l;
  const LanguageRow& g = rows.at("de");
  EXPECT_EQ(g.events, 2);
  EXPECT_EQ(g.handoffs, 1);
  EXPECT_EQ(g.holds, 0);
  EXPECT_DOUBLE_EQ(g.rate, 0.5);
  EXPECT_EQ(g.customer_messages, 2);
  EXPECT_EQ(g.human_requests, 1);
  EXPECT_DOUBLE_EQ(g.human_request_rate, 0.5);
  EXPECT_NEAR(g.sentiment_mean, 0.1, 1e-9);
  const LanguageRow& f = rows.at("fr");
  EXPECT_EQ(f.holds, 1);
  EXPECT_EQ(f.escalations, 1);
  EXPECT_EQ(f.customer_messages, 1);
  EXPECT_NEAR(f.sentiment_mean, -0.2, 1e-9);
  EXPECT_EQ(rows.at("(unknown)").events, 1);
  EXPECT_DOUBLE_EQ(rows.at("(unknown)").human_request_rate, 0.0);
  const std::string json = EffectivenessJson(r);
  EXPECT_NE(json.find("\"by_language\":[{\"language\":\"de\",\"events\":2,\"escalations\":1,\"holds\":0,"
                      "\"handoffs\":1"),
            std::string::npos)
      << json;
  EXPECT_NE(EffectivenessHtml(r).find("<h3>by language</h3>"), std::string::npos);
}

TEST(EffectivenessTest, HandoffRetentionCountsTheRepeat) {
  EffectivenessReport r = ComputeEffectiveness(SampleFacts(), AllTime());
  EXPECT_EQ(r.retention.handoffs, 1);
  EXPECT_EQ(r.retention.observable, 1);
  EXPECT_EQ(r.retention.repeated, 1);
  EXPECT_EQ(r.retention.by_kind.at("identifier"), 1);
  ASSERT_EQ(r.retention.examples.size(), 1u);
  EXPECT_EQ(r.retention.examples[0].interaction_id, "c-handoff");
}

TEST(EffectivenessTest, ResolutionPercentilesAndSlaByQueue) {
  EffectivenessReport r = ComputeEffectiveness(SampleFacts(), AllTime());
  EXPECT_EQ(r.resolution.all.count, 2);
  EXPECT_DOUBLE_EQ(r.resolution.all.p50, 60);
  EXPECT_DOUBLE_EQ(r.resolution.all.max, 300);
  ASSERT_EQ(r.sla.size(), 2u);
  EXPECT_EQ(r.sla[0].queue, "billing");
  EXPECT_EQ(r.sla[0].met, 1);
  EXPECT_EQ(r.sla[1].queue, "supervisors");
  EXPECT_EQ(r.sla[1].met, 0);
  EXPECT_EQ(r.sla[1].tasks, 1);
}

TEST(EffectivenessTest, CsatGroupsUseTheLatestSurvey) {
  EffectivenessReport r = ComputeEffectiveness(SampleFacts(), AllTime());
  ASSERT_EQ(r.csat.groups.size(), 3u);
  EXPECT_EQ(r.csat.groups[0].group, "ai_resolved");
  EXPECT_EQ(r.csat.groups[0].satisfied.hits, 1);
  EXPECT_EQ(r.csat.groups[1].group, "escalated");
  EXPECT_EQ(r.csat.groups[1].satisfied.hits, 0);
  EXPECT_EQ(r.csat.groups[2].group, "human_resolved");
  EXPECT_EQ(r.csat.groups[2].responses, 1);
  EXPECT_DOUBLE_EQ(r.csat.groups[2].mean, 4.0);
  EXPECT_TRUE(r.csat.delta_known);
}

TEST(EffectivenessTest, ReviewerWorkloadAndAgreement) {
  EffectivenessReport r = ComputeEffectiveness(SampleFacts(), AllTime());
  ASSERT_EQ(r.reviewers.size(), 1u);
  EXPECT_EQ(r.reviewers[0].claims, 3);
  EXPECT_EQ(r.reviewers[0].verdicts, 2);
  EXPECT_EQ(r.reviewers[0].agreement.n, 1);  // only held proposals count
  EXPECT_EQ(r.agreement.hits, 1);
  EXPECT_DOUBLE_EQ(r.reviewers[0].mean_handle_seconds, 30);
}

TEST(EffectivenessTest, AssistAcceptanceAndHandlingWithAndWithoutAUsedSuggestion) {
  CollectedFacts facts = SampleFacts();
  InteractionFacts& held = facts.interactions[1];
  held.tasks[0].assist_used = 1;  // handled in 30 s with a suggestion used
  held.tasks[0].assist_wrong = 2;
  TaskFact slow = Task(store::TaskKind::kHold, "billing", 200, 300, store::VerdictKind::kEdited, 1);
  slow.handle_seconds = 90;
  slow.assist_wrong = 1;  // judged, none used
  held.tasks.push_back(slow);
  EffectivenessReport r = ComputeEffectiveness(facts, AllTime());
  EXPECT_EQ(r.assist.judgements, 4);
  EXPECT_EQ(r.assist.acceptance.hits, 1);
  EXPECT_DOUBLE_EQ(r.assist.acceptance.share, 0.25);
  EXPECT_EQ(r.assist.handle_with_used.count, 1);
  EXPECT_DOUBLE_EQ(r.assist.handle_with_used.p50, 30);
  EXPECT_EQ(r.assist.handle_without_used.count, 2);  // the slow one and the handoff's
  EXPECT_DOUBLE_EQ(r.assist.handle_without_used.max, 90);
  const std::string json = EffectivenessJson(r);
  EXPECT_TRUE(codec::CanonicalJson(json)) << json;
  EXPECT_NE(json.find(R"("assist":{"acceptance":{"n":4,"hits":1)"), std::string::npos) << json;
}

TEST(EffectivenessTest, JsonAndHtmlCarryTheSameFigures) {
  EffectivenessReport r = ComputeEffectiveness(SampleFacts(), AllTime());
  const std::string json = EffectivenessJson(r);
  EXPECT_TRUE(codec::CanonicalJson(json)) << json;
  EXPECT_NE(json.find(R"("escalation":{"events":6,"escalations":2)"), std::string::npos) << json;
  const std::string html = EffectivenessHtml(r);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("33.3%"), std::string::npos);  // 2 of 6 escalated
}

TEST(WilsonIntervalTest, KnownValues) {
  // 8 of 10: Wilson 95% interval 0.490..0.943.
  Proportion p = WilsonInterval(8, 10);
  EXPECT_NEAR(p.low, 0.490, 1e-3);
  EXPECT_NEAR(p.high, 0.943, 1e-3);
  EXPECT_EQ(WilsonInterval(0, 0).n, 0);
}

TEST(PercentilesTest, NearestRank) {
  Percentiles p = ComputePercentiles({5, 1, 4, 2, 3, 6, 7, 8, 9, 10});
  EXPECT_DOUBLE_EQ(p.p50, 5);
  EXPECT_DOUBLE_EQ(p.p90, 9);
  EXPECT_DOUBLE_EQ(p.p99, 10);
  EXPECT_DOUBLE_EQ(p.mean, 5.5);
}

// ---- From a store -------------------------------------------------------------------

class StoreFactsTest : public ::testing::Test {
 protected:
  void Record(const std::string& interaction, std::int64_t index, EventType type, const std::string& text,
              Outcome outcome, std::optional<store::TaskKind> task_kind, TimePoint at,
              const std::string& event_id = "") {
    engine::Event e;
    e.interaction_id = interaction;
    e.customer_id = "u-1";
    e.workflow = "retail-bot";
    e.channel = "chat";
    e.type = type;
    e.text = text;
    e.at = at;
    e.event_id = event_id;
    engine::Decision d;
    d.interaction_id = interaction;
    d.event_index = index;
    d.outcome = outcome;
    d.signals.language = interaction == "c-2" ? "de" : "";
    d.signals.human_request = outcome == Outcome::kHandoff;
    d.signals.sentiment = outcome == Outcome::kHandoff ? -0.5 : 0.0;
    if (outcome == Outcome::kHold) d.reasons.push_back({"action_value_above", "big-refund", "", Outcome::kHold});
    if (outcome == Outcome::kHandoff) d.reasons.push_back({"human_request", "person", "", Outcome::kHandoff});
    store::DecisionRecord rec;
    rec.event_id = event_id;
    rec.interaction_id = interaction;
    rec.customer_id = "u-1";
    rec.workflow = "retail-bot";
    rec.channel = "chat";
    rec.event_index = index;
    rec.type = type;
    rec.at = at;
    rec.event_json = codec::EncodeEvent(e);
    rec.decision_json = codec::EncodeDecision(d);
    rec.outcome = outcome;
    rec.recorded_by = "k-agent";
    std::optional<store::NewTask> task;
    if (task_kind) {
      store::NewTask t;
      t.kind = *task_kind;
      t.queue = *task_kind == store::TaskKind::kHandoff ? "supervisors" : "billing";
      t.created_at = at;
      t.due_at = at + std::chrono::seconds(120);
      task = t;
    }
    auto r = store_->RecordDecision(rec, task, {}, at);
    ASSERT_TRUE(r) << r.error().ToString();
    if (!r->task_id.empty()) tasks_.push_back(r->task_id);
  }

  void Answer(const std::string& task_id, store::VerdictKind kind, TimePoint claim_at, TimePoint at) {
    store::ClaimRequest req;
    req.reviewer = "k-ana";
    req.now = claim_at;
    auto claimed = store_->Claim(task_id, req);
    ASSERT_TRUE(claimed) << claimed.error().ToString();
    store::Verdict v;
    v.kind = kind;
    v.reviewer = "k-ana";
    if (kind == store::VerdictKind::kRejected) v.reason = "no";
    auto answered = store_->SubmitVerdict(task_id, claimed->lease->lease_id, v, at);
    ASSERT_TRUE(answered) << answered.error().ToString();
  }

  void SetUp() override {
    store_ = store::NewMemoryStore(&ids_);
    Record("c-1", 0, EventType::kCustomerMessage, "refund my order #W1234567 please", Outcome::kAllow, {}, kT0);
    Record("c-1", 1, EventType::kAiProposal, "refunding 150", Outcome::kHold, store::TaskKind::kHold,
           kT0 + std::chrono::seconds(2), "ev-hold");
    Record("c-2", 0, EventType::kCustomerMessage, "I want a person about order #W7654321", Outcome::kHandoff,
           store::TaskKind::kHandoff, kT0 + std::chrono::seconds(5));
    Record("c-2", 1, EventType::kCustomerMessage, "it's about #W7654321", Outcome::kAllow, {},
           kT0 + std::chrono::seconds(9));
    Answer(tasks_[0], store::VerdictKind::kRejected, kT0 + std::chrono::seconds(10), kT0 + std::chrono::seconds(40));
    Answer(tasks_[1], store::VerdictKind::kTakenOver, kT0 + std::chrono::seconds(20), kT0 + std::chrono::seconds(30));
  }

  store::SequentialIdGenerator ids_;
  std::unique_ptr<store::Store> store_;
  std::vector<std::string> tasks_;
};

TEST_F(StoreFactsTest, CollectsEventsTasksClaimsAndCsat) {
  ASSERT_TRUE(RecordCsat(*store_, "c-2", 9, 10, "survey", "k-agent", kT0 + std::chrono::minutes(5)));
  auto facts = CollectFacts(*store_, TimeRange{});
  ASSERT_TRUE(facts) << facts.error().ToString();
  ASSERT_EQ(facts->interactions.size(), 2u);
  EXPECT_EQ(facts->claims_by_reviewer.at("k-ana"), 2);
  const InteractionFacts& c2 = facts->interactions[1];
  EXPECT_EQ(c2.id, "c-2");
  ASSERT_EQ(c2.csat.size(), 1u);
  EXPECT_EQ(c2.csat[0].score, 9);
  ASSERT_EQ(c2.tasks.size(), 1u);
  EXPECT_EQ(c2.tasks[0].event_index, 0);
  EXPECT_EQ(c2.tasks[0].queue, "supervisors");
  ASSERT_TRUE(c2.tasks[0].handle_seconds);
  EXPECT_DOUBLE_EQ(*c2.tasks[0].handle_seconds, 10);
  EffectivenessOptions options;
  options.as_of = kT0 + std::chrono::hours(1);
  EffectivenessReport r = ComputeEffectiveness(*facts, options);
  EXPECT_EQ(r.escalation.escalations, 2);
  EXPECT_EQ(r.retention.repeated, 1);
  EXPECT_EQ(r.csat.groups[2].responses, 1);
  EXPECT_EQ(r.reviewers[0].rejected, 1);
  // The language and signals come from each decision's recorded signals.
  EXPECT_EQ(c2.events[0].language, "de");
  EXPECT_TRUE(c2.events[0].human_request);
  EXPECT_DOUBLE_EQ(c2.events[0].sentiment, -0.5);
  ASSERT_EQ(r.escalation.by_language.size(), 2u);
  EXPECT_EQ(r.escalation.by_language[0].language, "(unknown)");
  EXPECT_EQ(r.escalation.by_language[1].language, "de");
  EXPECT_EQ(r.escalation.by_language[1].handoffs, 1);
  EXPECT_DOUBLE_EQ(r.escalation.by_language[1].human_request_rate, 0.5);
}

TEST_F(StoreFactsTest, RangeSelectsInteractionsByEventTime) {
  TimeRange late;
  late.from = kT0 + std::chrono::seconds(4);
  auto ids = InteractionsInRange(*store_, late);
  ASSERT_TRUE(ids);
  EXPECT_EQ(*ids, std::vector<std::string>{"c-2"});
}

TEST_F(StoreFactsTest, RangeReadsOldTwoRecordEventsBesideNewOneRecordEvents) {
  // A log written before one record per event: "event" then "decision".
  ASSERT_TRUE(store_->AppendAudit(
      {{"event", "k-agent", "c-old", R"({"decision_seq":9,"event_id":"e-old"})"},
       {"decision", "k-agent", "c-old", R"({"decision_seq":9,"outcome":"allow"})"}},
      kT0 + std::chrono::seconds(10)));
  TimeRange late;
  late.from = kT0 + std::chrono::seconds(4);
  auto ids = InteractionsInRange(*store_, late);
  ASSERT_TRUE(ids);
  EXPECT_EQ(*ids, (std::vector<std::string>{"c-2", "c-old"})) << "each interaction once, both forms";
}

TEST_F(StoreFactsTest, RecordCsatRejectsBadScoresAndUnknownInteractions) {
  auto bad = RecordCsat(*store_, "c-1", 6, 5, "", "k", kT0);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message().find("score"), std::string::npos);
  EXPECT_EQ(RecordCsat(*store_, "c-1", 3, 1, "", "k", kT0).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(RecordCsat(*store_, "c-nope", 3, 5, "", "k", kT0).error().code(), ErrorCode::kNotFound);
}

TEST_F(StoreFactsTest, HistoryAndVerdictsForReplay) {
  auto history = LoadStoreHistory(*store_, TimeRange{});
  ASSERT_TRUE(history) << history.error().ToString();
  ASSERT_EQ(history->size(), 4u);
  EXPECT_EQ((*history)[1].event.interaction_id, "c-1");
  EXPECT_EQ((*history)[1].verdict, HumanVerdict::kRejected);
  EXPECT_EQ((*history)[2].verdict, HumanVerdict::kTakenOver);
  auto verdicts = LoadStoreVerdicts(*store_, TimeRange{});
  ASSERT_TRUE(verdicts);
  engine::Event e;
  e.event_id = "ev-hold";
  EXPECT_EQ(verdicts->Find(e, 99), HumanVerdict::kRejected);
  e.event_id.clear();
  e.interaction_id = "c-2";
  EXPECT_EQ(verdicts->Find(e, 0), HumanVerdict::kTakenOver);
}

TEST_F(StoreFactsTest, RecentHistoryTakesWholeInteractionsNewestFirstUpToTheBound) {
  auto all = LoadRecentStoreHistory(*store_, TimeRange{}, 100);
  ASSERT_TRUE(all) << all.error().ToString();
  EXPECT_EQ(all->events.size(), 4u);
  EXPECT_EQ(all->interactions, 2);
  EXPECT_FALSE(all->truncated);
  ASSERT_TRUE(all->first_event_at && all->last_event_at);
  EXPECT_EQ(*all->first_event_at, kT0);
  EXPECT_EQ(*all->last_event_at, kT0 + std::chrono::seconds(9));
  EXPECT_EQ(all->events[1].verdict, HumanVerdict::kRejected);  // same order and verdicts as LoadStoreHistory

  // Two events: the newest interaction (c-2) only, and older ones left out.
  auto two = LoadRecentStoreHistory(*store_, TimeRange{}, 2);
  ASSERT_TRUE(two);
  ASSERT_EQ(two->events.size(), 2u);
  EXPECT_EQ(two->events[0].event.interaction_id, "c-2");
  EXPECT_EQ(two->events[0].verdict, HumanVerdict::kTakenOver);
  EXPECT_EQ(two->interactions, 1);
  EXPECT_TRUE(two->truncated);
  // A bound below the newest interaction's size still replays it whole.
  auto one = LoadRecentStoreHistory(*store_, TimeRange{}, 1);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->events.size(), 2u);
  EXPECT_TRUE(one->truncated);

  TimeRange late;
  late.from = kT0 + std::chrono::seconds(4);
  auto in_range = LoadRecentStoreHistory(*store_, late, 100);
  ASSERT_TRUE(in_range);
  EXPECT_EQ(in_range->interactions, 1);
  EXPECT_FALSE(in_range->truncated);
  TimeRange before;
  before.to = kT0 - std::chrono::seconds(1);
  auto nothing = LoadRecentStoreHistory(*store_, before, 100);
  ASSERT_TRUE(nothing);
  EXPECT_TRUE(nothing->events.empty());
  EXPECT_FALSE(nothing->first_event_at);
  EXPECT_EQ(LoadRecentStoreHistory(*store_, TimeRange{}, 0).error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace hitlgate::measure
