// SupervisionService below HTTP: supervisors' controls (pause, hold next
// turn, take over) as the event path applies them, their audit records,
// their scoping by workflow, and the live board, with a real engine, the
// in-memory store and a fake clock.
#include "hitlgate/gateway/supervision_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "gateway/testing/gateway_fixture.h"
#include "hitlgate/codec/supervision_json.h"
#include "hitlgate/gateway/gateway.h"
#include "testing/result_matchers.h"

namespace hitlgate::gateway {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsErrorWith;
using ::hitlgate::testing::IsOk;
using ::testing::HasSubstr;

constexpr std::string_view kPolicy = R"(policy: supervision-test
queues:
  general: {skills: [], sla_seconds: 300}
  billing: {skills: [], sla_seconds: 120, priority: 2}
  supervisors: {skills: [], sla_seconds: 60, priority: 1}
defaults:
  oversight: hotl
  queue: general
workflows:
  shop-bot:
    oversight: hotl
  travel-bot:
    oversight: hotl
rules:
  - name: refunds-over-100
    when: {action_value_above: {action: refund, limits: {EUR: 100}}}
    decision: hold
    queue: billing
)";

class SupervisionServiceTest : public testing::GatewayFixture {
 protected:
  SupervisionServiceTest() : GatewayFixture(std::string(kPolicy)) {
    shop_ = MakeKey("shop agent", store::Role::kAgent, {}, {"shop-bot"});
    travel_ = MakeKey("travel agent", store::Role::kAgent, {}, {"travel-bot"});
    reviewer_ = MakeKey("reviewer", store::Role::kReviewer);
    supervisor_ = MakeKey("supervisor", store::Role::kSupervisor);
  }

  SupervisionService& supervision() { return gateway_->supervision(); }

  std::string Refund(std::string_view workflow, std::string_view interaction, double amount) {
    return std::string(R"({"interaction_id":")") + std::string(interaction) +
           R"(","customer_id":"u-1","workflow":")" + std::string(workflow) +
           R"(","type":"ai_proposal","text":"Refunded.","action":{"name":"refund","amount":)" +
           std::to_string(amount) + R"(,"currency":"EUR"}})";
  }

  // The answer to a proposal of `workflow`'s agent.
  SubmitResult Propose(std::string_view workflow, std::string_view interaction,
                       double amount = 20) {
    const Principal& agent = workflow == "travel-bot" ? travel_ : shop_;
    auto r = gateway_->events().Submit(agent, Refund(workflow, interaction, amount));
    EXPECT_THAT(r, IsOk());
    return r ? *r : SubmitResult{};
  }

  int AuditCount(std::string_view kind) {
    auto records = store_->ReadAudit(1, 10000);
    EXPECT_THAT(records, IsOk());
    if (!records) return 0;
    return static_cast<int>(
        std::count_if(records->begin(), records->end(),
                      [&](const audit::AuditRecord& r) { return r.kind == kind; }));
  }

  Principal shop_, travel_, reviewer_, supervisor_;
};

TEST_F(SupervisionServiceTest, PausedWorkflowHoldsEveryProposalUntilResumedAndBothAreAudited) {
  EXPECT_THAT(supervision().PauseWorkflow(reviewer_, "shop-bot", "x"),
              IsError(ErrorCode::kPermissionDenied));
  auto paused = supervision().PauseWorkflow(supervisor_, "shop-bot", "incident 7");
  ASSERT_THAT(paused, IsOk());
  EXPECT_FALSE(paused->cleared);
  EXPECT_EQ(paused->control.kind, store::ControlKind::kWorkflowPaused);
  EXPECT_EQ(paused->control.actor, supervisor_.key_id);
  const SubmitResult held = Propose("shop-bot", "p-1");
  EXPECT_FALSE(held.task_id.empty());
  EXPECT_THAT(held.decision_json, HasSubstr(R"("trigger":"workflow_paused")"));
  EXPECT_THAT(held.decision_json, HasSubstr("incident 7"));
  auto task = store_->GetTask(held.task_id);
  ASSERT_THAT(task, IsOk());
  EXPECT_EQ(task->queue, "supervisors");  // no rule routed it: the escalation queue
  auto board = supervision().Workflows(supervisor_);
  ASSERT_THAT(board, IsOk());
  auto shop = std::find_if(board->workflows.begin(), board->workflows.end(),
                           [](const WorkflowStatus& s) { return s.name == "shop-bot"; });
  ASSERT_NE(shop, board->workflows.end());
  EXPECT_TRUE(shop->paused);
  EXPECT_EQ(shop->paused_by_name, "supervisor");
  auto resumed = supervision().ResumeWorkflow(supervisor_, "shop-bot");
  ASSERT_THAT(resumed, IsOk());
  EXPECT_TRUE(resumed->cleared);
  EXPECT_TRUE(Propose("shop-bot", "p-2").task_id.empty());
  EXPECT_THAT(supervision().ResumeWorkflow(supervisor_, "shop-bot"), IsError(ErrorCode::kNotFound));
  EXPECT_EQ(AuditCount("control_set"), 1);
  EXPECT_EQ(AuditCount("control_cleared"), 1);
  EXPECT_EQ(std::count(live_.topics.begin(), live_.topics.end(), "control.set"), 1);
}

// A supervisor's key is scoped to its workflows (issue 13): one made for
// travel-bot cannot pause, hold or take over shop-bot, and its board and
// statistics show travel-bot alone.
TEST_F(SupervisionServiceTest, ASupervisorOfOneWorkflowCannotControlOrWatchAnother) {
  const Principal travel_lead = MakeKey("travel lead", store::Role::kSupervisor, {}, {"travel-bot"});
  Propose("shop-bot", "s-1");
  Propose("travel-bot", "t-1");
  EXPECT_THAT(supervision().PauseWorkflow(travel_lead, "shop-bot", "x"), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(supervision().TakeOver(travel_lead, "s-1", "x", ""), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(supervision().HoldNextTurn(travel_lead, "s-1", "x", "shop-bot"), IsError(ErrorCode::kPermissionDenied));
  EXPECT_EQ(AuditCount("control_set"), 0);
  EXPECT_TRUE(Propose("shop-bot", "s-1").task_id.empty()) << "shop-bot runs on, untouched";

  ASSERT_THAT(supervision().PauseWorkflow(supervisor_, "shop-bot", "incident"), IsOk());
  ASSERT_THAT(supervision().PauseWorkflow(travel_lead, "travel-bot", "drill"), IsOk());
  auto board = supervision().Workflows(travel_lead);
  ASSERT_THAT(board, IsOk());
  ASSERT_EQ(board->workflows.size(), 1u);
  EXPECT_EQ(board->workflows[0].name, "travel-bot");
  ASSERT_EQ(board->controls.size(), 1u) << "shop-bot's pause is not this key's to see";
  EXPECT_EQ(board->controls[0].target, "travel-bot");
  auto stats = supervision().Stats(travel_lead, std::chrono::hours(1));
  ASSERT_THAT(stats, IsOk());
  ASSERT_EQ(stats->workflows.size(), 1u);
  EXPECT_EQ(stats->workflows[0].stats.workflow, "travel-bot");
  auto everything = supervision().Workflows(supervisor_);
  ASSERT_THAT(everything, IsOk());
  EXPECT_EQ(everything->workflows.size(), 2u) << "a key for every workflow sees both";
}

TEST_F(SupervisionServiceTest, PausingOneWorkflowLeavesAnotherUnaffected) {
  ASSERT_THAT(supervision().PauseWorkflow(supervisor_, "shop-bot", ""), IsOk());
  EXPECT_TRUE(Propose("travel-bot", "o-1").task_id.empty());
  EXPECT_FALSE(Propose("shop-bot", "o-1").task_id.empty());
}

TEST_F(SupervisionServiceTest, HoldNextHoldsExactlyOneTurnOfThatInteraction) {
  auto set = supervision().HoldNextTurn(supervisor_, "h-1", "check tone", "shop-bot");
  ASSERT_THAT(set, IsOk());
  EXPECT_EQ(set->control.target, "shop-bot/h-1");
  EXPECT_EQ(
      codec::ControlChangeJson(*set),
      R"({"kind":"hold_next","target":"shop-bot/h-1","workflow":"shop-bot","interaction_id":"h-1",)"
      R"("actor":")" +
          supervisor_.key_id + R"(","reason":"check tone","at":"2026-11-22T10:00:00Z"})");
  const SubmitResult first = Propose("shop-bot", "h-1");
  EXPECT_FALSE(first.task_id.empty());
  EXPECT_THAT(first.decision_json, HasSubstr(R"("trigger":"hold_next")"));
  EXPECT_TRUE(Propose("shop-bot", "h-1").task_id.empty());
  EXPECT_TRUE(Propose("shop-bot", "h-2").task_id.empty());  // another interaction never was
  EXPECT_TRUE(supervision().Controls().empty());
}

TEST_F(SupervisionServiceTest, HoldNextIsNotUsedUpByAnotherWorkflowsAgent) {
  ASSERT_THAT(supervision().HoldNextTurn(supervisor_, "ctl-1", "check", "shop-bot"), IsOk());
  EXPECT_TRUE(Propose("travel-bot", "ctl-1").task_id.empty())
      << "the same id in another workflow is not held";
  EXPECT_FALSE(Propose("shop-bot", "ctl-1").task_id.empty())
      << "the hold was still there for this workflow";
}

TEST_F(SupervisionServiceTest, AgentsMayNotSetControlsEvenInTheirOwnWorkflow) {
  EXPECT_THAT(supervision().HoldNextTurn(shop_, "x-1", "", "shop-bot"),
              IsErrorWith(ErrorCode::kPermissionDenied, HasSubstr("supervise")));
  EXPECT_THAT(supervision().TakeOver(shop_, "x-1", "", "shop-bot"),
              IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(supervision().PauseWorkflow(shop_, "shop-bot", ""),
              IsError(ErrorCode::kPermissionDenied));
  EXPECT_TRUE(supervision().Controls().empty());
  EXPECT_EQ(AuditCount("control_set"), 0);
  EXPECT_TRUE(Propose("shop-bot", "x-1").task_id.empty());
}

TEST_F(SupervisionServiceTest, TakingOverAnInteractionLeavesTheSameIdOfAnotherWorkflowUnaffected) {
  ASSERT_THAT(supervision().TakeOver(supervisor_, "x-2", "", "shop-bot"), IsOk());
  EXPECT_THAT(Propose("travel-bot", "x-2").decision_json,
              HasSubstr(R"("decision":"allow_monitored")"));
  EXPECT_THAT(Propose("shop-bot", "x-2").decision_json, HasSubstr(R"("decision":"block")"));
}

TEST_F(SupervisionServiceTest, InteractionWithoutANamedWorkflowIsFoundInTheStore) {
  EXPECT_THAT(supervision().TakeOver(supervisor_, "never-seen", ""), IsError(ErrorCode::kNotFound));
  Propose("shop-bot", "both");
  Propose("travel-bot", "both");
  EXPECT_THAT(supervision().TakeOver(supervisor_, "both", ""),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("?workflow=")));
  Propose("shop-bot", "one");
  auto taken = supervision().TakeOver(supervisor_, "one", "");
  ASSERT_THAT(taken, IsOk());
  EXPECT_EQ(taken->control.target, "shop-bot/one");
}

TEST_F(SupervisionServiceTest, TakenOverConversationBlocksTheAiUntilHandedBack) {
  ASSERT_THAT(supervision().TakeOver(supervisor_, "t-1", "", "shop-bot"), IsOk());
  const SubmitResult blocked = Propose("shop-bot", "t-1");
  EXPECT_THAT(blocked.decision_json, HasSubstr(R"("decision":"block")"));
  EXPECT_TRUE(blocked.task_id.empty());
  auto back = supervision().HandBack(supervisor_, "t-1");
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(codec::ControlChangeJson(*back),
            R"({"kind":"taken_over","target":"shop-bot/t-1","cleared":true})");
  EXPECT_THAT(Propose("shop-bot", "t-1").decision_json,
              HasSubstr(R"("decision":"allow_monitored")"));
}

TEST_F(SupervisionServiceTest, ControlsSetByAnotherNodeApplyAfterRefresh) {
  ASSERT_THAT(store_->SetControl(store::Control{store::ControlKind::kWorkflowPaused, "travel-bot",
                                                "k-other", "from node 2", clock_.Now()}),
              IsOk());
  EXPECT_TRUE(supervision().Controls().empty());
  ASSERT_THAT(supervision().RefreshControls(), IsOk());
  ASSERT_EQ(supervision().Controls().size(), 1u);
  EXPECT_FALSE(Propose("travel-bot", "n-1").task_id.empty());
}

TEST_F(SupervisionServiceTest, ControlsOnAnUndeclaredWorkflowAreRefusedNamingItAndChangeNothing) {
  EXPECT_THAT(supervision().PauseWorkflow(supervisor_, "ghost-bot", "incident"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("workflow 'ghost-bot' is not a workflow")));
  EXPECT_THAT(supervision().HoldNextTurn(supervisor_, "g-1", "check", "ghost-bot"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'ghost-bot'")));
  EXPECT_THAT(supervision().TakeOver(supervisor_, "g-1", "mine", "ghost-bot"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'ghost-bot'")));
  EXPECT_TRUE(supervision().Controls().empty());
  auto stored = store_->ListControls();
  ASSERT_THAT(stored, IsOk());
  EXPECT_TRUE(stored->empty());
  EXPECT_EQ(AuditCount("control_set"), 0);
  EXPECT_EQ(std::count(live_.topics.begin(), live_.topics.end(), "control.set"), 0);
  auto board = supervision().Workflows(supervisor_);
  ASSERT_THAT(board, IsOk());
  EXPECT_TRUE(board->workflows.empty()) << "no board row for a name nobody declared";
}

TEST_F(SupervisionServiceTest, AWorkflowDroppedFromThePolicyTakesNoNewControlsButItsOldOnesCanBeCleared) {
  Propose("travel-bot", "old-1");
  Propose("travel-bot", "old-2");
  ASSERT_THAT(supervision().PauseWorkflow(supervisor_, "travel-bot", "incident"), IsOk());
  ASSERT_THAT(supervision().TakeOver(supervisor_, "old-1", "mine"), IsOk());
  std::string shop_only(kPolicy);
  shop_only.erase(shop_only.find("  travel-bot:\n"), std::string_view("  travel-bot:\n    oversight: hotl\n").size());
  ASSERT_THAT(gateway_->policies().UploadPolicy(admin_, shop_only, true), IsOk());

  EXPECT_THAT(supervision().TakeOver(supervisor_, "old-2", "mine"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'travel-bot'")))
      << "the interaction's workflow, found in the store, is checked too";
  EXPECT_THAT(supervision().HoldNextTurn(supervisor_, "old-2", "", "travel-bot"),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(supervision().HandBack(supervisor_, "old-1"), IsOk());
  EXPECT_THAT(supervision().ResumeWorkflow(supervisor_, "travel-bot"), IsOk());
  EXPECT_TRUE(supervision().Controls().empty());
}

TEST_F(SupervisionServiceTest, AKeyOfOneWorkflowCannotPauseHoldOrTakeOverInAnother) {
  // Only agent keys are scoped by workflow, and agents set no controls; the
  // refusal must hold for another workflow's conversations all the same.
  Propose("travel-bot", "tr-1");
  EXPECT_THAT(supervision().PauseWorkflow(shop_, "travel-bot", ""), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(supervision().HoldNextTurn(shop_, "tr-1", "", "travel-bot"),
              IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(supervision().HoldNextTurn(shop_, "tr-1", ""), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(supervision().TakeOver(shop_, "tr-1", "", "travel-bot"), IsError(ErrorCode::kPermissionDenied));
  EXPECT_THAT(supervision().ResumeWorkflow(shop_, "travel-bot"), IsError(ErrorCode::kPermissionDenied));
  EXPECT_TRUE(supervision().Controls().empty());
  EXPECT_EQ(AuditCount("control_set"), 0);
  EXPECT_THAT(Propose("travel-bot", "tr-1").decision_json, HasSubstr(R"("decision":"allow_monitored")"));
}

TEST_F(SupervisionServiceTest, StatsRaiseAnEscalationAlertWithTheConversationsBehindIt) {
  for (int i = 0; i < 25; ++i)
    EXPECT_FALSE(Propose("shop-bot", "s-" + std::to_string(i), 150).task_id.empty());
  auto stats = supervision().Stats(supervisor_, std::chrono::hours(1));
  ASSERT_THAT(stats, IsOk());
  ASSERT_EQ(stats->workflows.size(), 1u);
  EXPECT_EQ(stats->workflows[0].stats.workflow, "shop-bot");
  EXPECT_EQ(stats->workflows[0].stats.escalations, 25);
  EXPECT_EQ(stats->workflows[0].open_tasks, 25);
  ASSERT_FALSE(stats->alerts.empty());
  EXPECT_EQ(stats->alerts[0].kind, "escalation_rate");
  EXPECT_EQ(stats->alerts[0].interactions.at(0), "s-24");
  EXPECT_THAT(codec::LiveStatsJson(*stats),
              HasSubstr(R"("window_seconds":3600,"at":"2026-11-22T10:00:00Z")"));
  EXPECT_THAT(supervision().Stats(shop_, std::chrono::hours(1)),
              IsError(ErrorCode::kPermissionDenied));
}

TEST_F(SupervisionServiceTest, StatsCountEveryOpenTaskPastAThousand) {
  constexpr int kHeld = 1005;
  for (int i = 0; i < kHeld; ++i) Propose("shop-bot", "big-" + std::to_string(i), 150);
  Propose("travel-bot", "tr-1", 150);
  auto stats = supervision().Stats(supervisor_, std::chrono::hours(1));
  ASSERT_THAT(stats, IsOk());
  std::map<std::string, std::int64_t> open;
  for (const auto& row : stats->workflows) open[row.stats.workflow] = row.open_tasks;
  EXPECT_EQ(open, (std::map<std::string, std::int64_t>{{"shop-bot", kHeld}, {"travel-bot", 1}}));
}

TEST_F(SupervisionServiceTest, StatsReturnTheStoresErrorRatherThanNoOpenTasks) {
  Propose("shop-bot", "e-1", 150);
  faults_.fail_counts = 1;
  EXPECT_THAT(supervision().Stats(supervisor_, std::chrono::hours(1)), IsError(ErrorCode::kUnavailable));
  auto stats = supervision().Stats(supervisor_, std::chrono::hours(1));
  ASSERT_THAT(stats, IsOk());
  ASSERT_EQ(stats->workflows.size(), 1u);
  EXPECT_EQ(stats->workflows[0].open_tasks, 1);
}

}  // namespace
}  // namespace hitlgate::gateway
