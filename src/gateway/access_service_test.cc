// AccessService on its own: the in-memory store, a fake clock, seeded
// randomness; no engine, no gateway.
#include "hitlgate/gateway/access_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hitlgate/common/time_format.h"
#include "hitlgate/crypto/sealed_secret.h"
#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/memory_store.h"
#include "testing/result_matchers.h"

namespace hitlgate::gateway {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsErrorWith;
using ::hitlgate::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kAdminToken[] = "hg_a0a0a0a0a0a0_0123456789abcdef0123456789abcdef";

class AccessServiceTest : public ::testing::Test {
 protected:
  explicit AccessServiceTest(AccessOptions options = {}) { Start(std::move(options)); }

  void Start(AccessOptions options) {
    options.key_pepper = "pepper-for-tests-0123456789abcdef";
    access_ = std::make_unique<AccessService>(*store_, clock_, *random_, std::move(options),
                                              [this](const std::string& id) { revoked_.push_back(id); });
    auto admin = access_->Bootstrap(kAdminToken);
    ASSERT_TRUE(admin.has_value() && admin->has_value());
    admin_ = *access_->Authenticate(kAdminToken);
  }

  NewKey Mint(store::Role role, std::vector<std::string> workflows = {"shop-bot"}) {
    KeyRequest r;
    r.name = std::string(store::RoleName(role));
    r.role = role;
    r.workflows = std::move(workflows);
    return *access_->CreateKey(admin_, r);
  }

  int AuditCount(std::string_view kind) {
    int n = 0;
    auto records = store_->ReadAudit(1, 10000);
    for (const auto& rec : *records) n += rec.kind == kind;
    return n;
  }

  FakeClock clock_{*ParseRfc3339("2026-12-06T10:00:00Z")};
  std::unique_ptr<crypto::RandomSource> random_ = crypto::MakeSeededRandomForTest(7);
  store::SequentialIdGenerator ids_{1};
  std::unique_ptr<store::Store> store_ = store::NewMemoryStore(&ids_);
  std::unique_ptr<AccessService> access_;
  std::vector<std::string> revoked_;
  Principal admin_;
};

TEST_F(AccessServiceTest, BootstrapMakesTheFirstAdminOnlyWhileNoKeyExists) {
  EXPECT_EQ(admin_.role, store::Role::kAdmin);
  EXPECT_EQ(admin_.key_id, "a0a0a0a0a0a0");
  auto again = access_->Bootstrap("");
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(again->has_value());
}

TEST_F(AccessServiceTest, BootstrapRefusesAMalformedTokenAndCreatesNothing) {
  store::SequentialIdGenerator ids{1};
  auto empty = store::NewMemoryStore(&ids);
  AccessService fresh(*empty, clock_, *random_, {}, {});
  EXPECT_THAT(fresh.Bootstrap("hg_short"), IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("HITLGATE_ADMIN_KEY")));
  EXPECT_TRUE(empty->ListKeys()->empty());
}

TEST_F(AccessServiceTest, AMintedTokenAuthenticatesWithItsRoleAndWorkflows) {
  NewKey agent = Mint(store::Role::kAgent, {"shop-bot", "bank-bot"});
  auto who = access_->Authenticate(agent.token);
  ASSERT_THAT(who, IsOk());
  EXPECT_EQ(who->role, store::Role::kAgent);
  EXPECT_THAT(who->workflows, ElementsAre("shop-bot", "bank-bot"));
  // The secret is never stored, only its keyed hash.
  EXPECT_EQ(agent.token.find(store_->FindKey(agent.key.key_id)->secret_hash), std::string::npos);
}

TEST_F(AccessServiceTest, AnAgentKeyMustNameItsWorkflows) {
  KeyRequest r{.name = "lazy agent", .role = store::Role::kAgent};
  EXPECT_THAT(access_->CreateKey(admin_, r), IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'workflows'")));
  EXPECT_EQ(access_->Keys(admin_)->size(), 1u);  // the admin's only
}

TEST_F(AccessServiceTest, APeopleKeyThatNamesNoWorkflowCoversEveryOneAndSaysSo) {
  NewKey reviewer = Mint(store::Role::kReviewer, {});
  EXPECT_THAT(reviewer.key.workflows, ElementsAre("*"));
  auto who = access_->Authenticate(reviewer.token);
  ASSERT_THAT(who, IsOk());
  EXPECT_TRUE(who->CoversAllWorkflows());
  EXPECT_TRUE(who->CoversWorkflow("airline-bot"));
  NewKey scoped = Mint(store::Role::kSupervisor, {"shop-bot"});
  auto lead = access_->Authenticate(scoped.token);
  ASSERT_THAT(lead, IsOk());
  EXPECT_TRUE(lead->CoversWorkflow("shop-bot"));
  EXPECT_FALSE(lead->CoversWorkflow("airline-bot")) << "people keys are scoped like agents' keys";
  EXPECT_FALSE(lead->CoversAllWorkflows());
}

TEST_F(AccessServiceTest, AStarBesideNamedWorkflowsOrAnEmptyNameIsRefused) {
  KeyRequest star{.name = "mixed", .role = store::Role::kReviewer, .workflows = {"*", "shop-bot"}};
  EXPECT_THAT(access_->CreateKey(admin_, star), IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("every workflow")));
  KeyRequest empty{.name = "blank", .role = store::Role::kAgent, .workflows = {""}};
  EXPECT_THAT(access_->CreateKey(admin_, empty), IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_EQ(access_->Keys(admin_)->size(), 1u);  // the admin's only
}

TEST_F(AccessServiceTest, OnlyKeyManagersListMintOrRevoke) {
  NewKey supervisor = Mint(store::Role::kSupervisor);
  Principal who = *access_->Authenticate(supervisor.token);
  EXPECT_THAT(access_->Keys(who), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(access_->CreateKey(who, KeyRequest{.name = "x", .role = store::Role::kAdmin}),
              IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(access_->RevokeKey(who, admin_.key_id), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(access_->Authenticate(kAdminToken), IsOk());
}

TEST_F(AccessServiceTest, RevocationTakesEffectAtOnceAndIsAnnounced) {
  NewKey agent = Mint(store::Role::kAgent);
  ASSERT_THAT(access_->Authenticate(agent.token), IsOk());  // now cached
  ASSERT_THAT(access_->RevokeKey(admin_, agent.key.key_id), IsOk());
  EXPECT_THAT(access_->Authenticate(agent.token), IsErrorWith(ErrorCode::kUnauthenticated, HasSubstr("revoked")));
  EXPECT_THAT(revoked_, ElementsAre(agent.key.key_id));
}

TEST_F(AccessServiceTest, ACachedKeyRevokedElsewhereWorksUntilItIsForgotten) {
  NewKey agent = Mint(store::Role::kAgent);
  ASSERT_THAT(access_->Authenticate(agent.token), IsOk());
  // Another node revokes it in the shared store; this node learns of it
  // through the announcement that calls ForgetKey.
  ASSERT_THAT(store_->RevokeKey(agent.key.key_id, admin_.key_id, clock_.Now()), IsOk());
  EXPECT_THAT(access_->Authenticate(agent.token), IsOk());
  access_->ForgetKey(agent.key.key_id);
  EXPECT_THAT(access_->Authenticate(agent.token), IsErrorWith(ErrorCode::kUnauthenticated, HasSubstr("revoked")));
}

TEST_F(AccessServiceTest, EveryKindOfBadTokenIsRefusedAndAudited) {
  NewKey agent = Mint(store::Role::kAgent);
  std::string wrong = agent.token;
  wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
  EXPECT_THAT(access_->Authenticate(""), IsErrorWith(ErrorCode::kUnauthenticated, HasSubstr("missing")));
  EXPECT_THAT(access_->Authenticate("Bearer nonsense"), IsErrorWith(ErrorCode::kUnauthenticated, HasSubstr("malformed")));
  EXPECT_THAT(access_->Authenticate("hg_0123456789ab_" + std::string(64, 'f')),
              IsErrorWith(ErrorCode::kUnauthenticated, HasSubstr("unknown key")));
  EXPECT_THAT(access_->Authenticate(wrong), IsErrorWith(ErrorCode::kUnauthenticated, HasSubstr("wrong secret")));
  // A missing token is no attempt at a key; the other three are audited.
  EXPECT_EQ(AuditCount("auth_failed"), 3);
}

TEST_F(AccessServiceTest, KeyUseIsAuditedOncePerInterval) {
  NewKey reviewer = Mint(store::Role::kReviewer);
  const int before = AuditCount("key_used");
  for (int i = 0; i < 5; ++i) ASSERT_THAT(access_->Authenticate(reviewer.token), IsOk());
  EXPECT_EQ(AuditCount("key_used"), before + 1);
  clock_.Advance(std::chrono::minutes(2));
  ASSERT_THAT(access_->Authenticate(reviewer.token), IsOk());
  EXPECT_EQ(AuditCount("key_used"), before + 2);
}

class LimitedAccessTest : public AccessServiceTest {
 protected:
  static AccessOptions Limited() {
    AccessOptions o;
    o.rate_limits.For(store::Role::kAgent) = RateLimit{1, 2};  // 1/s, burst 2
    o.auth_failures_per_address = {.per_minute = 1, .burst = 2};
    return o;
  }
  LimitedAccessTest() : AccessServiceTest(Limited()) {}
};

TEST_F(LimitedAccessTest, AKeyPastItsRateIsToldWhenToRetry) {
  NewKey agent = Mint(store::Role::kAgent);
  ASSERT_THAT(access_->Authenticate(agent.token), IsOk());
  ASSERT_THAT(access_->Authenticate(agent.token), IsOk());
  EXPECT_THAT(access_->Authenticate(agent.token),
              IsErrorWith(ErrorCode::kResourceExhausted, HasSubstr("retry after")));
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_THAT(access_->Authenticate(agent.token), IsOk());
}

TEST_F(LimitedAccessTest, AnAddressThatKeepsFailingIsRefusedButCachedKeysStillWork) {
  NewKey known = Mint(store::Role::kReviewer);
  NewKey unseen = Mint(store::Role::kReviewer);
  ASSERT_THAT(access_->Authenticate(known.token, "10.0.0.9"), IsOk());
  const std::string bad = "hg_0123456789ab_" + std::string(64, 'f');
  for (int i = 0; i < 3; ++i) (void)access_->Authenticate(bad, "10.0.0.9");
  EXPECT_THAT(access_->Authenticate(unseen.token, "10.0.0.9"),
              IsErrorWith(ErrorCode::kResourceExhausted, HasSubstr("failed authentications")));
  EXPECT_THAT(access_->Authenticate(known.token, "10.0.0.9"), IsOk());
  EXPECT_THAT(access_->Authenticate(unseen.token, "10.0.0.10"), IsOk());
}

TEST_F(AccessServiceTest, AWebhookIsStoredWithItsSecretSealed) {
  store::Webhook hook{"shop-bot", "http://relay.internal:8081/hooks", "a-secret-of-some-length", {}};
  ASSERT_THAT(access_->SetWebhook(admin_, hook), IsOk());
  auto hooks = store_->ListWebhooks();
  ASSERT_EQ(hooks->size(), 1u);
  EXPECT_TRUE(crypto::IsSealedSecret(hooks->front().secret));
  EXPECT_EQ(hooks->front().secret.find("a-secret-of-some-length"), std::string::npos);
}

TEST_F(AccessServiceTest, AWebhookThatCannotWorkIsRefusedAndNothingIsStored) {
  const std::string secret = "a-secret-of-some-length";
  EXPECT_THAT(access_->SetWebhook(admin_, {"shop-bot", "https://x.example/h", secret, {}}),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("https://")));
  EXPECT_THAT(access_->SetWebhook(admin_, {"shop-bot", "ftp://x.example/h", secret, {}}),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'url'")));
  EXPECT_THAT(access_->SetWebhook(admin_, {"shop-bot", "http://x.example/h", "short", {}}),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'secret'")));
  EXPECT_TRUE(store_->ListWebhooks()->empty());
}

}  // namespace
}  // namespace hitlgate::gateway
