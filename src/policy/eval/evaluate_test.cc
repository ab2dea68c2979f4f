// Program::Evaluate: baseline precedence, strictest-wins with every fired
// rule listed, floors under earned autonomy, routing, audit sampling, and
// the policy version.
#include <gtest/gtest.h>

#include "policy/policy_test_util.h"

namespace hitlgate::policy {
namespace {

using engine::Outcome;
using engine::Oversight;
using testing::FindReason;
using testing::Fired;
using testing::MustCompile;
using testing::Situation;

const char* kPolicy = R"(
policy: eval-test
queues:
  general:     {skills: [], sla_seconds: 300}
  billing:     {skills: [billing], sla_seconds: 120, priority: 2}
  orders:      {skills: [orders], sla_seconds: 200, priority: 3}
  supervisors: {skills: [supervisor], sla_seconds: 60, priority: 1}
  medical:     {skills: [medical], sla_seconds: 90, priority: 2}
defaults:
  oversight: hotl
  queue: general
  hold_notice_seconds: 20
groups:
  intents: {money: [refund_request, billing_dispute]}
  actions: {order_changes: [cancel_order, modify_address, "exchange_*"]}
workflows:
  retail-bot:
    oversight: hotl
    queue: orders
    intents: {"faq_*": hootl, "@money": hitl, faq_refunds: hotl}
    actions: {refund: hitl, "@order_changes": hotl, "*": hootl, "exchange_big*": hitl}
  faq-bot:
    oversight: hootl
floors:
  - name: medical-always-hitl
    when: {sensitive_topic: medical}
    oversight: hitl
    queue: medical
rules:
  - name: refunds-over-100
    when: {action_value_above: {action: refund, limits: {EUR: 100, USD: 110}}}
    decision: hold
    queue: billing
  - name: angry
    when: {sentiment_below: {level: -0.5}}
    decision: hold
    skills: [deescalation]
    sla_seconds: 30
  - name: person
    when: {human_request: true}
    decision: handoff
    queue: supervisors
  - name: legal
    when: {legal_threat: true}
    decision: handoff
    priority: 1
  - name: voice-only
    workflows: ["retail-*"]
    when: {frustration: true}
    if: "channel == 'voice'"
    decision: allow_monitored
audit:
  sample_rate: 0.5
)";

std::shared_ptr<const Program> Policy() {
  static std::shared_ptr<const Program> p = MustCompile(kPolicy);
  return p;
}

TEST(EvaluateTest, BaselineExactBeatsGroupBeatsGlob) {
  auto p = Policy();
  ASSERT_TRUE(p);
  // Exact action entry.
  engine::Decision d = Situation().Proposal("other").Act("refund", 5, "EUR").Eval(*p);
  EXPECT_EQ(d.outcome, Outcome::kHold);
  EXPECT_EQ(d.reasons[0].rule, "workflows.retail-bot.actions.refund");
  EXPECT_EQ(d.reasons[0].trigger, "oversight_default");
  EXPECT_EQ(d.reasons[0].detail, "refund actions in retail-bot are human-in-the-loop");
  // Group member (exact) beats the "*" glob.
  d = Situation().Proposal("other").Act("cancel_order").Eval(*p);
  EXPECT_EQ(d.outcome, Outcome::kAllowMonitored);
  EXPECT_EQ(d.reasons[0].rule, "workflows.retail-bot.actions.@order_changes");
  // Among globs the most literal wins: exchange_big* over exchange_* over *.
  d = Situation().Proposal("other").Act("exchange_bigscreen").Eval(*p);
  EXPECT_EQ(d.reasons[0].rule, "workflows.retail-bot.actions.exchange_big*");
  EXPECT_EQ(d.outcome, Outcome::kHold);
  d = Situation().Proposal("other").Act("exchange_item").Eval(*p);
  EXPECT_EQ(d.reasons[0].rule, "workflows.retail-bot.actions.@order_changes");
  d = Situation().Proposal("other").Act("lookup").Eval(*p);
  EXPECT_EQ(d.reasons[0].rule, "workflows.retail-bot.actions.*");
  EXPECT_EQ(d.outcome, Outcome::kAllow);
  // Exact intent beats a glob that also matches.
  d = Situation().Proposal("faq_refunds").Eval(*p);
  EXPECT_EQ(d.reasons[0].rule, "workflows.retail-bot.intents.faq_refunds");
  EXPECT_EQ(d.outcome, Outcome::kAllowMonitored);
}

TEST(EvaluateTest, BaselineTakesTheStricterOfActionAndIntent) {
  auto p = Policy();
  engine::Decision d = Situation().Proposal("refund_request").Act("lookup").Eval(*p);
  EXPECT_EQ(d.outcome, Outcome::kHold);
  EXPECT_EQ(d.reasons[0].rule, "workflows.retail-bot.intents.@money");
  EXPECT_EQ(d.reasons[0].detail, "refund_request intents in retail-bot are human-in-the-loop");
  d = Situation().Proposal("faq_hours").Act("cancel_order").Eval(*p);
  EXPECT_EQ(d.outcome, Outcome::kAllowMonitored);
  EXPECT_EQ(d.reasons[0].rule, "workflows.retail-bot.actions.@order_changes");
}

TEST(EvaluateTest, BaselineFallsBackToWorkflowThenDefaults) {
  auto p = Policy();
  Situation s;
  s.Proposal("anything");
  s.event.workflow = "faq-bot";
  engine::Decision d = s.Eval(*p);
  EXPECT_EQ(d.outcome, Outcome::kAllow);
  EXPECT_EQ(d.reasons[0].rule, "workflows.faq-bot.oversight");
  EXPECT_EQ(d.reasons[0].detail, "faq-bot is human-out-of-the-loop");
  s.event.workflow = "unknown-bot";
  d = s.Eval(*p);
  EXPECT_EQ(d.outcome, Outcome::kAllowMonitored);
  EXPECT_EQ(d.reasons[0].rule, "defaults.oversight");
  EXPECT_EQ(d.oversight, Oversight::kHotl);
}

TEST(EvaluateTest, CustomerMessagesAndClosedInteractions) {
  auto p = Policy();
  engine::Decision d = Situation().Message("hello").Eval(*p);
  EXPECT_EQ(d.outcome, Outcome::kAllow);
  ASSERT_EQ(d.reasons.size(), 1u);
  EXPECT_EQ(d.reasons[0].rule, "defaults.customer_messages");
  Situation closed;
  closed.event.type = engine::EventType::kInteractionClosed;
  closed.signals.human_request = true;
  d = closed.Eval(*p);
  EXPECT_EQ(d.outcome, Outcome::kAllow);
  EXPECT_TRUE(d.reasons.empty());
  EXPECT_FALSE(d.route.has_value());
}

TEST(EvaluateTest, StrictestWinsAndEveryFiredRuleIsAReason) {
  auto p = Policy();
  Situation s;
  s.Proposal("faq_hours").Act("refund", 150, "EUR");
  s.signals.sentiment = -0.7;
  s.signals.legal_threat = true;
  engine::Decision d = s.Eval(*p);
  EXPECT_EQ(d.outcome, Outcome::kHandoff);
  EXPECT_EQ(d.oversight, Oversight::kHitl);
  EXPECT_EQ(Fired(d), (std::vector<std::string>{"workflows.retail-bot.actions.refund",
                                                "refunds-over-100", "angry", "legal"}));
  EXPECT_EQ(FindReason(d, "refunds-over-100")->outcome, Outcome::kHold);
  EXPECT_EQ(FindReason(d, "legal")->outcome, Outcome::kHandoff);
  // `legal` names no queue: the workflow's queue, with the rule's priority.
  ASSERT_TRUE(d.route.has_value());
  EXPECT_EQ(d.route->queue, "orders");
  EXPECT_EQ(d.route->priority, 1);
  EXPECT_EQ(d.route->sla_seconds, 200);
  EXPECT_EQ(d.route->hold_notice_seconds, 20);
}

TEST(EvaluateTest, RouteUnionsSkillsAndTakesTheMostUrgent) {
  auto p = Policy();
  Situation s;
  s.Proposal("faq_hours").Act("refund", 150, "EUR");
  s.signals.sentiment = -0.7;
  engine::Decision d = s.Eval(*p);
  EXPECT_EQ(d.outcome, Outcome::kHold);
  ASSERT_TRUE(d.route.has_value());
  EXPECT_EQ(d.route->queue, "billing");  // first hold rule in file order
  EXPECT_EQ(d.route->skills, (std::vector<std::string>{"billing", "deescalation"}));
  EXPECT_EQ(d.route->priority, 2);
  EXPECT_EQ(d.route->sla_seconds, 30);
}

TEST(EvaluateTest, BaselineHoldRoutesToTheWorkflowQueue) {
  auto p = Policy();
  engine::Decision d = Situation().Proposal("other").Act("refund", 5, "EUR").Eval(*p);
  ASSERT_TRUE(d.route.has_value());
  EXPECT_EQ(d.route->queue, "orders");
  EXPECT_EQ(d.route->skills, (std::vector<std::string>{"orders"}));
  EXPECT_EQ(d.route->sla_seconds, 200);
}

TEST(EvaluateTest, MonitoredDecisionsHaveNoRoute) {
  auto p = Policy();
  engine::Decision d = Situation().Proposal("other").Act("cancel_order").Eval(*p);
  EXPECT_FALSE(d.route.has_value());
}

TEST(EvaluateTest, FloorsComeFirstAndAreMarked) {
  auto p = Policy();
  Situation s;
  s.Proposal("faq_hours");
  s.signals.category_bits = testing::TopicBit(*p, "medical");
  s.signals.human_request = true;
  engine::Decision d = s.Eval(*p);
  ASSERT_GE(d.reasons.size(), 3u);
  EXPECT_EQ(d.reasons[1].rule, "medical-always-hitl");
  EXPECT_TRUE(d.reasons[1].floor);
  EXPECT_EQ(d.reasons[1].trigger, "sensitive_topic");
  EXPECT_EQ(d.reasons[1].outcome, Outcome::kHold);
  EXPECT_EQ(d.reasons[2].rule, "person");
  EXPECT_FALSE(d.reasons[2].floor);
  EXPECT_EQ(d.outcome, Outcome::kHandoff);
  EXPECT_EQ(d.route->queue, "supervisors");
}

class FixedAutonomy : public AutonomyLevels {
 public:
  explicit FixedAutonomy(Oversight level) : level_(level) {}
  std::optional<Oversight> LevelFor(const engine::Event&) const override { return level_; }

 private:
  Oversight level_;
};

TEST(EvaluateTest, EarnedAutonomyReplacesTheBaselineButNotFloors) {
  auto p = Policy();
  FixedAutonomy relaxed(Oversight::kHootl);
  Situation s;
  s.Proposal("refund_request").Act("refund", 50, "EUR");
  s.autonomy = &relaxed;
  engine::Decision d = s.Eval(*p);
  EXPECT_EQ(d.outcome, Outcome::kAllow);
  EXPECT_EQ(d.reasons[0].rule, "earned_autonomy");
  // Rules still tighten on top of earned autonomy...
  s.event.action->amount = 500;
  EXPECT_EQ(s.Eval(*p).outcome, Outcome::kHold);
  // ...and floors are never relaxed.
  s.event.action->amount = 50;
  s.signals.category_bits = testing::TopicBit(*p, "medical");
  d = s.Eval(*p);
  EXPECT_EQ(d.outcome, Outcome::kHold);
  EXPECT_TRUE(FindReason(d, "medical-always-hitl")->floor);
  EXPECT_EQ(d.route->queue, "medical");
  // Autonomy is not asked about customer messages.
  Situation m;
  m.Message("hi");
  FixedAutonomy strict(Oversight::kHitl);
  m.autonomy = &strict;
  EXPECT_EQ(m.Eval(*p).outcome, Outcome::kAllow);
}

TEST(EvaluateTest, WorkflowScopeAndIfBothNarrowARule) {
  auto p = Policy();
  Situation s;
  s.Message("grr");
  s.signals.frustration = true;
  s.event.channel = "chat";
  EXPECT_EQ(FindReason(s.Eval(*p), "voice-only"), nullptr);
  s.event.channel = "voice";
  EXPECT_NE(FindReason(s.Eval(*p), "voice-only"), nullptr);
  s.event.workflow = "faq-bot";
  EXPECT_EQ(FindReason(s.Eval(*p), "voice-only"), nullptr);
}

TEST(EvaluateTest, AuditSampleIsDeterministicPerInteractionAndOnlyForAllow) {
  auto p = Policy();
  int sampled = 0;
  for (int i = 0; i < 2000; ++i) {
    Situation s;
    s.Proposal("faq_hours");
    s.event.interaction_id = "c-" + std::to_string(i);
    const engine::Decision a = s.Eval(*p);
    const engine::Decision b = s.Eval(*p);
    EXPECT_EQ(a.audit_sample, b.audit_sample);
    EXPECT_EQ(a.audit_sample, engine::StableHash(s.event.interaction_id) % 1000000 < 500000);
    sampled += a.audit_sample ? 1 : 0;
    s.Act("refund", 5, "EUR");  // a hold is never sampled
    EXPECT_FALSE(s.Eval(*p).audit_sample);
  }
  EXPECT_GT(sampled, 800);
  EXPECT_LT(sampled, 1200);
}

TEST(EvaluateTest, VersionIgnoresFormattingButNotContent) {
  auto a =
      MustCompile("policy: v\n# a comment\nqueues: {q: {sla_seconds: 60}}\ndefaults: {queue: q}\n");
  auto b = MustCompile(
      "defaults:\n  queue: q\nqueues:\n  q:\n    sla_seconds: 60   # same\npolicy: \"v\"\n");
  auto c = MustCompile("policy: v\nqueues: {q: {sla_seconds: 61}}\ndefaults: {queue: q}\n");
  ASSERT_TRUE(a && b && c);
  EXPECT_TRUE(a->version().starts_with("sha256:"));
  EXPECT_EQ(a->version().size(), 7u + 64u);
  EXPECT_EQ(a->version(), b->version());
  EXPECT_NE(a->version(), c->version());
  // Numbers are normalized: 0.50 and 0.5 are the same policy.
  auto e = MustCompile("policy: v\naudit: {sample_rate: 0.50}\n");
  auto f = MustCompile("policy: v\naudit: {sample_rate: 0.5}\n");
  ASSERT_TRUE(e && f);
  EXPECT_EQ(e->version(), f->version());
}

TEST(EvaluateTest, ProgramExposesMatcherCategories) {
  auto p = Policy();
  EXPECT_GE(p->human_request_category(), 0);
  EXPECT_GE(p->legal_threat_category(), 0);
  EXPECT_GE(p->frustration_category(), 0);
  EXPECT_NE(p->topic_bits() & testing::TopicBit(*p, "medical"), 0u);
  EXPECT_EQ(p->topic_bits() & testing::TopicBit(*p, "human_request"), 0u);
  EXPECT_EQ(p->queues().size(), 5u);
  EXPECT_DOUBLE_EQ(p->audit_sample_rate(), 0.5);
}

}  // namespace
}  // namespace hitlgate::policy
