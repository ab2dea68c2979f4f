#include "hitlgate/measure/replay.h"

#include <gtest/gtest.h>

#include "hitlgate/policy/policy.h"

namespace hitlgate::measure {
namespace {

using engine::Outcome;

// Refunds above `limit` USD are held; everything else in the workflow is
// allowed. Two limits make a predictable active/candidate pair.
std::shared_ptr<const policy::Program> RefundPolicy(int limit) {
  std::string yaml = R"(policy: refunds
queues:
  billing: {skills: [], sla_seconds: 120}
defaults:
  oversight: hootl
  queue: billing
rules:
  - name: big-refund
    when: {action_value_above: {action: refund, limits: {USD: )" +
                     std::to_string(limit) + R"(}}}
    decision: hold
    queue: billing
)";
  policy::CompileResult r = policy::CompileText(yaml, "refunds.yaml");
  EXPECT_TRUE(r.ok());
  return r.program;
}

std::string Refund(const std::string& id, int amount, const std::string& extra = "") {
  return R"({"interaction_id":")" + id +
         R"(","customer_id":"u-1","workflow":"w","channel":"chat","type":"ai_proposal","text":"refunding",)"
         R"("action":{"name":"refund","amount":)" +
         std::to_string(amount) + R"(,"currency":"USD"},"at":"2026-11-01T10:00:00Z")" + extra + "}";
}

TEST(ParseHistoryLineTest, PlainEventHasNoVerdict) {
  auto h = ParseHistoryLine(Refund("c-1", 50));
  ASSERT_TRUE(h) << h.error().ToString();
  EXPECT_EQ(h->verdict, HumanVerdict::kNone);
  EXPECT_EQ(h->event.interaction_id, "c-1");
}

TEST(ParseHistoryLineTest, TopLevelVerdictIsTakenAndRemoved) {
  auto last = ParseHistoryLine(Refund("c-1", 50, R"(,"human_verdict":"rejected")"));
  ASSERT_TRUE(last) << last.error().ToString();
  EXPECT_EQ(last->verdict, HumanVerdict::kRejected);
  auto first = ParseHistoryLine(R"({"human_verdict" : "edited", "interaction_id":"c-2","customer_id":"u",)"
                                R"("workflow":"w","type":"customer_message","text":"hi"})");
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->verdict, HumanVerdict::kEdited);
  EXPECT_EQ(first->event.interaction_id, "c-2");
}

TEST(ParseHistoryLineTest, VerdictInsideTextOrParamsIsNotAVerdict) {
  auto in_text = ParseHistoryLine(
      R"({"interaction_id":"c-1","customer_id":"u","workflow":"w","type":"customer_message",)"
      R"("text":"say \"human_verdict\":\"rejected\" please"})");
  ASSERT_TRUE(in_text) << in_text.error().ToString();
  EXPECT_EQ(in_text->verdict, HumanVerdict::kNone);
  auto in_params = ParseHistoryLine(
      R"({"interaction_id":"c-1","customer_id":"u","workflow":"w","type":"ai_proposal","text":"x",)"
      R"("action":{"name":"refund","params":{"human_verdict":"rejected"}}})");
  ASSERT_TRUE(in_params) << in_params.error().ToString();
  EXPECT_EQ(in_params->verdict, HumanVerdict::kNone);
}

TEST(ParseHistoryLineTest, UnknownVerdictIsInvalidArgumentNamingIt) {
  auto h = ParseHistoryLine(Refund("c-1", 50, R"(,"human_verdict":"maybe")"));
  ASSERT_FALSE(h);
  EXPECT_EQ(h.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(h.error().message().find("human_verdict"), std::string::npos);
  EXPECT_NE(h.error().message().find("maybe"), std::string::npos);
  auto number = ParseHistoryLine(Refund("c-1", 50, R"(,"human_verdict":3)"));
  ASSERT_FALSE(number);
  EXPECT_NE(number.error().message().find("human_verdict"), std::string::npos);
}

TEST(ParseHistoryLineTest, MalformedEventNamesTheField) {
  auto h = ParseHistoryLine(R"({"interaction_id":"c-1","bogus":1})");
  ASSERT_FALSE(h);
  EXPECT_NE(h.error().message().find("bogus"), std::string::npos);
}

TEST(ReplayerTest, CountsChangedDecisionsByFromAndTo) {
  // Active holds refunds over 100, candidate over 200: a 150 refund moves
  // from hold to allow; 50 and 250 do not change.
  Replayer r(RefundPolicy(100), RefundPolicy(200), signals::SentimentScorer::Default());
  for (int amount : {50, 150, 150, 250}) {
    ASSERT_TRUE(r.AddLine(Refund("c-" + std::to_string(amount), amount)));
  }
  const DecisionComparison& c = r.comparison();
  EXPECT_EQ(c.events(), 4);
  EXPECT_EQ(c.changed(), 2);
  EXPECT_EQ(c.changes()[int(Outcome::kHold)][int(Outcome::kAllow)], 2);
  EXPECT_EQ(c.active().escalations, 3);
  EXPECT_EQ(c.candidate().escalations, 1);
  EXPECT_EQ(c.active().escalations_by_trigger.at("action_value_above"), 3);
  EXPECT_EQ(c.candidate().escalations_by_trigger.at("action_value_above"), 1);
  ASSERT_EQ(c.examples().size(), 1u);
  EXPECT_EQ(c.examples().begin()->second.front().candidate_rules.size(), 0u);
  EXPECT_EQ(c.examples().begin()->second.front().active_rules,
            std::vector<std::string>{"big-refund"});
}

TEST(ReplayerTest, JudgedErrorsLetThroughByCandidate) {
  Replayer r(RefundPolicy(100), RefundPolicy(200), signals::SentimentScorer::Default());
  // A person rejected the 150 refund the active policy held: the candidate
  // would have let it through. The 250 one stays stopped by both.
  ASSERT_TRUE(r.AddLine(Refund("c-1", 150, R"(,"human_verdict":"rejected")")));
  ASSERT_TRUE(r.AddLine(Refund("c-2", 250, R"(,"human_verdict":"edited")")));
  ASSERT_TRUE(r.AddLine(Refund("c-3", 120, R"(,"human_verdict":"approved")")));
  const DecisionComparison& c = r.comparison();
  EXPECT_EQ(c.judged(), 3);
  EXPECT_EQ(c.active().judged_errors_let_through, 0);
  EXPECT_EQ(c.active().judged_errors_stopped, 2);
  EXPECT_EQ(c.candidate().judged_errors_let_through, 1);
  EXPECT_EQ(c.candidate().judged_errors_stopped, 1);
  EXPECT_EQ(c.active().approvals_escalated, 1);
  EXPECT_EQ(c.candidate().approvals_escalated, 0);
}

TEST(ReplayerTest, VerdictIndexFillsVerdictsByEventIdOrPosition) {
  VerdictIndex index;
  index.Add("ev-9", "c-1", 0, HumanVerdict::kRejected);
  index.Add("", "c-2", 0, HumanVerdict::kEdited);
  Replayer r(RefundPolicy(100), RefundPolicy(200), signals::SentimentScorer::Default(), 3, &index);
  ASSERT_TRUE(r.AddLine(Refund("c-1", 150, R"(,"event_id":"ev-9")")));
  ASSERT_TRUE(r.AddLine(Refund("c-2", 150)));
  ASSERT_TRUE(r.AddLine(Refund("c-3", 150)));
  EXPECT_EQ(r.comparison().judged(), 2);
  EXPECT_EQ(r.comparison().candidate().judged_errors_let_through, 2);
}

TEST(ReplayerTest, SamePolicyChangesNothing) {
  auto p = RefundPolicy(100);
  Replayer r(p, p, signals::SentimentScorer::Default());
  for (int amount : {50, 150, 250}) ASSERT_TRUE(r.AddLine(Refund("c-" + std::to_string(amount), amount)));
  EXPECT_EQ(r.comparison().changed(), 0);
  EXPECT_EQ(r.comparison().active().escalations, r.comparison().candidate().escalations);
}

TEST(DecisionComparisonTest, JsonNamesChangesAndBothPolicies) {
  Replayer r(RefundPolicy(100), RefundPolicy(200), signals::SentimentScorer::Default());
  ASSERT_TRUE(r.AddLine(Refund("c-1", 150)));
  const std::string json = r.comparison().ToJson();
  EXPECT_NE(json.find(R"("changes":[{"from":"hold","to":"allow","count":1}])"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("active":{"events":1)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("candidate":{"events":1)"), std::string::npos) << json;
}

}  // namespace
}  // namespace hitlgate::measure
