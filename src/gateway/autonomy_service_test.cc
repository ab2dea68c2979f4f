// Earned autonomy through the gateway: held refunds approved by reviewers
// become evidence, a promotion waits for a supervisor's sign-off, then
// applies to new events (floors still hold), proposals it lets through are
// audit-sampled, a severe audit flag demotes at once, and a restarted
// gateway replays the audit log to the same levels.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hitlgate/common/time_format.h"
#include "hitlgate/engine/memory_conversation_store.h"
#include "hitlgate/gateway/gateway.h"
#include "hitlgate/store/memory_store.h"
#include "gateway/testing/gateway_fixture.h"
#include "testing/result_matchers.h"

namespace hitlgate::gateway {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsOk;
using ::testing::HasSubstr;
namespace json = boost::json;

constexpr std::string_view kPolicy = R"(policy: autonomy-test
queues:
  general: {skills: [], sla_seconds: 300}
  supervisors: {skills: [], sla_seconds: 60, priority: 1}
defaults:
  oversight: hotl
  queue: general
workflows:
  shop:
    oversight: hotl
    actions: {refund: hitl}
floors:
  - name: big-refunds
    when: {action_value_above: {action: refund, limits: {EUR: 500}}}
    decision: hold
audit:
  sample_rate: 0.0
)";

class GatewayAutonomyTest : public testing::GatewayFixture {
 protected:
  GatewayAutonomyTest() : GatewayFixture(std::string(kPolicy)) {
    agent_ = MakeKey("agent", store::Role::kAgent);
    reviewer_ = MakeKey("reviewer", store::Role::kReviewer);
    supervisor_ = MakeKey("supervisor", store::Role::kSupervisor);
    auditor_ = MakeKey("auditor", store::Role::kAuditor);
  }

  SubmitResult Refund(const std::string& id, double amount) {
    auto r = gateway_->events().Submit(agent_, R"({"interaction_id":")" + id +
                                               R"(","customer_id":"u-1","workflow":"shop","type":"ai_proposal",
        "text":"Refunded.","intent":"return_item","confidence":0.9,
        "action":{"name":"refund","amount":)" + std::to_string(amount) +
                                               R"(,"currency":"EUR","params":{"order":"A-1"}}})");
    EXPECT_THAT(r, IsOk());
    return r.value_or(SubmitResult{});
  }

  // Claims `task_id` as `who` and answers it.
  Result<store::Task> Answer(const Principal& who, const std::string& task_id, store::VerdictKind kind,
                             std::string reason = "") {
    auto claimed = gateway_->review().Claim(who, task_id);
    HITLGATE_RETURN_IF_ERROR(claimed);
    VerdictRequest v;
    if (!claimed->task.lease) return MakeError(ErrorCode::kInternal, "a claim without a lease");
    v.lease_id = claimed->task.lease->lease_id;
    v.kind = kind;
    v.reason = std::move(reason);
    return gateway_->review().SubmitVerdict(who, task_id, v);
  }

  // `n` held 50 EUR refunds, each approved unchanged by the reviewer.
  void ApprovedRefunds(int n, const std::string& prefix) {
    for (int i = 0; i < n; ++i) {
      SubmitResult r = Refund(prefix + std::to_string(i), 50);
      ASSERT_FALSE(r.task_id.empty()) << r.decision_json;
      ASSERT_THAT(Answer(reviewer_, r.task_id, store::VerdictKind::kApproved), IsOk());
    }
  }

  AutonomyReport Report() {
    auto report = gateway_->autonomy().Report(supervisor_);
    EXPECT_THAT(report, IsOk());
    return report.value_or(AutonomyReport{});
  }

  static const AutonomyLevelView* Level(const AutonomyReport& report, std::string_view subject) {
    for (const AutonomyLevelView& l : report.levels) {
      if (l.key.subject == subject) return &l;
    }
    return nullptr;
  }

  // The sign-off task the promotion opened (from GET /v1/autonomy).
  std::string PendingTask() {
    const AutonomyReport report = Report();
    const AutonomyLevelView* refund = Level(report, "action:refund");
    return refund == nullptr ? "" : refund->pending_task_id;
  }

  Principal agent_, reviewer_, supervisor_, auditor_;
};

TEST_F(GatewayAutonomyTest, PromotionWaitsForASupervisorsSignOffThenAppliesToNewEvents) {
  ApprovedRefunds(30, "p-");
  ASSERT_THAT(gateway_->autonomy().Sync(), IsOk());
  const std::string task = PendingTask();
  ASSERT_FALSE(task.empty());
  const AutonomyReport report = Report();
  const AutonomyLevelView* refund = Level(report, "action:refund");
  ASSERT_NE(refund, nullptr);
  EXPECT_EQ(refund->level, engine::Oversight::kHitl);
  EXPECT_EQ(refund->pending_to, engine::Oversight::kHotl);
  EXPECT_EQ(refund->evidence.cases, 30);
  EXPECT_GE(refund->evidence.lower, 0.90);
  // Not applied before the sign-off.
  EXPECT_FALSE(Refund("before", 50).task_id.empty());
  // A reviewer may not relax oversight.
  EXPECT_THAT(gateway_->review().Claim(reviewer_, task), IsError(ErrorCode::kPermissionDenied));
  ASSERT_THAT(Answer(supervisor_, task, store::VerdictKind::kApproved), IsOk());
  ASSERT_THAT(gateway_->autonomy().Sync(), IsOk());
  EXPECT_EQ(AuditCount("autonomy_changed"), 1);

  SubmitResult earned = Refund("after", 50);
  EXPECT_TRUE(earned.task_id.empty() || earned.decision_json.find(R"("audit_sample":true)") != std::string::npos);
  EXPECT_THAT(earned.decision_json, HasSubstr(R"("decision":"allow_monitored")"));
  EXPECT_THAT(earned.decision_json, HasSubstr("earned_autonomy"));
  // The floor still holds.
  SubmitResult big = Refund("big", 600);
  EXPECT_THAT(big.decision_json, HasSubstr(R"("decision":"hold")"));
  EXPECT_FALSE(big.task_id.empty());
}

TEST_F(GatewayAutonomyTest, RejectedSignOffChangesNothing) {
  ApprovedRefunds(30, "p-");
  ASSERT_THAT(gateway_->autonomy().Sync(), IsOk());
  ASSERT_THAT(Answer(supervisor_, PendingTask(), store::VerdictKind::kRejected, "not yet"), IsOk());
  ASSERT_THAT(gateway_->autonomy().Sync(), IsOk());
  EXPECT_EQ(PendingTask(), "");
  EXPECT_FALSE(Refund("still-held", 50).task_id.empty());
  EXPECT_EQ(AuditCount("autonomy_changed"), 0);
}

TEST_F(GatewayAutonomyTest, EarnedProposalsAreAuditSampledAndASevereFlagDemotes) {
  ApprovedRefunds(30, "p-");
  ASSERT_THAT(gateway_->autonomy().Sync(), IsOk());
  ASSERT_THAT(Answer(supervisor_, PendingTask(), store::VerdictKind::kApproved), IsOk());
  ASSERT_THAT(gateway_->autonomy().Sync(), IsOk());
  // At HOTL a fifth of the proposals are sampled (deterministically by event).
  std::vector<std::string> samples;
  for (int i = 0; i < 50; ++i) {
    SubmitResult r = Refund("e-" + std::to_string(i), 50);
    if (!r.task_id.empty()) samples.push_back(r.task_id);
  }
  EXPECT_GT(samples.size(), 2u);
  EXPECT_LT(samples.size(), 25u);
  // An auditor finds a wrong amount in autonomous work: back to HITL at once.
  ASSERT_THAT(Answer(auditor_, samples.front(), store::VerdictKind::kRejected, "wrong_amount: refunded twice"),
              IsOk());
  ASSERT_THAT(gateway_->autonomy().Sync(), IsOk());
  EXPECT_EQ(Level(Report(), "action:refund")->level, engine::Oversight::kHitl);
  EXPECT_EQ(AuditCount("autonomy_changed"), 2);  // the sign-off and the demotion
  SubmitResult held = Refund("after-demotion", 50);
  EXPECT_THAT(held.decision_json, HasSubstr(R"("decision":"hold")"));
}

TEST_F(GatewayAutonomyTest, RestartReplaysTheAuditLogToTheSameLevels) {
  ApprovedRefunds(30, "p-");
  ASSERT_THAT(gateway_->autonomy().Sync(), IsOk());
  ASSERT_THAT(Answer(supervisor_, PendingTask(), store::VerdictKind::kApproved), IsOk());
  ASSERT_THAT(gateway_->autonomy().Sync(), IsOk());
  Start();
  // Before the first sync nothing is earned (the engine keeps the baseline)...
  EXPECT_FALSE(Refund("cold", 50).task_id.empty());
  ASSERT_THAT(gateway_->autonomy().Sync(), IsOk());
  EXPECT_EQ(Level(Report(), "action:refund")->level, engine::Oversight::kHotl);
  // ...and the replay wrote nothing new.
  EXPECT_EQ(AuditCount("autonomy_changed"), 1);
  EXPECT_THAT(Refund("warm", 50).decision_json, HasSubstr(R"("decision":"allow_monitored")"));
}

// In a cluster only the node leading the periodic work (Store::
// LeadPeriodicWork) opens sign-off tasks; the others follow the log. When
// the lead passes to this node, it opens the task its predecessor had not.
TEST_F(GatewayAutonomyTest, AFollowerTracksThePromotionButOnlyTheLeaderOpensItsTask) {
  ApprovedRefunds(30, "p-");
  ASSERT_THAT(gateway_->autonomy().Sync(/*write_side_effects=*/false), IsOk());
  const AutonomyReport followed = Report();
  const AutonomyLevelView* refund = Level(followed, "action:refund");
  ASSERT_NE(refund, nullptr);
  EXPECT_EQ(refund->pending_to, engine::Oversight::kHotl);
  EXPECT_EQ(refund->pending_task_id, "");
  EXPECT_EQ(AuditCount("task_created") , 30);  // the 30 holds, no sign-off task

  ASSERT_THAT(gateway_->autonomy().Sync(/*write_side_effects=*/true), IsOk());
  EXPECT_FALSE(PendingTask().empty());
  EXPECT_EQ(AuditCount("task_created"), 31);
  ASSERT_THAT(gateway_->autonomy().Sync(true), IsOk());  // once only
  EXPECT_EQ(AuditCount("task_created"), 31);
}

TEST_F(GatewayAutonomyTest, OnlySupervisorsAuditorsAndAdminsReadLevels) {
  EXPECT_THAT(gateway_->autonomy().Report(auditor_), IsOk());
  EXPECT_THAT(gateway_->autonomy().Report(admin_), IsOk());
  EXPECT_THAT(gateway_->autonomy().Report(reviewer_), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(gateway_->autonomy().Report(agent_), IsError(ErrorCode::kPermissionDenied));
}

}  // namespace
}  // namespace hitlgate::gateway
