// The storage form of event, answer and context JSON: exact round trips,
// a real gain on the gateway's JSON, and DataLoss (never a crash or a wrong
// value) for whatever a damaged row holds.
#include "storage/packed_json.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "testing/result_matchers.h"

namespace hitlgate::store::internal {
namespace {

using ::hitlgate::testing::IsError;

// An answer as the gateway writes one (a held refund), ids made up.
const std::string kAnswer =
    R"({"interaction_id":"c-7f3a9","event_index":3,"decision":"hold","oversight":"hitl",)"
    R"("reasons":[{"trigger":"oversight_default","rule":"workflows.shop.actions.refund",)"
    R"("detail":"refund actions in shop are human-on-the-loop","decision":"allow_monitored"},)"
    R"({"trigger":"action_value_above","rule":"refunds-over-100","detail":"150.00 USD > 110.00 USD",)"
    R"("decision":"hold"}],"route":{"queue":"billing","skills":["billing"],"priority":2,)"
    R"("sla_seconds":120,"hold_notice_seconds":20},"signals":{"sentiment":0,"sentiment_trend":0,)"
    R"("frustration":false,"human_request":false,"legal_threat":false,"language":"en",)"
    R"("topics":["financial"],"repeat_contacts":1,"messages_per_minute":0},)"
    R"("policy_version":"sha256:0b9c4d1e2f30415263748596a7b8c9d0e1f20314253647586970a1b2c3d4e5f6",)"
    R"("audit_sample":false,"task_id":"t-0011223344556677","task_url":"/v1/tasks/t-0011223344556677?wait=30s"})";

TEST(PackedJsonTest, RoundTripsExactBytes) {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "{\"n\":" + std::to_string(i * 7919 % 10007) + "},";
  for (const std::string& s : {std::string(), std::string("{}"), kAnswer,
                               std::string(R"({"text":"Grüße, 注文 \u00e9 \"quoted\""})"),
                               std::string("\0\x01\xff not JSON at all", 20), big}) {
    auto packed = PackJson(s);
    ASSERT_FALSE(packed.empty());
    EXPECT_EQ(static_cast<unsigned char>(packed[0]), kPackedJsonV1);
    auto back = UnpackJson(packed);
    ASSERT_TRUE(back.has_value()) << back.error().ToString();
    EXPECT_EQ(*back, s);
  }
}

TEST(PackedJsonTest, AuditPayloadsRoundTripAndPackToUnderHalf) {
  const std::string payload =
      R"({"at":"2026-12-06T21:55:47.670992Z","channel":"chat","customer_id":"u-8841",)"
      R"("decision_seq":120,"event_id":"ev-5521","event_index":4,)"
      R"("event_sha256":"61d9f05374ca3ed8f71c99b81f2bba0b8b76d8ca05317bca118283b07e4fa419",)"
      R"("type":"customer_message","workflow":"shop"})";
  const auto packed = PackAuditPayload(payload);
  EXPECT_EQ(static_cast<unsigned char>(packed[0]), kPackedAuditPayloadV1);
  EXPECT_EQ(UnpackJson(packed).value(), payload);
  EXPECT_LT(packed.size() * 2, payload.size()) << packed.size();
}

TEST(PackedJsonTest, AnAnswerPacksToUnderAThirdOfItsSize) {
  // The dictionary carries the vocabulary, so what remains is mostly ids.
  EXPECT_LT(PackJson(kAnswer).size() * 3, kAnswer.size()) << PackJson(kAnswer).size();
}

TEST(PackedJsonTest, UnknownFormatByteIsDataLoss) {
  auto packed = PackJson(kAnswer);
  packed[0] = 0x7f;
  EXPECT_THAT(UnpackJson(packed), IsError(ErrorCode::kDataLoss));
  EXPECT_THAT(UnpackJson(""), IsError(ErrorCode::kDataLoss));
  EXPECT_THAT(UnpackJson(kAnswer), IsError(ErrorCode::kDataLoss)) << "plain text is not packed";
}

TEST(PackedJsonTest, DamagedOrCutStreamIsDataLossAtEveryLength) {
  const auto packed = PackJson(kAnswer);
  for (std::size_t n = 1; n < packed.size(); ++n) {
    EXPECT_THAT(UnpackJson(packed.substr(0, n)), IsError(ErrorCode::kDataLoss)) << "cut at " << n;
  }
  EXPECT_THAT(UnpackJson(packed + "x"), IsError(ErrorCode::kDataLoss)) << "trailing bytes";
}

// Raw DEFLATE has no checksum (plain TEXT rows had none either; the audit
// chain's digests are what proves content), so a flipped bit may decode to
// other bytes; what matters is that every damaged row returns.
TEST(PackedJsonTest, FlippedBytesNeverCrashAndMostAreRefused) {
  const auto packed = PackJson(kAnswer);
  std::size_t refused = 0;
  for (std::size_t i = 1; i < packed.size(); ++i) {
    auto flipped = packed;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
    if (!UnpackJson(flipped)) ++refused;
  }
  EXPECT_GT(refused, packed.size() / 4) << "of " << packed.size() - 1 << " flipped bytes";
}

TEST(PackedJsonTest, OutputOverTheLimitIsDataLoss) {
  // A long run of one byte packs to about a thousandth of its size: a
  // damaged row could claim that much.
  const std::string huge(kMaxUnpackedJson + 1, ' ');
  EXPECT_THAT(UnpackJson(PackJson(huge)), IsError(ErrorCode::kDataLoss));
}

// The row kAnswer and kEvent belong to, as its columns hold it.
const DecisionRowValues kRow{"ev-5521", "c-7f3a9", "u-8841", "shop", "chat", 3,
                             "sha256:0b9c4d1e2f30415263748596a7b8c9d0e1f20314253647586970a1b2c3d4e5f6",
                             "t-0011223344556677"};
const std::string kEvent =
    R"({"event_id":"ev-5521","interaction_id":"c-7f3a9","customer_id":"u-8841","workflow":"shop",)"
    R"("channel":"chat","type":"ai_proposal","text":"I have refunded 150 USD to your card.",)"
    R"("intent":"return_item","confidence":0.93,)"
    R"("action":{"name":"refund","amount":150,"currency":"USD","params":{"order_id":"#W5521"}}})";

TEST(PackedJsonTest, PrimedValuesRoundTripAndPackSmallerThanV1) {
  for (const auto& [json, primer] : {std::pair{kEvent, DecisionEventPrimer(kRow)},
                                     std::pair{kAnswer, DecisionAnswerPrimer(kRow)},
                                     std::pair{std::string(), DecisionAnswerPrimer(kRow)},
                                     std::pair{std::string(R"({"erased":true})"), DecisionEventPrimer(kRow)}}) {
    const auto packed = PackPrimedJson(json, primer);
    EXPECT_EQ(static_cast<unsigned char>(packed[0]), kPackedPrimedJsonV1);
    auto back = UnpackJson(packed, primer);
    ASSERT_TRUE(back.has_value()) << back.error().ToString();
    EXPECT_EQ(*back, json);
  }
  // The ids, the policy version and the task id are what v1 still spelled
  // out; these short ids save about 30 bytes in the event, the policy
  // version and task id over 50 in the answer (checksum included).
  EXPECT_LT(PackPrimedJson(kEvent, DecisionEventPrimer(kRow)).size() + 25, PackJson(kEvent).size())
      << PackPrimedJson(kEvent, DecisionEventPrimer(kRow)).size() << " vs " << PackJson(kEvent).size();
  EXPECT_LT(PackPrimedJson(kAnswer, DecisionAnswerPrimer(kRow)).size() + 50, PackJson(kAnswer).size())
      << PackPrimedJson(kAnswer, DecisionAnswerPrimer(kRow)).size() << " vs " << PackJson(kAnswer).size();
}

TEST(PackedJsonTest, OldFormatsStillReadWhateverPrimerIsGiven) {
  EXPECT_EQ(UnpackJson(PackJson(kAnswer), DecisionAnswerPrimer(kRow)).value(), kAnswer);
  EXPECT_EQ(UnpackJson(PackJson(kAnswer)).value(), kAnswer);
}

TEST(PackedJsonTest, PrimedValueReadWithoutOrWithAnotherPrimerIsDataLoss) {
  const auto packed = PackPrimedJson(kAnswer, DecisionAnswerPrimer(kRow));
  EXPECT_THAT(UnpackJson(packed), IsError(ErrorCode::kDataLoss));
  DecisionRowValues other = kRow;
  other.task_id = "t-0011223344556678";  // one character off
  EXPECT_THAT(UnpackJson(packed, DecisionAnswerPrimer(other)), IsError(ErrorCode::kDataLoss));
  other = kRow;
  other.customer_id = "pseudonym-1";  // what erasure writes; the event is erased with it
  EXPECT_THAT(UnpackJson(PackPrimedJson(kEvent, DecisionEventPrimer(kRow)), DecisionEventPrimer(other)),
              IsError(ErrorCode::kDataLoss));
}

TEST(PackedJsonTest, DamagedPrimedValueIsDataLossAtEveryByte) {
  const std::string primer = DecisionAnswerPrimer(kRow);
  const auto packed = PackPrimedJson(kAnswer, primer);
  for (std::size_t n = 0; n < packed.size(); ++n) {
    EXPECT_THAT(UnpackJson(packed.substr(0, n), primer), IsError(ErrorCode::kDataLoss)) << "cut at " << n;
  }
  // The checksum catches what the stream alone decodes to other bytes.
  for (std::size_t i = 1; i < packed.size(); ++i) {
    auto flipped = packed;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
    EXPECT_THAT(UnpackJson(flipped, primer), IsError(ErrorCode::kDataLoss)) << "flipped byte " << i;
  }
}

TEST(PackedJsonTest, AnOverlongPrimerIsCutTheSameWayOnBothSides) {
  DecisionRowValues row = kRow;
  const std::string long_id(10000, 'x');
  row.event_id = long_id;
  const std::string primer = DecisionEventPrimer(row);
  EXPECT_EQ(UnpackJson(PackPrimedJson(kEvent, primer), primer).value(), kEvent);
}

}  // namespace
}  // namespace hitlgate::store::internal
