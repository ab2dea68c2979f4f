// Every trigger fires just past its boundary and not at or before it.
#include <gtest/gtest.h>

#include "policy/policy_test_util.h"

namespace hitlgate::policy {
namespace {

using testing::FindReason;
using testing::MustCompile;
using testing::Situation;

std::shared_ptr<const Program> WithTrigger(const std::string& when, const std::string& extra = "") {
  return MustCompile(
      "policy: t\n"
      "queues: {general: {}}\n"
      "defaults: {oversight: hootl, queue: general}\n"
      "groups: {intents: {money: [refund_request, billing_dispute]}, actions: {changes: "
      "[cancel_order, modify_*]}}\n"
      "topics: {crypto: {phrases: [bitcoin]}}\n" +
      extra +
      "rules:\n"
      "  - name: r\n"
      "    when: " +
      when +
      "\n"
      "    decision: hold\n");
}

bool Fires(const Program& p, const Situation& s) { return FindReason(s.Eval(p), "r") != nullptr; }

std::string Detail(const Program& p, const Situation& s) {
  const engine::Decision d = s.Eval(p);
  const engine::Reason* r = FindReason(d, "r");
  return r == nullptr ? "(not fired)" : r->detail;
}

TEST(TriggerTest, ConfidenceBelowBoundaryAndPerIntent) {
  auto p = WithTrigger(
      "{confidence_below: {threshold: 0.6, per_intent: {billing_dispute: 0.8, \"faq_*\": 0.4}}}");
  ASSERT_TRUE(p);
  EXPECT_FALSE(Fires(*p, Situation().Proposal("other", 0.6)));
  EXPECT_TRUE(Fires(*p, Situation().Proposal("other", 0.59)));
  EXPECT_FALSE(Fires(*p, Situation().Proposal("billing_dispute", 0.8)));
  EXPECT_EQ(Detail(*p, Situation().Proposal("billing_dispute", 0.55)),
            "confidence 0.55 < 0.80 for intent billing_dispute");
  EXPECT_FALSE(Fires(*p, Situation().Proposal("faq_hours", 0.45)));
  EXPECT_TRUE(Fires(*p, Situation().Proposal("faq_hours", 0.39)));
  EXPECT_EQ(Detail(*p, Situation().Proposal("x", std::nullopt)), "no confidence reported");
  // Customer messages are not in scope of a confidence trigger.
  EXPECT_FALSE(Fires(*p, Situation().Message("hi")));
}

TEST(TriggerTest, ConfidenceMissingIgnoreAndCalibrated) {
  auto ignore = WithTrigger("{confidence_below: {threshold: 0.6, missing: ignore}}");
  ASSERT_TRUE(ignore);
  EXPECT_FALSE(Fires(*ignore, Situation().Proposal("x", std::nullopt)));
  auto calibrated = WithTrigger("{confidence_below: {threshold: 0.6, source: calibrated}}");
  ASSERT_TRUE(calibrated);
  Situation s;
  s.Proposal("x", 0.9);
  s.signals.calibrated_confidence = 0.5;
  EXPECT_EQ(Detail(*calibrated, s), "calibrated confidence 0.50 < 0.60 for intent x");
  s.signals.calibrated_confidence.reset();  // falls back to the reported one
  EXPECT_FALSE(Fires(*calibrated, s));
}

TEST(TriggerTest, ConfidencePerIntentGroup) {
  auto p = WithTrigger("{confidence_below: {threshold: 0.5, per_intent: {\"@money\": 0.9}}}");
  ASSERT_TRUE(p);
  EXPECT_TRUE(Fires(*p, Situation().Proposal("refund_request", 0.85)));
  EXPECT_FALSE(Fires(*p, Situation().Proposal("track_order", 0.85)));
}

TEST(TriggerTest, SentimentBelow) {
  auto p = WithTrigger("{sentiment_below: {level: -0.5}}");
  ASSERT_TRUE(p);
  Situation s;
  s.Message("x");
  s.signals.sentiment = -0.5;
  EXPECT_FALSE(Fires(*p, s));
  s.signals.sentiment = -0.62;
  EXPECT_EQ(Detail(*p, s), "sentiment -0.62 < -0.50");
  s.Proposal("x");  // proposals see the customer's latest sentiment
  EXPECT_TRUE(Fires(*p, s));
}

TEST(TriggerTest, SentimentFalling) {
  auto p = WithTrigger("{sentiment_falling: {by: 0.3}}");
  ASSERT_TRUE(p);
  Situation s;
  s.Message("x");
  s.signals.sentiment_trend = -0.29;
  EXPECT_FALSE(Fires(*p, s));
  s.signals.sentiment_trend = -0.3;
  EXPECT_TRUE(Fires(*p, s));
  s.signals.sentiment_trend = -0.41;
  EXPECT_EQ(Detail(*p, s), "sentiment fell by 0.41 (>= 0.30)");
}

TEST(TriggerTest, Flags) {
  for (const char* flag : {"frustration", "human_request", "legal_threat"}) {
    auto p = WithTrigger(std::string("{") + flag + ": true}");
    ASSERT_TRUE(p);
    Situation s;
    s.Message("x");
    EXPECT_FALSE(Fires(*p, s)) << flag;
    if (std::string(flag) == "frustration") s.signals.frustration = true;
    if (std::string(flag) == "human_request") s.signals.human_request = true;
    if (std::string(flag) == "legal_threat") s.signals.legal_threat = true;
    EXPECT_TRUE(Fires(*p, s)) << flag;
  }
  auto human = WithTrigger("{human_request: true}");
  Situation s;
  s.Message("x").signals.human_request = true;
  EXPECT_EQ(Detail(*human, s), "customer asked for a person");
}

TEST(TriggerTest, MessageRateAbove) {
  auto p = WithTrigger("{message_rate_above: {count: 5, per_seconds: 60}}");
  ASSERT_TRUE(p);
  Situation s;
  s.Message("x").Messages(5);
  EXPECT_FALSE(Fires(*p, s));
  s.Messages(6);
  EXPECT_EQ(Detail(*p, s), "6 messages in 60 s (> 5)");
  // Messages older than the window do not count.
  s.snapshot.recent_messages[0] = s.snapshot.now - std::chrono::seconds(61);
  EXPECT_FALSE(Fires(*p, s));
}

TEST(TriggerTest, RepeatContact) {
  auto p = WithTrigger("{repeat_contact: {contacts: 3, within_days: 7}}");
  ASSERT_TRUE(p);
  Situation s;
  s.Message("x").Contacts(2);
  EXPECT_FALSE(Fires(*p, s));
  s.Contacts(3);
  EXPECT_EQ(Detail(*p, s), "3 contacts in 7 days");
  // The oldest contact falls out of a 2-day window.
  auto short_window = WithTrigger("{repeat_contact: {contacts: 3, within_days: 2}}");
  EXPECT_FALSE(Fires(*short_window, s));
}

TEST(TriggerTest, RepeatContactSameIntent) {
  auto p = WithTrigger("{repeat_contact: {contacts: 2, within_days: 7, same_intent: true}}");
  ASSERT_TRUE(p);
  Situation s;
  s.Proposal("refund_request").Contacts(2, "refund_request");
  EXPECT_TRUE(Fires(*p, s));
  s.Contacts(2, "track_order");
  EXPECT_FALSE(Fires(*p, s));
  s.event.intent.clear();
  EXPECT_FALSE(Fires(*p, s));
}

TEST(TriggerTest, SensitiveTopic) {
  auto p = WithTrigger("{sensitive_topic: [medical, crypto]}");
  ASSERT_TRUE(p);
  Situation s;
  s.Message("x");
  EXPECT_FALSE(Fires(*p, s));
  s.signals.category_bits = testing::TopicBit(*p, "financial");
  EXPECT_FALSE(Fires(*p, s));
  s.signals.category_bits |= testing::TopicBit(*p, "crypto");
  EXPECT_EQ(Detail(*p, s), "topic crypto");
  s.signals.category_bits |= testing::TopicBit(*p, "medical");
  EXPECT_EQ(Detail(*p, s), "topics medical, crypto");
  auto single = WithTrigger("{sensitive_topic: medical}");
  ASSERT_TRUE(single);
}

TEST(TriggerTest, ActionValueAboveLimitsPerCurrency) {
  auto p = WithTrigger("{action_value_above: {action: refund, limits: {EUR: 100, USD: 110}}}");
  ASSERT_TRUE(p);
  EXPECT_FALSE(Fires(*p, Situation().Proposal("x").Act("refund", 100, "EUR")));
  EXPECT_EQ(Detail(*p, Situation().Proposal("x").Act("refund", 120, "EUR")),
            "120.00 EUR > 100.00 EUR");
  EXPECT_FALSE(Fires(*p, Situation().Proposal("x").Act("refund", 110, "USD")));
  EXPECT_EQ(Detail(*p, Situation().Proposal("x").Act("refund", 1, "JPY")),
            "no limit configured for currency JPY");
  EXPECT_FALSE(Fires(*p, Situation().Proposal("x").Act("exchange", 500, "EUR")));
  EXPECT_FALSE(Fires(*p, Situation().Proposal("x").Act("refund")));  // no amount
}

TEST(TriggerTest, ActionValueAboveDefaultsToEveryAction) {
  auto p = WithTrigger("{action_value_above: {limit: 50, currency: USD}}");
  ASSERT_TRUE(p);
  EXPECT_TRUE(Fires(*p, Situation().Proposal("x").Act("anything", 50.01, "USD")));
  EXPECT_FALSE(Fires(*p, Situation().Proposal("x").Act("anything", 50, "USD")));
}

TEST(TriggerTest, ActionByNameGlobAndGroup) {
  auto p = WithTrigger("{action: [refund, \"@changes\"]}");
  ASSERT_TRUE(p);
  EXPECT_TRUE(Fires(*p, Situation().Proposal("x").Act("refund")));
  EXPECT_TRUE(Fires(*p, Situation().Proposal("x").Act("cancel_order")));
  EXPECT_TRUE(Fires(*p, Situation().Proposal("x").Act("modify_address")));
  EXPECT_FALSE(Fires(*p, Situation().Proposal("x").Act("exchange")));
  EXPECT_FALSE(Fires(*p, Situation().Proposal("x")));
  EXPECT_EQ(Detail(*p, Situation().Proposal("x").Act("cancel_order")), "action cancel_order");
}

TEST(TriggerTest, IntentByGlob) {
  auto p = WithTrigger("{intent: [\"billing_*\"]}");
  ASSERT_TRUE(p);
  EXPECT_TRUE(Fires(*p, Situation().Proposal("billing_dispute")));
  EXPECT_FALSE(Fires(*p, Situation().Proposal("refund")));
  EXPECT_FALSE(Fires(*p, Situation().Proposal("")));
}

}  // namespace
}  // namespace hitlgate::policy
