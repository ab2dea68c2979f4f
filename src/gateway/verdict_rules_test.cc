// Every role x verdict kind x task kind: which verdicts a task takes and
// which approve an action (and so get a receipt).
#include "gateway/verdict_rules.h"

#include <gtest/gtest.h>

#include "hitlgate/codec/json.h"
#include "testing/result_matchers.h"

namespace hitlgate::gateway {
namespace {

using hitlgate::testing::IsError;
using hitlgate::testing::IsOk;
using store::Role;
using store::TaskKind;
using store::VerdictKind;

constexpr TaskKind kKinds[] = {TaskKind::kHold, TaskKind::kHandoff, TaskKind::kContest,
                               TaskKind::kAutonomyChange, TaskKind::kAuditSample};
constexpr VerdictKind kVerdicts[] = {VerdictKind::kApproved, VerdictKind::kEdited,
                                     VerdictKind::kRejected, VerdictKind::kTakenOver};
constexpr Role kRoles[] = {Role::kAgent, Role::kReviewer, Role::kSupervisor, Role::kAuditor,
                           Role::kAdmin};

engine::Event Refund() {
  engine::Event e;
  e.interaction_id = "c-1";
  e.workflow = "shop";
  e.type = engine::EventType::kAiProposal;
  e.text = "Refunded.";
  e.action = engine::Action{"refund", 120.0, "EUR", "{}"};
  return e;
}

store::Task TaskOf(TaskKind kind) {
  store::Task t;
  t.id = "t-1";
  t.kind = kind;
  t.context_json = "{\"event\":" + codec::EncodeEvent(Refund()) + "}";
  return t;
}

store::Verdict VerdictOf(VerdictKind kind) {
  store::Verdict v;
  v.kind = kind;
  v.reviewer = "k-1";
  if (kind == VerdictKind::kEdited) v.edited_action_json = R"({"name":"refund","amount":1000000})";
  if (kind == VerdictKind::kRejected) v.reason = "no";
  v.customer_message = "Here is why.";
  return v;
}

Principal Of(Role role) {
  Principal p;
  p.key_id = "k-1";
  p.role = role;
  return p;
}

// The table as docs/receipts.md states it.
bool Takes(TaskKind kind, VerdictKind v) {
  switch (kind) {
    case TaskKind::kHold:
    case TaskKind::kHandoff: return true;
    case TaskKind::kContest:
    case TaskKind::kAutonomyChange: return v == VerdictKind::kApproved || v == VerdictKind::kRejected;
    case TaskKind::kAuditSample: return v != VerdictKind::kTakenOver;
  }
  return false;
}

TEST(VerdictRulesTest, EveryTaskKindTakesOnlyItsVerdicts) {
  for (TaskKind kind : kKinds) {
    for (VerdictKind v : kVerdicts) {
      const store::Task task = TaskOf(kind);
      const std::optional<engine::Event> held = HeldProposal(task);
      store::Verdict verdict = VerdictOf(v);
      if (v == VerdictKind::kEdited && (kind == TaskKind::kContest || kind == TaskKind::kAutonomyChange)) {
        verdict.edited_action_json.clear();
        verdict.edited_text = "changed";
      }
      auto r = CheckVerdictFitsTask(task, verdict, held ? &*held : nullptr);
      if (Takes(kind, v)) {
        EXPECT_THAT(r, IsOk()) << store::TaskKindName(kind) << " x " << store::VerdictKindName(v);
      } else {
        EXPECT_THAT(r, IsError(ErrorCode::kInvalidArgument))
            << store::TaskKindName(kind) << " x " << store::VerdictKindName(v);
      }
    }
  }
}

TEST(VerdictRulesTest, OnlyApproversOfAHeldProposalApproveAnAction) {
  int approving = 0;
  for (TaskKind kind : kKinds) {
    for (VerdictKind v : kVerdicts) {
      for (Role role : kRoles) {
        const store::Task task = TaskOf(kind);
        const std::optional<engine::Event> held = HeldProposal(task);
        const bool approves = ApprovesAction(task, VerdictOf(v), held ? &*held : nullptr, Of(role));
        const bool expected = (kind == TaskKind::kHold || kind == TaskKind::kHandoff) &&
                              (v == VerdictKind::kApproved || v == VerdictKind::kEdited) &&
                              (role == Role::kReviewer || role == Role::kSupervisor || role == Role::kAdmin);
        EXPECT_EQ(approves, expected) << store::TaskKindName(kind) << " x " << store::VerdictKindName(v)
                                      << " x " << store::RoleName(role);
        approving += approves ? 1 : 0;
      }
    }
  }
  EXPECT_EQ(approving, 2 * 2 * 3);
}

TEST(VerdictRulesTest, AnEditCannotInventAnActionForATaskThatHoldsNone) {
  store::Task handoff = TaskOf(TaskKind::kHandoff);
  engine::Event message = Refund();
  message.type = engine::EventType::kCustomerMessage;
  message.action.reset();
  handoff.context_json = "{\"event\":" + codec::EncodeEvent(message) + "}";
  EXPECT_FALSE(HeldProposal(handoff).has_value()) << "a customer message is no proposal";
  EXPECT_THAT(CheckVerdictFitsTask(handoff, VerdictOf(VerdictKind::kEdited), nullptr),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_FALSE(ApprovesAction(handoff, VerdictOf(VerdictKind::kApproved), nullptr, Of(Role::kAdmin)));
}

TEST(VerdictRulesTest, AContestVerdictNeedsTheExplanation) {
  store::Verdict upheld = VerdictOf(VerdictKind::kApproved);
  upheld.customer_message.clear();
  EXPECT_THAT(CheckVerdictFitsTask(TaskOf(TaskKind::kContest), upheld, nullptr),
              IsError(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace hitlgate::gateway
