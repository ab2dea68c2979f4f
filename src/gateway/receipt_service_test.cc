// ReceiptService through the gateway that wires it: receipts for approved
// AI actions (kept in the audit log, found again after the cache is gone),
// none for rejections, key rotation, and checkpoints written by count.
#include "hitlgate/gateway/receipt_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "gateway/testing/shop_gateway_fixture.h"
#include "hitlgate/receipts/receipt.h"

namespace hitlgate::gateway {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsOk;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

// Constructed before the fixture's gateway, which is handed the keys.
struct SigningKeysHolder {
  SigningKeysHolder()
      : random(crypto::MakeSeededRandomForTest(11)),
        keys(std::move(*receipts::SigningKeys::Open(key_store, *random,
                                                    *ParseRfc3339("2026-11-22T09:00:00Z")))),
        checkpoint_dir(fs::temp_directory_path() /
                       ("hitlgate-receipt-test-" + std::to_string(::getpid()) + "-" +
                        ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::remove_all(checkpoint_dir);
    fs::create_directories(checkpoint_dir);
  }
  ~SigningKeysHolder() { fs::remove_all(checkpoint_dir); }

  GatewayOptions Options() {
    GatewayOptions options = testing::ShopOptions();
    options.receipts.signing_keys = keys.get();
    options.receipts.checkpoint_dir = checkpoint_dir.string();
    options.receipts.checkpoint_every_records = 5;
    return options;
  }

  receipts::MemoryKeyStore key_store;
  std::unique_ptr<crypto::RandomSource> random;
  std::unique_ptr<receipts::SigningKeys> keys;
  fs::path checkpoint_dir;
};

class ReceiptServiceTest : private SigningKeysHolder, public testing::GatewayFixture {
 protected:
  ReceiptServiceTest() : GatewayFixture(std::string(testing::kShopPolicy), Options()) {
    agent_ = MakeKey("agent", store::Role::kAgent, {}, {"shop-bot"});
    reviewer_ = MakeKey("billing reviewer", store::Role::kReviewer, {"billing"});
  }

  // A held 150 EUR refund, claimed and answered by the billing reviewer.
  store::Task Answered(const std::string& id, store::VerdictKind kind) {
    auto submitted = gateway_->events().Submit(agent_, R"({"interaction_id":")" + id +
        R"(","customer_id":"u-1","workflow":"shop-bot","type":"ai_proposal","text":"Refunded.",
        "confidence":0.9,"action":{"name":"refund","amount":150,"currency":"EUR","params":{"order":"A-1"}}})");
    EXPECT_THAT(submitted, IsOk());
    auto claimed = gateway_->review().Claim(reviewer_, submitted->task_id);
    EXPECT_THAT(claimed, IsOk());
    VerdictRequest v;
    v.lease_id = claimed->task.lease->lease_id;
    v.kind = kind;
    v.reason = kind == store::VerdictKind::kRejected ? "not eligible" : "";
    EXPECT_THAT(gateway_->review().SubmitVerdict(reviewer_, submitted->task_id, v), IsOk());
    return *store_->GetTask(submitted->task_id);
  }

  ReceiptService& receipts() { return gateway_->receipts(); }
  using SigningKeysHolder::checkpoint_dir;
  using SigningKeysHolder::keys;

  Principal agent_, reviewer_;
};

TEST_F(ReceiptServiceTest, AnApprovedActionHasAReceiptThatTheAuditLogKeeps) {
  const store::Task task = Answered("r-1", store::VerdictKind::kApproved);
  auto receipt = receipts().For(task);
  ASSERT_TRUE(receipt.has_value());
  auto decoded = receipts::DecodeReceipt(*receipt);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->task_id, task.id);
  EXPECT_EQ(decoded->key_id, keys->Current().key_id);
  // Another node (or this one restarted) finds the same receipt in the log.
  receipts().ClearCacheForTest();
  EXPECT_EQ(receipts().For(task), receipt);
  EXPECT_EQ(AuditCount("approval_receipt"), 1);
}

TEST_F(ReceiptServiceTest, ARejectedActionHasNoReceipt) {
  const store::Task task = Answered("r-2", store::VerdictKind::kRejected);
  EXPECT_FALSE(receipts().For(task).has_value());
  EXPECT_EQ(AuditCount("approval_receipt"), 0);
}

TEST_F(ReceiptServiceTest, OnlyKeyManagersRotateAndARotationIsAuditedAndPublished) {
  EXPECT_THAT(receipts().RotateKey(reviewer_), IsError(ErrorCode::kPermissionDenied));
  clock_.Advance(std::chrono::hours(2));
  auto rotated = receipts().RotateKey(admin_);
  ASSERT_THAT(rotated, IsOk());
  ASSERT_EQ(rotated->size(), 2u);  // the old key stays published
  EXPECT_EQ(receipts().Keys()->back().key_id, keys->Current().key_id);
  EXPECT_EQ(AuditCount("signing_key_rotated"), 1);
}

TEST_F(ReceiptServiceTest, CheckpointsAreWrittenOnceEnoughRecordsAreNew) {
  for (int i = 0; i < 3; ++i) (void)Answered("c-" + std::to_string(i), store::VerdictKind::kApproved);
  auto written = receipts().WriteCheckpoints(clock_.Now());
  ASSERT_THAT(written, IsOk());
  EXPECT_GE(*written, 1);
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(checkpoint_dir)) files += entry.is_regular_file();
  EXPECT_GE(files, static_cast<size_t>(*written));
  // Nothing new since: nothing due.
  EXPECT_THAT(receipts().WriteCheckpoints(clock_.Now()), ::testing::Optional(0));
}

class NoReceiptsTest : public testing::ShopGatewayFixture {};

TEST_F(NoReceiptsTest, WithoutSigningKeysThereAreNoReceiptsKeysOrCheckpoints) {
  EXPECT_THAT(gateway_->receipts().Keys(), IsError(ErrorCode::kFailedPrecondition));
  EXPECT_THAT(gateway_->receipts().RotateKey(admin_), IsError(ErrorCode::kFailedPrecondition));
  EXPECT_THAT(gateway_->receipts().WriteCheckpoints(clock_.Now()), ::testing::Optional(0));
}

}  // namespace
}  // namespace hitlgate::gateway
