#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hitlgate/codec/json.h"
#include "hitlgate/common/time_format.h"
#include "testing/result_matchers.h"

namespace hitlgate::codec {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsErrorWith;
using ::testing::HasSubstr;

constexpr std::string_view kProposal =
    R"({"interaction_id":"c-1042","customer_id":"u-77","workflow":"billing-bot","channel":"chat",
        "type":"ai_proposal","text":"I have refunded the duplicate charge of 120.00 EUR.",
        "intent":"billing_dispute","confidence":0.71,
        "action":{"name":"refund","amount":120.0,"currency":"eur","params":{"order":"A-991"}},
        "collected":{"order":"A-991","attempts":2},
        "at":"2026-11-22T10:00:05Z"})";

TEST(EventCodecTest, ParsesTheIssueExample) {
  auto e = ParseEvent(kProposal);
  ASSERT_THAT(e, testing::IsOk());
  EXPECT_EQ(e->interaction_id, "c-1042");
  EXPECT_EQ(e->type, engine::EventType::kAiProposal);
  ASSERT_TRUE(e->confidence.has_value());
  EXPECT_DOUBLE_EQ(*e->confidence, 0.71);
  ASSERT_TRUE(e->action.has_value());
  EXPECT_EQ(e->action->name, "refund");
  EXPECT_DOUBLE_EQ(*e->action->amount, 120.0);
  EXPECT_EQ(e->action->currency, "EUR");  // normalized to upper case
  EXPECT_EQ(e->action->params_json, R"({"order":"A-991"})");
  ASSERT_EQ(e->collected.size(), 2u);
  EXPECT_EQ(e->collected[1].second, "2");  // non-strings keep their JSON text
  EXPECT_EQ(FormatRfc3339(*e->at), "2026-11-22T10:00:05Z");
}

TEST(EventCodecTest, EncodeThenParseRoundTrips) {
  auto e = ParseEvent(kProposal);
  ASSERT_TRUE(e.has_value());
  auto again = ParseEvent(EncodeEvent(*e));
  ASSERT_THAT(again, testing::IsOk());
  EXPECT_EQ(EncodeEvent(*again), EncodeEvent(*e));
}

TEST(EventCodecTest, UnknownFieldIsNamed) {
  EXPECT_THAT(ParseEvent(R"({"interaction_id":"c","workflow":"w","type":"customer_message",
                              "text":"hi","confidance":0.5})"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("field 'confidance': unknown field")));
  EXPECT_THAT(ParseEvent(R"({"interaction_id":"c","workflow":"w","type":"ai_proposal",
                              "action":{"name":"refund","amont":3}})"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'action.amont'")));
}

TEST(EventCodecTest, WrongTypeNamesFieldAndKinds) {
  EXPECT_THAT(ParseEvent(R"({"interaction_id":"c","workflow":"w","type":"ai_proposal","text":"x",
                              "confidence":"high"})"),
              IsErrorWith(ErrorCode::kInvalidArgument,
                          HasSubstr("field 'confidence': expected a number, got string")));
  EXPECT_THAT(ParseEvent(R"({"interaction_id":7,"workflow":"w","type":"customer_message","text":"x"})"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("field 'interaction_id'")));
}

TEST(EventCodecTest, ConfidenceOutOfRangeIsRejected) {
  EXPECT_THAT(ParseEvent(R"({"interaction_id":"c","workflow":"w","type":"ai_proposal","text":"x",
                              "confidence":1.7})"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("[0, 1]")));
}

TEST(EventCodecTest, DeadlineIsWholeMillisecondsUpToAnHour) {
  auto e = ParseEvent(R"({"interaction_id":"c","workflow":"w","type":"ai_proposal","text":"x",
                          "deadline_ms":8000})");
  ASSERT_TRUE(e.has_value()) << e.error().message();
  EXPECT_EQ(e->deadline_ms, 8000);
  EXPECT_THAT(EncodeEvent(*e), HasSubstr(R"("deadline_ms":8000)"));
  auto again = ParseEvent(EncodeEvent(*e));
  ASSERT_TRUE(again.has_value()) << again.error().message();
  EXPECT_EQ(again->deadline_ms, 8000);
  for (const char* bad : {"0", "-5", "3600001", "1.5", "\"8s\""}) {
    EXPECT_THAT(ParseEvent(std::string(R"({"interaction_id":"c","workflow":"w","type":"ai_proposal",)") +
                           R"("text":"x","deadline_ms":)" + bad + "}"),
                IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'deadline_ms'")))
        << bad;
  }
}

TEST(EventCodecTest, RequiredFieldsAreEnforced) {
  EXPECT_THAT(ParseEvent(R"({"workflow":"w","type":"customer_message","text":"x"})"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'interaction_id': required")));
  EXPECT_THAT(ParseEvent(R"({"interaction_id":"c","workflow":"w","text":"x"})"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'type': required")));
  EXPECT_THAT(ParseEvent(R"({"interaction_id":"c","workflow":"w","type":"customer_message"})"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'text'")));
  EXPECT_THAT(ParseEvent(R"({"interaction_id":"c","workflow":"w","type":"ai_proposal",
                              "action":{"amount":3,"currency":"EUR"}})"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'action.name': required")));
  EXPECT_THAT(ParseEvent(R"({"interaction_id":"c","workflow":"w","type":"ai_proposal",
                              "action":{"name":"refund","amount":3}})"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'action.currency'")));
}

TEST(EventCodecTest, BadEnumAndTimeAreExplained) {
  EXPECT_THAT(ParseEvent(R"({"interaction_id":"c","workflow":"w","type":"chat","text":"x"})"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("expected one of customer_message")));
  EXPECT_THAT(ParseEvent(R"({"interaction_id":"c","workflow":"w","type":"customer_message",
                              "text":"x","at":"yesterday"})"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("field 'at'")));
}

TEST(EventCodecTest, MalformedJsonGivesPosition) {
  EXPECT_THAT(ParseEvent(R"({"interaction_id":"c",)"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("invalid JSON at byte")));
  EXPECT_THAT(ParseEvent(R"({"interaction_id":"c","workflow":"w","type":"customer_message","text":"x"} junk)"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("after the value")));
  EXPECT_THAT(ParseEvent("[1,2]"), IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("JSON object")));
  EXPECT_THAT(ParseEvent(""), IsError(ErrorCode::kInvalidArgument));
}

TEST(EventCodecTest, DeepNestingIsRejectedNotCrashing) {
  std::string deep = R"({"interaction_id":"c","workflow":"w","type":"ai_proposal","text":"x","metadata":)";
  for (int i = 0; i < 200; ++i) deep += "{\"a\":";
  deep += "1";
  for (int i = 0; i < 200; ++i) deep += "}";
  deep += "}";
  EXPECT_THAT(ParseEvent(deep), IsError(ErrorCode::kInvalidArgument));
}

TEST(EventCodecTest, OversizedEventIsResourceExhausted) {
  std::string big = R"({"interaction_id":"c","workflow":"w","type":"customer_message","text":")";
  big.append(kMaxEventBytes, 'a');
  big += "\"}";
  EXPECT_THAT(ParseEvent(big), IsError(ErrorCode::kResourceExhausted));
}

TEST(EventCodecTest, CanonicalJsonSortsKeys) {
  auto c = CanonicalJson(R"({ "b": [1, {"z":1,"a":2}], "a": "x" })");
  ASSERT_THAT(c, testing::IsOk());
  EXPECT_EQ(*c, R"({"a":"x","b":[1,{"a":2,"z":1}]})");
}

}  // namespace
}  // namespace hitlgate::codec

namespace hitlgate::codec {
namespace {

TEST(EventCodecTest, NumbersAreWrittenPlainly) {
  auto a = ParseAction(R"({"name":"refund","amount":100.0,"currency":"usd","params":{"x":2.50}})");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(EncodeAction(*a), R"({"name":"refund","amount":100,"currency":"USD","params":{"x":2.5}})");
}

}  // namespace
}  // namespace hitlgate::codec
