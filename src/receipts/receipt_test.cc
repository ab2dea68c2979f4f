#include "hitlgate/receipts/receipt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hitlgate/common/time_format.h"
#include "testing/result_matchers.h"

namespace hitlgate::receipts {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsOk;
using ::testing::HasSubstr;

constexpr std::string_view kRefund100 =
    R"({"name":"refund","amount":100,"currency":"USD","params":{"order_id":"A-1001"}})";

TimePoint At(std::string_view t) { return *ParseRfc3339(t); }

Approval RefundApproval(TimePoint at) {
  return {"t-0000000000000001", "c-1", "k-rev1", "edited", at, "sha256:abc"};
}

class ReceiptTest : public ::testing::Test {
 protected:
  ReceiptTest() : random_(crypto::MakeSeededRandomForTest(7)) {
    keys_ = std::move(*SigningKeys::Open(store_, *random_, At("2026-11-23T09:00:00Z")));
  }
  Receipt Issue(std::string_view action = kRefund100, TimePoint at = At("2026-11-23T10:00:00Z")) {
    auto r = IssueReceipt(RefundApproval(at), action, *keys_);
    EXPECT_THAT(r, IsOk());
    return r.value_or(Receipt{});
  }

  MemoryKeyStore store_;
  std::unique_ptr<crypto::RandomSource> random_;
  std::unique_ptr<SigningKeys> keys_;
};

TEST_F(ReceiptTest, SignedReceiptVerifiesAgainstItsAction) {
  Receipt r = Issue();
  EXPECT_EQ(r.key_id, keys_->Current().key_id);
  EXPECT_EQ(r.signature.size(), 128u);
  auto check = VerifyReceipt(r, kRefund100, keys_->PublicKeys());
  EXPECT_TRUE(check.ok()) << check.detail;
}

TEST_F(ReceiptTest, AReceiptWithADuplicateKeyIsRefused) {
  auto r = DecodeReceipt(R"({"version":1,"version":2})");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("duplicate key 'version'"), std::string::npos) << r.error().message();
}

TEST_F(ReceiptTest, EncodedReceiptDecodesToTheSameAndVerifies) {
  Receipt r = Issue();
  const std::string json = EncodeReceipt(r);
  EXPECT_THAT(json, HasSubstr(R"("approved_at":"2026-11-23T10:00:00.000000Z")"));
  auto back = DecodeReceipt(json);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back, r);
  EXPECT_TRUE(VerifyReceiptJson(json, kRefund100, keys_->PublicKeys()).ok());
}

TEST_F(ReceiptTest, SameActionInAnotherKeyOrderAndNumberFormVerifies) {
  Receipt r = Issue();
  const std::string reordered =
      R"({ "params": {"order_id": "A-1001"}, "currency": "USD", "amount": 100.0, "name": "refund" })";
  EXPECT_TRUE(VerifyReceipt(r, reordered, keys_->PublicKeys()).ok());
}

TEST_F(ReceiptTest, ChangedAmountIsRefusedAsActionChanged) {
  Receipt r = Issue();
  const std::string bigger =
      R"({"name":"refund","amount":1000,"currency":"USD","params":{"order_id":"A-1001"}})";
  auto check = VerifyReceipt(r, bigger, keys_->PublicKeys());
  EXPECT_EQ(check.problem, ReceiptProblem::kActionChanged) << check.detail;
}

TEST_F(ReceiptTest, ChangedParameterIsRefusedAsActionChanged) {
  Receipt r = Issue();
  const std::string other_order =
      R"({"name":"refund","amount":100,"currency":"USD","params":{"order_id":"A-9999"}})";
  EXPECT_EQ(VerifyReceipt(r, other_order, keys_->PublicKeys()).problem, ReceiptProblem::kActionChanged);
}

TEST_F(ReceiptTest, ReceiptWithAlteredFieldsFailsItsSignature) {
  Receipt r = Issue();
  for (auto alter : std::vector<std::function<void(Receipt&)>>{
           [](Receipt& x) { x.reviewer = "k-intruder"; },
           [](Receipt& x) { x.task_id = "t-0000000000000002"; },
           [](Receipt& x) { x.verdict = "approved"; },
           [](Receipt& x) { x.approved_at += std::chrono::microseconds(1); },
           [](Receipt& x) { x.policy_version = "sha256:def"; },
           [](Receipt& x) { x.interaction_id = "c-2"; },
       }) {
    Receipt bad = r;
    alter(bad);
    EXPECT_EQ(VerifyReceipt(bad, kRefund100, keys_->PublicKeys()).problem, ReceiptProblem::kBadSignature);
  }
}

TEST_F(ReceiptTest, ReceiptReboundToAnotherActionFailsItsSignature) {
  // An agent that swaps in the digest of the action it would rather run.
  Receipt r = Issue();
  const std::string bigger = R"({"name":"refund","amount":1000,"currency":"USD","params":{}})";
  r.action_sha256 = *ActionDigest(bigger);
  EXPECT_EQ(VerifyReceipt(r, bigger, keys_->PublicKeys()).problem, ReceiptProblem::kBadSignature);
}

TEST_F(ReceiptTest, ReceiptFromAnotherGatewayIsAnUnknownKey) {
  MemoryKeyStore other_store;
  auto other_random = crypto::MakeSeededRandomForTest(99);
  auto other = *SigningKeys::Open(other_store, *other_random, At("2026-11-23T09:00:00Z"));
  auto foreign = IssueReceipt(RefundApproval(At("2026-11-23T10:00:00Z")), kRefund100, *other);
  ASSERT_THAT(foreign, IsOk());
  EXPECT_EQ(VerifyReceipt(*foreign, kRefund100, keys_->PublicKeys()).problem, ReceiptProblem::kUnknownKey);
}

TEST_F(ReceiptTest, SignatureByAnotherKeyUnderOurKeyIdIsBad) {
  MemoryKeyStore other_store;
  auto other_random = crypto::MakeSeededRandomForTest(99);
  auto other = *SigningKeys::Open(other_store, *other_random, At("2026-11-23T09:00:00Z"));
  auto foreign = IssueReceipt(RefundApproval(At("2026-11-23T10:00:00Z")), kRefund100, *other);
  ASSERT_THAT(foreign, IsOk());
  foreign->key_id = keys_->Current().key_id;  // claims to be ours
  EXPECT_EQ(VerifyReceipt(*foreign, kRefund100, keys_->PublicKeys()).problem, ReceiptProblem::kBadSignature);
}

TEST_F(ReceiptTest, RotatedKeyStillVerifiesOldReceiptsAndSignsNewOnes) {
  Receipt old_receipt = Issue(kRefund100, At("2026-11-23T10:00:00Z"));
  const std::string old_key = keys_->Current().key_id;
  auto rotated = keys_->Rotate(At("2026-11-24T00:00:00Z"));
  ASSERT_THAT(rotated, IsOk());
  EXPECT_NE(rotated->key_id, old_key);
  const auto published = keys_->PublicKeys();
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[0].not_after, At("2026-11-24T00:00:00Z"));
  EXPECT_TRUE(VerifyReceipt(old_receipt, kRefund100, published).ok());

  Receipt new_receipt = Issue(kRefund100, At("2026-11-24T08:00:00Z"));
  EXPECT_EQ(new_receipt.key_id, rotated->key_id);
  EXPECT_TRUE(VerifyReceipt(new_receipt, kRefund100, published).ok());
}

TEST_F(ReceiptTest, RetiredKeyCannotSignAndIsNotValidAfterItsPeriod) {
  const std::string old_key = keys_->Current().key_id;
  ASSERT_THAT(keys_->Rotate(At("2026-11-24T00:00:00Z")), IsOk());
  // A receipt dated in the retired key's period cannot be made any more: its
  // seed is gone.
  EXPECT_THAT(IssueReceipt(RefundApproval(At("2026-11-23T12:00:00Z")), kRefund100, *keys_),
              IsError(ErrorCode::kAborted));
  // A retired key's signature dated after its period is refused.
  MemoryKeyStore store;
  auto random = crypto::MakeSeededRandomForTest(7);  // same seed: same first key
  auto twin = *SigningKeys::Open(store, *random, At("2026-11-23T09:00:00Z"));
  ASSERT_EQ(twin->Current().key_id, old_key);
  auto late = IssueReceipt(RefundApproval(At("2026-11-25T00:00:00Z")), kRefund100, *twin);
  ASSERT_THAT(late, IsOk());
  EXPECT_EQ(VerifyReceipt(*late, kRefund100, keys_->PublicKeys()).problem, ReceiptProblem::kKeyNotValid);
}

TEST_F(ReceiptTest, IssueRefusesRejectionsAndNonObjectActions) {
  Approval a = RefundApproval(At("2026-11-23T10:00:00Z"));
  a.verdict = "rejected";
  EXPECT_THAT(IssueReceipt(a, kRefund100, *keys_), IsError(ErrorCode::kInvalidArgument));
  a.verdict = "approved";
  EXPECT_THAT(IssueReceipt(a, "[1,2]", *keys_), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(IssueReceipt(a, "{not json", *keys_), IsError(ErrorCode::kInvalidArgument));
}

TEST_F(ReceiptTest, DecodeNamesTheBadField) {
  const std::string good = EncodeReceipt(Issue());
  struct Case {
    std::string json;
    std::string field;
  };
  auto replace = [&](std::string_view from, std::string_view to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  std::vector<Case> cases = {
      {replace(R"("verdict":"edited")", R"("verdict":"rejected")"), "verdict"},
      {replace(R"("approved_at":"2026)", R"("approved_at":"x2026)"), "approved_at"},
      {replace(R"("signature":")", R"("signature":"zz)"), "signature"},
      {replace(R"("format":"hitlgate.receipt.v1")", R"("format":"v0")"), "format"},
      {replace(R"("key_id":)", R"("extra":1,"key_id":)"), "extra"},
      {replace(R"("reviewer":"k-rev1",)", ""), "reviewer"},
  };
  for (const Case& c : cases) {
    auto r = DecodeReceipt(c.json);
    EXPECT_THAT(r, IsError(ErrorCode::kInvalidArgument)) << c.json;
    if (!r) {
      EXPECT_THAT(r.error().message(), HasSubstr("'" + c.field + "'"));
    }
  }
  EXPECT_EQ(VerifyReceiptJson("not json", kRefund100, keys_->PublicKeys()).problem,
            ReceiptProblem::kMalformed);
}

TEST(ReceiptFormatTest, SigningInputIsLengthPrefixedAndStartsWithTheDomainTag) {
  Receipt r;
  r.key_id = "k";
  r.task_id = "t";
  r.interaction_id = "i";
  r.reviewer = "r";
  r.verdict = "approved";
  r.approved_at = TimePoint(std::chrono::microseconds(2));
  r.policy_version = "p";
  r.action_sha256 = std::string(64, '0');
  const std::string in = SigningInput(r);
  // 8+19 tag, 4 x (8+1) one-letter fields, 8+8 verdict, 8 time, 8+1 policy, 8+64 digest.
  EXPECT_EQ(in.size(), 27u + 4 * 9 + 16 + 8 + 9 + 72);
  EXPECT_EQ(in.substr(0, 8), std::string("\0\0\0\0\0\0\0\x13", 8));
  EXPECT_EQ(in.substr(8, 19), "hitlgate.receipt.v1");
}

}  // namespace
}  // namespace hitlgate::receipts
