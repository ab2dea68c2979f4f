// `policy check`: every issue code, with its exact file:line:column and
// message; all problems reported in one run, in file order.
#include <gtest/gtest.h>

#include "policy/policy_test_util.h"

namespace hitlgate::policy {
namespace {

using testing::ErrorsOf;
using testing::MustCompile;

// Lines 1-4 of every policy here; rules start on line 5.
const char* kHead =
    "policy: t\n"
    "queues: {general: {}, billing: {skills: [billing]}}\n"
    "defaults: {oversight: hotl, queue: general}\n"
    "rules:\n";

std::string Only(const std::string& yaml) {
  std::vector<std::string> errors = ErrorsOf(yaml);
  EXPECT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  return errors.empty() ? "" : errors.front();
}

const Issue* FirstIssue(const CompileResult& r) {
  return r.issues.empty() ? nullptr : &r.issues[0];
}

TEST(CheckerTest, UnknownKeySuggestsTheClosest) {
  EXPECT_EQ(
      ErrorsOf(std::string(kHead) + "  - name: r\n"
                                    "    when: {frustration: true}\n"
                                    "    decison: hold\n"),
      (std::vector<std::string>{
          "p.yaml:5:5: error: rule 'r': missing required key 'decision'",
          "p.yaml:7:5: error: unknown key 'decison' in rule 'r' (did you mean 'decision'?)"}));
  CompileResult r = CompileText(
      "policy: t\n"
      "defautls: {}\n",
      "p.yaml");
  ASSERT_NE(FirstIssue(r), nullptr);
  EXPECT_EQ(r.issues[0].code, "unknown_key");
  EXPECT_EQ(r.issues[0].ToString(),
            "p.yaml:2:1: error: unknown key 'defautls' in the policy (did you mean 'defaults'?)");
}

TEST(CheckerTest, UnknownTrigger) {
  EXPECT_EQ(Only(std::string(kHead) + "  - name: r\n"
                                      "    when: {confidence_blow: 0.5}\n"
                                      "    decision: hold\n"),
            "p.yaml:6:12: error: unknown trigger 'confidence_blow' (did you mean "
            "'confidence_below'?)");
}

TEST(CheckerTest, WrongType) {
  EXPECT_EQ(Only("policy: t\n"
                 "queues:\n"
                 "  general: {sla_seconds: fast}\n"),
            "p.yaml:3:26: error: sla_seconds: expected an integer, got 'fast'");
  EXPECT_EQ(Only("policy: t\n"
                 "defaults: {oversight: hitll, queue: q}\n"
                 "queues: {q: {}}\n"),
            "p.yaml:2:23: error: oversight: expected one of hitl, hotl, hootl, got 'hitll' (did "
            "you mean 'hitl'?)");
  EXPECT_EQ(Only("[1, 2]\n"), "p.yaml:1:1: error: policy file: expected a map, got a list");
}

TEST(CheckerTest, OutOfRange) {
  EXPECT_EQ(Only(std::string(kHead) + "  - name: r\n"
                                      "    when: {confidence_below: {threshold: 1.5}}\n"
                                      "    decision: hold\n"),
            "p.yaml:6:42: error: threshold 1.5 out of range (0, 1]");
  EXPECT_EQ(
      Only(std::string(kHead) + "  - name: r\n"
                                "    when: {message_rate_above: {count: 40, per_seconds: 60}}\n"
                                "    decision: hold\n"),
      "p.yaml:6:40: error: count 40 out of range [1, 31]");
  EXPECT_EQ(Only("policy: t\naudit: {sample_rate: 2}\n"),
            "p.yaml:2:22: error: sample_rate 2 out of range [0, 1]");
}

TEST(CheckerTest, MissingKey) {
  EXPECT_EQ(Only("description: no name\n"),
            "p.yaml:1:1: error: the policy: missing required key 'policy'");
  EXPECT_EQ(Only(std::string(kHead) + "  - name: r\n"
                                      "    decision: hold\n"),
            "p.yaml:5:5: error: rule 'r': needs `when` (a trigger), `if`, or both");
  // A hold with no queue anywhere.
  EXPECT_EQ(Only("policy: t\n"
                 "rules:\n"
                 "  - name: r\n"
                 "    when: {frustration: true}\n"
                 "    decision: handoff\n"),
            "p.yaml:3:11: error: rule 'r' names no queue, and defaults.queue is not set");
}

TEST(CheckerTest, UnknownQueue) {
  EXPECT_EQ(Only(std::string(kHead) + "  - name: r\n"
                                      "    when: {frustration: true}\n"
                                      "    decision: hold\n"
                                      "    queue: biling\n"),
            "p.yaml:8:12: error: unknown queue 'biling' (did you mean 'billing'?)");
}

TEST(CheckerTest, UnknownTopicAndGroup) {
  EXPECT_EQ(Only(std::string(kHead) + "  - name: r\n"
                                      "    when: {sensitive_topic: [medical, medicl]}\n"
                                      "    decision: hold\n"),
            "p.yaml:6:39: error: unknown topic 'medicl' (did you mean 'medical'?)");
  EXPECT_EQ(Only(std::string(kHead) + "  - name: r\n"
                                      "    when: {action: [\"@mony\"]}\n"
                                      "    decision: hold\n"),
            "p.yaml:6:21: error: unknown action group '@mony'");
}

TEST(CheckerTest, DuplicateNamesAndKeys) {
  EXPECT_EQ(
      Only(std::string(kHead) + "  - {name: r, when: {frustration: true}, decision: hold}\n"
                                "  - {name: r, when: {legal_threat: true}, decision: hold}\n"),
      "p.yaml:6:12: error: duplicate rule name 'r' (rule and floor names are unique)");
  EXPECT_EQ(Only("policy: t\n"
                 "queues: {a: {}}\n"
                 "queues: {b: {}}\n"),
            "p.yaml:3:1: error: duplicate key 'queues' in the policy");
  EXPECT_EQ(Only("policy: t\n"
                 "topics: {legal: {phrases: [court]}}\n"),
            "p.yaml:2:10: error: topic 'legal' is a built-in category; extend it under phrases: "
            "instead");
}

TEST(CheckerTest, BadPatternPointsAtTheEntry) {
  CompileResult r = CompileText(
      "policy: t\n"
      "topics:\n"
      "  crypto: {phrases: [bitcoin], patterns: [\"(unclosed\"]}\n",
      "p.yaml");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].code, "bad_pattern");
  EXPECT_EQ(r.issues[0].line, 3);
  EXPECT_EQ(r.issues[0].column, 43);
  EXPECT_TRUE(r.issues[0].message.starts_with("bad pattern in topic 'crypto': "))
      << r.issues[0].message;
}

TEST(CheckerTest, UnreachableRuleScopedAwayFromItsTrigger) {
  EXPECT_EQ(Only(std::string(kHead) + "  - name: r\n"
                                      "    events: [customer_message]\n"
                                      "    when: {action: refund}\n"
                                      "    decision: hold\n"),
            "p.yaml:6:13: error: rule 'r' can never fire: trigger action applies only to "
            "ai_proposal events, but the rule is scoped to customer_message");
  EXPECT_EQ(Only(std::string(kHead) + "  - name: r\n"
                                      "    when: {frustration: false}\n"
                                      "    decision: hold\n"),
            "p.yaml:6:25: error: frustration: false never fires (remove the rule instead)");
}

TEST(CheckerTest, TopicsMayBeRaisedByIntentsOnly) {
  auto p = MustCompile(
      "policy: t\n"
      "queues: {general: {}}\n"
      "defaults: {oversight: hotl, queue: general}\n"
      "topics:\n"
      "  fraud: {intents: [card_stolen, \"compromised_*\"]}\n"
      "rules:\n"
      "  - name: r\n"
      "    when: {sensitive_topic: fraud}\n"
      "    decision: handoff\n");
  ASSERT_NE(p, nullptr);
  EXPECT_NE(p->TopicBitsForIntent("card_stolen"), 0u);
  EXPECT_EQ(p->TopicBitsForIntent("compromised_card"), p->TopicBitsForIntent("card_stolen"));
  EXPECT_EQ(p->TopicBitsForIntent("card_arrival"), 0u);
  EXPECT_EQ(p->TopicBitsForIntent(""), 0u);
  // Not for the built-in categories' phrase extensions, and not empty.
  EXPECT_EQ(Only("policy: t\n"
                 "queues: {general: {}}\n"
                 "defaults: {oversight: hotl, queue: general}\n"
                 "phrases:\n"
                 "  human_request: {intents: [talk_to_human]}\n"),
            "p.yaml:5:19: error: unknown key 'intents' in phrases 'human_request'");
  EXPECT_EQ(Only("policy: t\n"
                 "queues: {general: {}}\n"
                 "defaults: {oversight: hotl, queue: general}\n"
                 "topics:\n"
                 "  fraud: {intents: []}\n"),
            "p.yaml:5:3: error: topics 'fraud': needs at least one entry in phrases, patterns or intents");
}

TEST(CheckerTest, OutOfScopeAppliesOnlyToCustomerMessages) {
  EXPECT_EQ(Only(std::string(kHead) + "  - name: r\n"
                                      "    events: [ai_proposal]\n"
                                      "    when: {out_of_scope: true}\n"
                                      "    decision: handoff\n"),
            "p.yaml:6:13: error: rule 'r' can never fire: trigger out_of_scope applies only to "
            "customer_message events, but the rule is scoped to ai_proposal");
  EXPECT_EQ(Only(std::string(kHead) + "  - name: r\n"
                                      "    when: {out_of_scope: false}\n"
                                      "    decision: handoff\n"),
            "p.yaml:6:26: error: out_of_scope: false never fires (remove the rule instead)");
  MustCompile(std::string(kHead) + "  - name: r\n"
                                   "    when: {out_of_scope: true}\n"
                                   "    if: \"channel == 'chat' and out_of_scope\"\n"
                                   "    decision: handoff\n");
}

TEST(CheckerTest, RuleDecisionAllow) {
  EXPECT_EQ(Only(std::string(kHead) + "  - name: r\n"
                                      "    when: {frustration: true}\n"
                                      "    decision: allow\n"),
            "p.yaml:7:15: error: rule 'r': decision allow is not allowed: rules only tighten "
            "(use allow_monitored, hold, handoff or block)");
}

TEST(CheckerTest, YamlSyntax) {
  CompileResult r = CompileText("policy: t\nrules: [\n", "p.yaml");
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].code, "yaml_syntax");
  EXPECT_EQ(r.issues[0].line, 3);
  EXPECT_TRUE(r.issues[0].message.starts_with("YAML syntax error: ")) << r.issues[0].message;
}

TEST(CheckerTest, MultipleTriggersInOneWhen) {
  EXPECT_EQ(Only(std::string(kHead) + "  - name: r\n"
                                      "    when: {frustration: true, legal_threat: true}\n"
                                      "    decision: hold\n"),
            "p.yaml:6:11: error: rule 'r': `when` takes exactly one trigger, got 2 (combine "
            "triggers with `if`)");
}

TEST(CheckerTest, UndeclaredWorkflowInScopeIsOnlyAWarning) {
  CompileResult r = CompileText(
      "policy: t\n"
      "queues: {general: {}}\n"
      "defaults: {queue: general}\n"
      "workflows: {retail-bot: {oversight: hotl}}\n"
      "rules:\n"
      "  - name: r\n"
      "    workflows: [retail-bto]\n"
      "    when: {frustration: true}\n"
      "    decision: hold\n",
      "p.yaml");
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].severity, Issue::Severity::kWarning);
  EXPECT_EQ(r.issues[0].ToString(),
            "p.yaml:7:17: warning: rule 'r' names workflow 'retail-bto', which matches no "
            "workflow declared under workflows: (did you mean 'retail-bot'?)");
}

TEST(CheckerTest, ReportsEveryProblemInFileOrder) {
  std::vector<std::string> errors = ErrorsOf(
      "policy: t\n"
      "queues: {general: {priority: 9}}\n"
      "defaults: {queue: general}\n"
      "rules:\n"
      "  - name: a\n"
      "    when: {sentiment_below: {level: -3}}\n"
      "    decision: hold\n"
      "  - name: b\n"
      "    when: {frustraton: true}\n"
      "    if: \"zz\"\n"
      "    decision: sometimes\n");
  ASSERT_EQ(errors.size(), 5u) << ::testing::PrintToString(errors);
  EXPECT_EQ(errors[0], "p.yaml:2:30: error: priority 9 out of range [1, 5]");
  EXPECT_EQ(errors[1], "p.yaml:6:37: error: level -3 out of range [-1, 1]");
  EXPECT_EQ(errors[2],
            "p.yaml:9:12: error: unknown trigger 'frustraton' (did you mean 'frustration'?)");
  EXPECT_EQ(errors[3], "p.yaml:10:10: error: unknown identifier 'zz'");
  EXPECT_EQ(errors[4],
            "p.yaml:11:15: error: decision: expected one of allow_monitored, hold, handoff, "
            "block, got 'sometimes'");
}

TEST(CheckerTest, FileThatCannotBeReadIsAnIssue) {
  CompileResult r = CompileFile("/nonexistent/policy.yaml");
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].ToString(), "/nonexistent/policy.yaml: error: cannot read policy file");
}

TEST(CheckerTest, MinimalPolicyCompiles) {
  auto p = MustCompile("policy: minimal\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name(), "minimal");
  EXPECT_EQ(p->hold_notice_seconds(), 15);
  EXPECT_EQ(p->repeat_contact_window(), std::chrono::days(7));
}

}  // namespace
}  // namespace hitlgate::policy
