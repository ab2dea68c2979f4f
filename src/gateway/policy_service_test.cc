// PolicyService below HTTP: versions (validate, upload, activate, roll
// back), policy test cases, shadow mode and replay, with a real engine, the
// in-memory store and a fake clock. The JSON bytes are checked over HTTP by
// test/integration; here the typed answers and their effects.
#include "hitlgate/gateway/policy_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "gateway/testing/gateway_fixture.h"
#include "hitlgate/policy/policy.h"
#include "hitlgate/codec/policy_json.h"
#include "hitlgate/gateway/gateway.h"
#include "testing/result_matchers.h"

namespace hitlgate::gateway {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsErrorWith;
using ::hitlgate::testing::IsOk;
using ::testing::HasSubstr;

// Refunds over `limit` EUR are held.
std::string Policy(int limit) {
  return R"(policy: policy-test
queues:
  billing: {skills: [], sla_seconds: 120}
defaults:
  oversight: hootl
  queue: billing
rules:
  - name: big-refund
    when: {action_value_above: {action: refund, limits: {EUR: )" +
         std::to_string(limit) + R"(}}}
    decision: hold
    queue: billing
)";
}

class PolicyServiceTest : public testing::GatewayFixture {
 protected:
  PolicyServiceTest() : GatewayFixture(Policy(100), {}, "active.yaml") {
    agent_ = MakeKey("agent", store::Role::kAgent);
    reviewer_ = MakeKey("reviewer", store::Role::kReviewer);
  }

  PolicyService& policies() { return gateway_->policies(); }

  std::string Refund(const std::string& id, int amount) {
    return R"({"interaction_id":")" + id +
           R"(","customer_id":"u-1","workflow":"w","type":"ai_proposal",)"
           R"("text":"Refunded.","action":{"name":"refund","amount":)" +
           std::to_string(amount) + R"(,"currency":"EUR"}})";
  }

  // Saves the 200 EUR policy without activating it; its version.
  std::string UploadCandidate() {
    auto uploaded = policies().UploadPolicy(admin_, Policy(200), /*activate=*/false);
    EXPECT_THAT(uploaded, IsOk());
    return uploaded ? uploaded->version : std::string();
  }

  Principal agent_;
  Principal reviewer_;
};

TEST_F(PolicyServiceTest, OnlyPolicyManagersChangePolicies) {
  EXPECT_THAT(policies().UploadPolicy(reviewer_, Policy(5), true),
              IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(policies().ValidatePolicy(agent_, Policy(5)), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(policies().ActivatePolicy(reviewer_, engine_->policy()->version()),
              IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(policies().ListPolicies(agent_), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(policies().ListPolicies(reviewer_), IsOk());  // reviewers may read them
}

TEST_F(PolicyServiceTest, BrokenPolicyUploadNamesLineAndColumnAndChangesNothing) {
  const std::string active = engine_->policy()->version();
  std::string broken = Policy(100);
  broken.replace(broken.find("sla_seconds: 120"), 16, "sla_seconds: fast");
  auto check = policies().ValidatePolicy(admin_, broken);
  ASSERT_THAT(check, IsOk());
  EXPECT_FALSE(check->ok);
  EXPECT_TRUE(check->version.empty());
  ASSERT_FALSE(check->issues.empty());
  EXPECT_EQ(check->issues[0].line, 3);  // the billing queue's line
  EXPECT_THAT(policies().UploadPolicy(admin_, broken, true),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("policy.yaml:3:")));
  EXPECT_EQ(engine_->policy()->version(), active);
  EXPECT_EQ(policies().ListPolicies(admin_)->size(), 1u);
}

TEST_F(PolicyServiceTest, ValidPolicyIsNamedWithTheVersionItWouldGet) {
  auto check = policies().ValidatePolicy(admin_, Policy(300));
  ASSERT_THAT(check, IsOk());
  EXPECT_TRUE(check->ok);
  EXPECT_EQ(check->name, "policy-test");
  auto uploaded = policies().UploadPolicy(admin_, Policy(300), false);
  ASSERT_THAT(uploaded, IsOk());
  EXPECT_EQ(uploaded->version, check->version);
  EXPECT_FALSE(uploaded->active);
}

TEST_F(PolicyServiceTest, ActivationDecidesNewEventsAndRollbackRestores) {
  const std::string v1 = engine_->policy()->version();
  auto uploaded = policies().UploadPolicy(admin_, Policy(500), /*activate=*/true);
  ASSERT_THAT(uploaded, IsOk());
  EXPECT_TRUE(uploaded->active);
  EXPECT_NE(uploaded->version, v1);
  EXPECT_EQ(engine_->policy()->version(), uploaded->version);
  auto r = gateway_->events().Submit(agent_, Refund("c-12", 120));
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(r->task_id.empty());  // the new limit applies to new events
  auto rolled_back = policies().ActivatePolicy(admin_, v1);
  ASSERT_THAT(rolled_back, IsOk());
  EXPECT_EQ(rolled_back->version, v1);
  EXPECT_EQ(engine_->policy()->version(), v1);
  auto active = policies().GetPolicy(admin_, "active");
  ASSERT_THAT(active, IsOk());
  EXPECT_EQ(active->policy.version, v1);
  EXPECT_EQ(std::count(live_.topics.begin(), live_.topics.end(), "policy.activated"), 2);
}

// In a cluster another node activates a version in the shared store: this
// node's next tick decides with it, without announcing it a second time.
TEST_F(PolicyServiceTest, AVersionActivatedElsewhereDecidesHereAfterTheNextTick) {
  const std::string v1 = engine_->policy()->version();
  policy::CompileResult other = policy::CompileText(Policy(500), "other-node.yaml");
  ASSERT_TRUE(other.ok());
  const std::string v2 = other.program->version();
  ASSERT_THAT(store_->SavePolicyVersion({v2, "policy-test", Policy(500), "other-admin", clock_.Now()}), IsOk());
  ASSERT_THAT(store_->ActivatePolicy(v2, "other-admin", clock_.Now()), IsOk());
  EXPECT_EQ(engine_->policy()->version(), v1) << "not before the tick";
  const size_t published = live_.topics.size();
  ASSERT_THAT(gateway_->Tick(), IsOk());
  EXPECT_EQ(engine_->policy()->version(), v2);
  auto r = gateway_->events().Submit(agent_, Refund("c-elsewhere", 120));
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(r->task_id.empty()) << "the 500 EUR limit of the version activated elsewhere applies";
  EXPECT_EQ(std::count(live_.topics.begin() + static_cast<std::ptrdiff_t>(published), live_.topics.end(),
                       "policy.activated"),
            0);
}

// A version this build cannot compile (a newer node's, mid-upgrade) leaves
// the one it has deciding, and the tick's other work goes on.
TEST_F(PolicyServiceTest, AnActiveVersionThatDoesNotCompileHereLeavesTheCurrentOneDeciding) {
  const std::string v1 = engine_->policy()->version();
  ASSERT_THAT(store_->SavePolicyVersion({"sha256:from-a-newer-build", "policy-test", "policy: [unclosed",
                                         "other-admin", clock_.Now()}),
              IsOk());
  ASSERT_THAT(store_->ActivatePolicy("sha256:from-a-newer-build", "other-admin", clock_.Now()), IsOk());
  EXPECT_THAT(policies().FollowActivePolicy(), IsError(ErrorCode::kFailedPrecondition));
  EXPECT_THAT(gateway_->Tick(), IsOk());
  EXPECT_EQ(engine_->policy()->version(), v1);
}

TEST_F(PolicyServiceTest, ActivatingAnUnknownVersionIsRefusedAndChangesNothing) {
  const std::string active = engine_->policy()->version();
  const size_t published = live_.topics.size();
  EXPECT_THAT(policies().ActivatePolicy(admin_, "sha256:nope"),
              IsErrorWith(ErrorCode::kNotFound, HasSubstr("sha256:nope")));
  // "active" is an alias for reading only, not a version to activate.
  EXPECT_THAT(policies().ActivatePolicy(admin_, "active"), IsError(ErrorCode::kNotFound));
  EXPECT_EQ(engine_->policy()->version(), active);
  EXPECT_EQ(live_.topics.size(), published);
  EXPECT_THAT(policies().GetPolicy(admin_, "sha256:nope"), IsError(ErrorCode::kNotFound));
}

TEST_F(PolicyServiceTest, PolicyTestCasesReportPassesAndFailures) {
  const std::string cases = R"(cases:
  - name: big refund is held
    steps:
      - event: {interaction_id: c1, customer_id: u1, workflow: w, type: ai_proposal, text: ok,
                action: {name: refund, amount: 150, currency: EUR}}
        expect: {decision: hold, rules: [big-refund], queue: billing}
  - name: wrong expectation
    steps:
      - event: {interaction_id: c2, customer_id: u1, workflow: w, type: ai_proposal, text: ok,
                action: {name: refund, amount: 10, currency: EUR}}
        expect: {decision: hold}
)";
  auto report = policies().TestPolicy(admin_, Policy(100), cases);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->cases, 2);
  EXPECT_EQ(report->passed, 1);
  ASSERT_EQ(report->failures.size(), 1u);
  EXPECT_THAT(report->failures[0], HasSubstr("expected decision hold"));
  EXPECT_THAT(policies().TestPolicy(reviewer_, Policy(100), cases),
              IsError(ErrorCode::kPermissionDenied));
}

TEST_F(PolicyServiceTest, PolicyTestsOfATextThatDoesNotCompileFailWithItsIssues) {
  auto report = policies().TestPolicy(admin_, "policy: [", "cases: []");
  ASSERT_THAT(report, IsOk());
  EXPECT_FALSE(report->ok());
  EXPECT_EQ(report->cases, 0);
  EXPECT_THAT(report->failures.at(0), HasSubstr("policy.yaml"));
  auto bad_cases = policies().TestPolicy(admin_, Policy(100), "cases: {");
  ASSERT_THAT(bad_cases, IsOk());
  EXPECT_FALSE(bad_cases->ok());
  EXPECT_THAT(bad_cases->failures.at(0), HasSubstr("cases.yaml"));
}

TEST_F(PolicyServiceTest, NoShadowUntilOneIsSet) {
  auto report = policies().Shadow(admin_);
  ASSERT_THAT(report, IsOk());
  EXPECT_FALSE(report->shadow.has_value());
  EXPECT_EQ(report->active.version, engine_->policy()->version());
  EXPECT_EQ(codec::ShadowReportJson(*report), R"({"active":{"name":"policy-test","version":")" +
                                                  report->active.version + R"("},"shadow":null})");
}

TEST_F(PolicyServiceTest, ShadowCountsDisagreementWithoutChangingDecisions) {
  const std::string version = UploadCandidate();
  auto set = policies().SetShadowPolicy(admin_, version);
  ASSERT_THAT(set, IsOk());
  ASSERT_TRUE(set->shadow.has_value());
  EXPECT_EQ(set->shadow->policy.version, version);
  EXPECT_EQ(set->shadow->since, clock_.Now());
  auto held = gateway_->events().Submit(agent_, Refund("c-1", 150));
  ASSERT_THAT(held, IsOk());
  // The active policy still decides: a 150 EUR refund is held.
  EXPECT_THAT(held->decision_json, HasSubstr("\"decision\":\"hold\""));
  EXPECT_FALSE(held->task_id.empty());
  ASSERT_THAT(gateway_->events().Submit(agent_, Refund("c-2", 50)), IsOk());
  auto report = policies().Shadow(admin_);
  ASSERT_THAT(report, IsOk());
  ASSERT_TRUE(report->shadow.has_value());
  const measure::DecisionComparison& c = report->shadow->comparison;
  EXPECT_EQ(c.events(), 2);
  EXPECT_EQ(c.changed(), 1);
  EXPECT_EQ(c.changes()[static_cast<int>(engine::Outcome::kHold)]
                       [static_cast<int>(engine::Outcome::kAllow)],
            1);
  EXPECT_THAT(codec::ShadowReportJson(*report),
              HasSubstr(R"({"from":"hold","to":"allow","count":1})"));
}

TEST_F(PolicyServiceTest, StoppingClearsTheShadowAndBothAreAudited) {
  const std::string version = UploadCandidate();
  ASSERT_THAT(policies().SetShadowPolicy(admin_, version), IsOk());
  auto stopped = policies().SetShadowPolicy(admin_, "");
  ASSERT_THAT(stopped, IsOk());
  EXPECT_FALSE(stopped->shadow.has_value());
  EXPECT_FALSE(policies().Shadow(admin_)->shadow.has_value());
  // With none set, events are decided as before and nothing is tallied.
  ASSERT_THAT(gateway_->events().Submit(agent_, Refund("c-3", 150)), IsOk());
  EXPECT_EQ(AuditCount("shadow_policy_set"), 1);
  EXPECT_EQ(AuditCount("shadow_policy_cleared"), 1);
}

TEST_F(PolicyServiceTest, ShadowOfAnUnknownVersionAndAgentsAreRefused) {
  EXPECT_THAT(policies().SetShadowPolicy(admin_, "sha256:nope"),
              IsErrorWith(ErrorCode::kNotFound, HasSubstr("no policy")));
  EXPECT_THAT(policies().SetShadowPolicy(agent_, ""),
              IsErrorWith(ErrorCode::kPermissionDenied, HasSubstr("manage")));
  EXPECT_THAT(policies().Shadow(agent_),
              IsErrorWith(ErrorCode::kPermissionDenied, HasSubstr("read_metrics")));
  EXPECT_EQ(AuditCount("shadow_policy_set"), 0);
}

TEST_F(PolicyServiceTest, ReplayDecidesRecordedHistoryWithTheCandidate) {
  ASSERT_THAT(gateway_->events().Submit(agent_, Refund("r-1", 150)), IsOk());
  clock_.Advance(std::chrono::minutes(30));
  ASSERT_THAT(gateway_->events().Submit(agent_, Refund("r-2", 50)), IsOk());
  ReplayRequest request;
  request.version = UploadCandidate();
  auto report = policies().ReplayPolicy(admin_, request);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->candidate.version, request.version);
  EXPECT_EQ(report->active.version, engine_->policy()->version());
  EXPECT_EQ(report->events, 2);
  EXPECT_EQ(report->interactions, 2);
  EXPECT_FALSE(report->truncated);
  ASSERT_TRUE(report->events_per_hour.has_value());
  EXPECT_DOUBLE_EQ(*report->events_per_hour, 4.0);  // 2 events over half an hour
  EXPECT_EQ(report->comparison.changed(), 1);       // the 150 EUR refund: hold -> allow
}

TEST_F(PolicyServiceTest, ReplayRefusesAnUnknownVersionAnEmptyRangeAndAgents) {
  ReplayRequest request;
  request.version = "sha256:nope";
  EXPECT_THAT(policies().ReplayPolicy(admin_, request), IsError(ErrorCode::kNotFound));
  request.version = "active";
  request.from = clock_.Now();
  request.to = clock_.Now();
  EXPECT_THAT(policies().ReplayPolicy(admin_, request), IsError(ErrorCode::kInvalidArgument));
  request.to = TimePoint::max();
  request.max_events = 0;
  EXPECT_THAT(policies().ReplayPolicy(admin_, request), IsError(ErrorCode::kInvalidArgument));
  request.max_events = 10;
  EXPECT_THAT(policies().ReplayPolicy(agent_, request), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(policies().ReplayPolicy(admin_, request), IsOk());
}

}  // namespace
}  // namespace hitlgate::gateway
