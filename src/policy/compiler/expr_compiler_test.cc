// The `if` expression language: precedence, short-circuit, missing values,
// functions, and every compile-time error with its file:line:column.
#include <gtest/gtest.h>

#include "policy/compiler/expr_parser.h"
#include "policy/policy_test_util.h"

namespace hitlgate::policy {
namespace {

using testing::ErrorsOf;
using testing::FindReason;
using testing::MustCompile;
using testing::Situation;

// The expression sits on line 6; a plain scalar starts at column 9.
std::string PolicyWithIf(const std::string& if_scalar, const std::string& extra = "") {
  return "policy: t\n"
         "queues: {general: {}}\n"
         "defaults: {oversight: hootl, queue: general}\n"
         "rules:\n"
         "  - name: r\n"
         "    if: " +
         if_scalar + "\n" + extra + "    decision: hold\n";
}

bool Holds(const std::string& expr, const Situation& s) {
  auto p = MustCompile(PolicyWithIf("\"" + expr + "\""));
  if (!p) return false;
  return FindReason(s.Eval(*p), "r") != nullptr;
}

std::string FirstError(const std::string& if_scalar, const std::string& extra = "") {
  std::vector<std::string> errors = ErrorsOf(PolicyWithIf(if_scalar, extra));
  return errors.empty() ? "(none)" : errors.front();
}

Situation Proposal() {
  Situation s;
  s.Proposal("refund_request", 0.7).Act("refund", 120, "EUR");
  s.signals.sentiment = -0.4;
  return s;
}

TEST(ExprTest, ArithmeticAndComparisonPrecedence) {
  const Situation s = Proposal();
  EXPECT_TRUE(Holds("1 + 2 - 3 == 0", s));
  EXPECT_TRUE(Holds("-1 - -2 == 1", s));
  EXPECT_TRUE(Holds("amount - 20 > 99", s));
  EXPECT_FALSE(Holds("amount - 20 > 100", s));
  EXPECT_TRUE(Holds("sentiment + 0.5 > 0", s));
}

TEST(ExprTest, AndBindsTighterThanOrAndNotTighterThanAnd) {
  const Situation s = Proposal();
  // Parsed as true or (false and false).
  EXPECT_TRUE(Holds("is_proposal or is_customer_message and frustration", s));
  // Parsed as (not is_proposal) and ... -> false; not (false and x).
  EXPECT_FALSE(Holds("not is_proposal and has_action", s));
  EXPECT_TRUE(Holds("not (is_customer_message and has_action)", s));
  EXPECT_TRUE(Holds("!frustration && (channel == 'chat' || channel == 'voice')", s));
}

TEST(ExprTest, ShortCircuitSkipsRightSide) {
  Situation s = Proposal();
  s.event.confidence.reset();
  // Right sides that would be false (missing) never decide.
  EXPECT_TRUE(Holds("is_proposal or confidence > 0.1", s));
  EXPECT_FALSE(Holds("has(confidence) and confidence < 0.9", s));
  s.event.confidence = 0.5;
  EXPECT_TRUE(Holds("has(confidence) and confidence < 0.9", s));
}

TEST(ExprTest, MissingValuesCompareFalse) {
  Situation s = Proposal();
  s.event.confidence.reset();
  s.event.action.reset();
  EXPECT_FALSE(Holds("confidence < 0.5", s));
  EXPECT_FALSE(Holds("confidence >= 0.5", s));
  EXPECT_FALSE(Holds("confidence != 0.5", s));
  EXPECT_FALSE(Holds("amount + 1 > 0", s));
  EXPECT_FALSE(Holds("-amount < 0", s));
  EXPECT_TRUE(Holds("not (confidence < 0.5)", s));
  EXPECT_FALSE(Holds("has(amount)", s));
  EXPECT_FALSE(Holds("has(calibrated_confidence)", s));
  EXPECT_FALSE(Holds("has(action)", s));
  EXPECT_TRUE(Holds("has(intent)", s));
}

TEST(ExprTest, StringsListsAndFunctions) {
  Situation s = Proposal();
  s.event.channel = "voice";
  EXPECT_TRUE(Holds("channel in ['voice', 'phone']", s));
  EXPECT_FALSE(Holds("channel in ['chat']", s));
  EXPECT_TRUE(Holds("glob(intent, 'refund_*')", s));
  EXPECT_TRUE(Holds("action == 'refund' and currency == 'EUR'", s));
  EXPECT_TRUE(Holds("type == 'ai_proposal' and workflow == 'retail-bot'", s));
  s.Messages(3);
  EXPECT_TRUE(Holds("messages_within(60) == 3", s));
  EXPECT_TRUE(Holds("messages_within(1) == 1", s));
  s.Contacts(3, "refund_request");
  EXPECT_TRUE(Holds("contacts_within(7) >= 3", s));
  EXPECT_TRUE(Holds("contacts_same_intent_within(7) == 3", s));
  EXPECT_TRUE(Holds("contacts_within(1) == 1", s));
}

TEST(ExprTest, TopicsAsFunctionAndList) {
  auto p = MustCompile(PolicyWithIf("\"topic('medical') or 'legal' in topics\""));
  ASSERT_TRUE(p);
  Situation s = Proposal();
  EXPECT_EQ(FindReason(s.Eval(*p), "r"), nullptr);
  s.signals.category_bits = testing::TopicBit(*p, "legal");
  EXPECT_NE(FindReason(s.Eval(*p), "r"), nullptr);
}

TEST(ExprTest, ConditionOnlyRuleReasonShowsTheCondition) {
  auto p = MustCompile(PolicyWithIf("\"amount > 100\""));
  ASSERT_TRUE(p);
  const engine::Decision d = Proposal().Eval(*p);
  const engine::Reason* r = FindReason(d, "r");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->trigger, "condition");
  EXPECT_EQ(r->detail, "if amount > 100");
}

TEST(ExprTest, TypeErrorsPointAtTheOperator) {
  EXPECT_EQ(FirstError("sentiment and true"),
            "p.yaml:6:9: error: 'and' expects bool operands, got number");
  EXPECT_EQ(FirstError("intent < 3"),
            "p.yaml:6:16: error: '<' compares numbers, got string and number");
  EXPECT_EQ(FirstError("intent == 3"),
            "p.yaml:6:16: error: cannot compare string with number using '=='");
  EXPECT_EQ(FirstError("not sentiment"), "p.yaml:6:9: error: 'not' expects a bool, got number");
  EXPECT_EQ(FirstError("-intent == 1"), "p.yaml:6:9: error: '-' expects a number, got string");
  EXPECT_EQ(FirstError("sentiment + 1"),
            "p.yaml:6:9: error: an `if` condition must be bool, got number");
  EXPECT_EQ(FirstError("\"intent in 'x'\""),
            "p.yaml:6:20: error: 'in' expects a list on the right ([...] or topics), got string");
  EXPECT_EQ(FirstError("\"sentiment in ['a']\""),
            "p.yaml:6:10: error: 'in' expects a string on the left, got number");
  EXPECT_EQ(FirstError("\"intent in ['a', 2]\""),
            "p.yaml:6:26: error: lists hold quoted strings only, e.g. ['chat', 'voice']");
  EXPECT_EQ(FirstError("\"intent in topics\""),
            "p.yaml:6:10: error: the left side of 'in topics' must be a topic name in quotes, "
            "e.g. 'medical' in topics");
}

TEST(ExprTest, UnknownNamesSuggestTheClosest) {
  EXPECT_EQ(FirstError("sentimnt < 0"),
            "p.yaml:6:9: error: unknown identifier 'sentimnt' (did you mean 'sentiment'?)");
  EXPECT_EQ(FirstError("\"topik('medical')\""),
            "p.yaml:6:10: error: unknown function 'topik' (did you mean 'topic'?)");
  EXPECT_EQ(FirstError("\"topic('medicl')\""),
            "p.yaml:6:16: error: unknown topic 'medicl' (did you mean 'medical'?)");
  EXPECT_EQ(FirstError("topic"), "p.yaml:6:9: error: 'topic' is a function: call it as topic(...)");
  EXPECT_EQ(FirstError("zzzz"), "p.yaml:6:9: error: unknown identifier 'zzzz'");
}

TEST(ExprTest, FunctionArgumentErrors) {
  EXPECT_EQ(FirstError("\"glob(intent)\""), "p.yaml:6:10: error: glob() takes 2 arguments, got 1");
  EXPECT_EQ(FirstError("\"glob(intent, intent)\""),
            "p.yaml:6:23: error: glob() takes a quoted pattern second, e.g. 'faq_*'");
  EXPECT_EQ(FirstError("messages_within(sentiment) > 1"),
            "p.yaml:6:25: error: messages_within() takes a number literal (seconds)");
  EXPECT_EQ(FirstError("contacts_within(400) > 1"),
            "p.yaml:6:25: error: contacts_within(): 400 out of range [1, 365] days");
  EXPECT_EQ(FirstError("has(1)"),
            "p.yaml:6:13: error: has() takes a variable name, e.g. has(confidence)");
}

TEST(ExprTest, SyntaxErrors) {
  EXPECT_EQ(FirstError("sentiment <"),
            "p.yaml:6:20: error: syntax error: unexpected end of expression");
  EXPECT_EQ(FirstError("(frustration"),
            "p.yaml:6:21: error: syntax error: expected ')' to close '(', found end of expression");
  EXPECT_EQ(FirstError("\"intent = 'x'\""),
            "p.yaml:6:17: error: syntax error: use '==' to compare");
  EXPECT_EQ(FirstError("frustration $"),
            "p.yaml:6:21: error: syntax error: unexpected character '$'");
  EXPECT_EQ(FirstError("\"intent == 'x\""),
            "p.yaml:6:20: error: syntax error: unterminated string");
  EXPECT_EQ(FirstError("frustration human_request"),
            "p.yaml:6:21: error: syntax error: unexpected 'human_request' after the expression");
}

TEST(ExprTest, ColumnsInsideSingleQuotedScalarsCountEscapes) {
  // 'intent == ''x'' and zz': the value is intent == 'x' and zz; zz sits at
  // column 9 + 1 (quote) + 20 (the source characters before it).
  EXPECT_EQ(FirstError("'intent == ''x'' and zz'"), "p.yaml:6:30: error: unknown identifier 'zz'");
}

TEST(ExprTest, BlockScalarsPointAtTheirStart) {
  const std::string error = FirstError("|\n      frustration and\n      zz\n");
  EXPECT_TRUE(error.starts_with("p.yaml:6:")) << error;
  EXPECT_TRUE(error.ends_with("unknown identifier 'zz'")) << error;
}

TEST(ExprTest, ReportsEveryTypeErrorNotJustTheFirst) {
  std::vector<std::string> errors = ErrorsOf(PolicyWithIf("zz and yy"));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[1], "p.yaml:6:16: error: unknown identifier 'yy'");
}

TEST(ExprTest, ConstantFalseConditionIsUnreachable) {
  EXPECT_EQ(FirstError("false and frustration"),
            "p.yaml:6:9: error: rule 'r' can never fire: its `if` is always false");
  EXPECT_EQ(FirstError("confidence > 1"),
            "p.yaml:6:9: error: rule 'r' can never fire: its `if` is always false");
  EXPECT_EQ(FirstError("sentiment < -1 or confidence < 0"),
            "p.yaml:6:9: error: rule 'r' can never fire: its `if` is always false");
  EXPECT_EQ(FirstError("is_proposal", "    events: [customer_message]\n"),
            "p.yaml:6:9: error: rule 'r' can never fire: its `if` is always false");
  // Foldable but not always false: fine.
  EXPECT_TRUE(MustCompile(PolicyWithIf("true or frustration")));
  EXPECT_TRUE(MustCompile(PolicyWithIf("\"'a' in ['a'] and frustration\"")));
}

TEST(ExprTest, ParserBoundsNesting) {
  std::string deep(200, '(');
  auto parsed = compiler::ParseExpr(deep + "true" + std::string(200, ')'));
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().message, "expression nested too deeply");
  std::string nots;
  for (int i = 0; i < 100; ++i) nots += "not ";
  EXPECT_FALSE(compiler::ParseExpr(nots + "true").has_value());
}

TEST(ExprTest, DeepButValidExpressionsRunOnTheFixedStack) {
  // a + (b + (c + ...)) needs one stack slot per level: 20 fits.
  std::string expr = "1";
  for (int i = 0; i < 20; ++i) expr = "(1 + " + expr + ")";
  EXPECT_TRUE(Holds(expr + " == 21", Proposal()));
  std::string too_deep = "sentiment";
  for (int i = 0; i < 40; ++i) too_deep = "(sentiment + " + too_deep + ")";
  std::vector<std::string> errors = ErrorsOf(PolicyWithIf("\"" + too_deep + " > 0\""));
  ASSERT_FALSE(errors.empty());
  EXPECT_TRUE(errors[0].ends_with("expression too complex (it needs more than 32 stack slots)"))
      << errors[0];
}

}  // namespace
}  // namespace hitlgate::policy
