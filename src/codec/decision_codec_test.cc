#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hitlgate/codec/json.h"
#include "testing/result_matchers.h"

namespace hitlgate::codec {
namespace {

engine::Decision SampleHold() {
  engine::Decision d;
  d.interaction_id = "c-1042";
  d.event_index = 1;
  d.outcome = engine::Outcome::kHold;
  d.oversight = engine::Oversight::kHitl;
  d.reasons.push_back({"action_value_above", "refunds-over-100", "120.00 EUR > 100.00 EUR",
                       engine::Outcome::kHold, false});
  d.reasons.push_back({"sensitive_topic", "medical-floor", "topic \"medical\"\n",
                       engine::Outcome::kHold, true});
  d.route = engine::Route{"billing", {"billing"}, 2, 120, 20};
  d.signals.sentiment = -0.54;
  d.signals.sentiment_trend = -0.3100000001;
  d.signals.frustration = true;
  d.signals.topics = {"financial"};
  d.signals.repeat_contacts = 3;
  d.signals.messages_per_minute = 2.0;
  d.policy_version = "sha256:abc";
  return d;
}

TEST(DecisionCodecTest, EncodesIssueShapeWithReadableNumbers) {
  std::string json = EncodeDecision(SampleHold());
  EXPECT_THAT(json, ::testing::HasSubstr(R"("decision":"hold","oversight":"hitl")"));
  EXPECT_THAT(json, ::testing::HasSubstr(R"("sentiment":-0.54,"sentiment_trend":-0.31)"));
  EXPECT_THAT(json, ::testing::HasSubstr(R"("messages_per_minute":2)"));
  EXPECT_THAT(json, ::testing::HasSubstr(R"("floor":true)"));
  // Valid JSON, escapes included.
  auto v = boost::json::parse(json);
  EXPECT_EQ(v.at("reasons").at(1).at("detail").as_string(), "topic \"medical\"\n");
  EXPECT_EQ(v.at("route").at("sla_seconds").as_int64(), 120);
}

TEST(DecisionCodecTest, ParseReadsWhatEncodeWrote) {
  engine::Decision d = SampleHold();
  auto back = ParseDecision(EncodeDecision(d));
  ASSERT_THAT(back, testing::IsOk());
  EXPECT_EQ(back->outcome, d.outcome);
  EXPECT_EQ(back->reasons.size(), 2u);
  EXPECT_TRUE(back->reasons[1].floor);
  ASSERT_TRUE(back->route.has_value());
  EXPECT_EQ(back->route->queue, "billing");
  EXPECT_EQ(back->route->priority, 2);
  EXPECT_DOUBLE_EQ(back->signals.sentiment, -0.54);
  EXPECT_EQ(back->signals.topics, std::vector<std::string>{"financial"});
  EXPECT_EQ(EncodeDecision(*back), EncodeDecision(d));
}

TEST(DecisionCodecTest, TriageSignalsRoundTripAndAreAbsentWithoutTriage) {
  engine::Decision d = SampleHold();
  EXPECT_THAT(EncodeDecision(d), ::testing::Not(::testing::HasSubstr("triage_intent")));
  d.signals.triage_intent = "card_arrival";
  d.signals.triage_confidence = 0.3;
  d.signals.out_of_scope = true;
  const std::string json = EncodeDecision(d);
  EXPECT_THAT(json, ::testing::HasSubstr(
                        R"("triage_intent":"card_arrival","triage_confidence":0.3,"out_of_scope":true)"));
  auto back = ParseDecision(json);
  ASSERT_THAT(back, testing::IsOk());
  EXPECT_EQ(back->signals.triage_intent, "card_arrival");
  ASSERT_TRUE(back->signals.triage_confidence.has_value());
  EXPECT_DOUBLE_EQ(*back->signals.triage_confidence, 0.3);
  EXPECT_TRUE(back->signals.out_of_scope);
}

TEST(DecisionCodecTest, AllowHasNoRoute) {
  engine::Decision d;
  d.interaction_id = "x";
  std::string json = EncodeDecision(d);
  EXPECT_EQ(json.find("\"route\""), std::string::npos);
  EXPECT_THAT(json, ::testing::HasSubstr(R"("decision":"allow")"));
}

TEST(DecisionCodecTest, ControlCharactersAreEscaped) {
  std::string out;
  AppendJsonString(std::string_view("a\x01" "b\tc\\", 6), &out);
  EXPECT_EQ(out, R"("a\u0001b\tc\\")");
}

}  // namespace
}  // namespace hitlgate::codec
