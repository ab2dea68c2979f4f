// Case files: events become JSON with the case defaults merged in, the
// expectations are typed, and bad structure is reported with file:line:column.
#include <gtest/gtest.h>

#include "hitlgate/policy/test_cases.h"

namespace hitlgate::policy {
namespace {

TEST(CaseFileTest, ParsesStepsWithDefaultsMerged) {
  CaseFile f = ParseCaseText(R"(cases:
  - name: big refund is held
    defaults: {interaction_id: 1042, customer_id: u-1, workflow: retail-bot, channel: chat}
    steps:
      - event: {type: customer_message, text: "I want my money back"}
      - event:
          type: ai_proposal
          channel: voice
          intent: refund_request
          confidence: 0.9
          action: {name: refund, amount: 120, currency: EUR}
        expect:
          decision: hold
          oversight: hitl
          rules: [refunds-over-100]
          not_rules: legal
          queue: billing
          human_request: false
          topics: [financial]
)",
                             "c.yaml");
  ASSERT_TRUE(f.ok()) << (f.issues.empty() ? "" : f.issues[0].ToString());
  ASSERT_EQ(f.cases.size(), 1u);
  const TestCase& tc = f.cases[0];
  EXPECT_EQ(tc.name, "big refund is held");
  EXPECT_EQ(tc.line, 2);
  ASSERT_EQ(tc.steps.size(), 2u);
  EXPECT_EQ(tc.steps[0].line, 5);
  EXPECT_EQ(
      tc.steps[0].event_json,
      R"({"interaction_id":"1042","customer_id":"u-1","workflow":"retail-bot","channel":"chat",)"
      R"("type":"customer_message","text":"I want my money back"})");
  EXPECT_FALSE(tc.steps[0].expect.has_value());
  EXPECT_EQ(tc.steps[1].line, 6);
  EXPECT_EQ(tc.steps[1].event_json,
            R"({"interaction_id":"1042","customer_id":"u-1","workflow":"retail-bot",)"
            R"("type":"ai_proposal","channel":"voice","intent":"refund_request","confidence":0.9,)"
            R"("action":{"name":"refund","amount":120,"currency":"EUR"}})");
  ASSERT_TRUE(tc.steps[1].expect.has_value());
  const Expectation& x = *tc.steps[1].expect;
  EXPECT_EQ(x.decision, engine::Outcome::kHold);
  EXPECT_EQ(x.oversight, engine::Oversight::kHitl);
  EXPECT_EQ(x.rules, std::vector<std::string>{"refunds-over-100"});
  EXPECT_EQ(x.not_rules, std::vector<std::string>{"legal"});
  EXPECT_EQ(x.queue, "billing");
  EXPECT_EQ(x.human_request, false);
  EXPECT_FALSE(x.legal_threat.has_value());
  EXPECT_EQ(x.topics, std::vector<std::string>{"financial"});
}

TEST(CaseFileTest, ReportsBadStructureWithPositions) {
  CaseFile f = ParseCaseText(R"(cases:
  - name: x
    steps:
      - event: {type: customer_message}
        expect: {decision: holdd, colour: red}
      - expect: {decision: hold}
)",
                             "c.yaml");
  EXPECT_FALSE(f.ok());
  ASSERT_EQ(f.issues.size(), 3u);
  EXPECT_EQ(f.issues[0].ToString(),
            "c.yaml:5:28: error: decision: expected one of allow, allow_monitored, hold, "
            "handoff, block, got 'holdd' (did you mean 'hold'?)");
  EXPECT_EQ(f.issues[1].ToString(), "c.yaml:5:35: error: unknown key 'colour' in expect");
  EXPECT_EQ(f.issues[2].ToString(), "c.yaml:6:9: error: step: missing required key 'event'");
}

TEST(CaseFileTest, SyntaxErrorsAndMissingFiles) {
  CaseFile bad = ParseCaseText("cases: [\n", "c.yaml");
  ASSERT_EQ(bad.issues.size(), 1u);
  EXPECT_EQ(bad.issues[0].code, "yaml_syntax");
  CaseFile missing = ParseCaseFile("/nonexistent/cases.yaml");
  EXPECT_FALSE(missing.ok());
  CaseFile empty = ParseCaseText("description: nothing\n", "c.yaml");
  ASSERT_EQ(empty.issues.size(), 1u);
  EXPECT_EQ(empty.issues[0].ToString(),
            "c.yaml:1:1: error: the cases file: missing required key 'cases'");
}

}  // namespace
}  // namespace hitlgate::policy
