// `deadline:` sections: which fallback and lines an event with deadline_ms
// gets, and the checker's errors for bad sections.
#include <gtest/gtest.h>

#include "policy/policy_test_util.h"

namespace hitlgate::policy {
namespace {

using engine::DeadlineFallback;
using testing::ErrorsOf;
using testing::MustCompile;

const char* kPolicy =
    "policy: t\n"
    "queues: {general: {}}\n"
    "defaults:\n"
    "  queue: general\n"
    "  deadline:\n"
    "    fallback: handoff\n"
    "    wait_message: One moment please.\n"
    "    customer_message: I could not get that confirmed in time.\n"
    "    actions: {cancel_order: fail_open}\n"
    "groups:\n"
    "  actions: {lookups: [lookup_order, \"track_*\"]}\n"
    "workflows:\n"
    "  voice-bot:\n"
    "    deadline:\n"
    "      fallback: fail_closed\n"
    "      wait_message: Let me check that with a colleague.\n"
    "      actions: {\"@lookups\": fail_open, refund: handoff}\n"
    "  chat-bot: {}\n";

engine::Event Proposal(const std::string& workflow, const std::string& action) {
  engine::Event e;
  e.interaction_id = "c-1";
  e.workflow = workflow;
  e.type = engine::EventType::kAiProposal;
  e.text = "done";
  if (!action.empty()) e.action = engine::Action{action, std::nullopt, "", "{}"};
  return e;
}

TEST(DeadlineTest, TheWorkflowsEntryForTheActionComesFirst) {
  auto p = MustCompile(kPolicy);
  ASSERT_NE(p, nullptr);
  engine::DeadlinePlan refund = p->DeadlineFor(Proposal("voice-bot", "refund"));
  EXPECT_EQ(refund.fallback, DeadlineFallback::kHandoff);
  EXPECT_EQ(refund.rule, "workflows.voice-bot.deadline.actions.refund");
  engine::DeadlinePlan track = p->DeadlineFor(Proposal("voice-bot", "track_parcel"));
  EXPECT_EQ(track.fallback, DeadlineFallback::kFailOpen) << "a group's glob member matches";
  EXPECT_EQ(track.rule, "workflows.voice-bot.deadline.actions.@lookups");
}

TEST(DeadlineTest, ThenTheWorkflowsFallbackThenDefaults) {
  auto p = MustCompile(kPolicy);
  ASSERT_NE(p, nullptr);
  engine::DeadlinePlan other = p->DeadlineFor(Proposal("voice-bot", "cancel_order"));
  EXPECT_EQ(other.fallback, DeadlineFallback::kFailClosed)
      << "the workflow's own fallback before defaults' action entry";
  EXPECT_EQ(other.rule, "workflows.voice-bot.deadline.fallback");
  EXPECT_EQ(other.wait_message, "Let me check that with a colleague.");
  EXPECT_EQ(other.customer_message, "I could not get that confirmed in time.")
      << "a line the workflow does not set comes from defaults";

  engine::DeadlinePlan chat_cancel = p->DeadlineFor(Proposal("chat-bot", "cancel_order"));
  EXPECT_EQ(chat_cancel.fallback, DeadlineFallback::kFailOpen);
  EXPECT_EQ(chat_cancel.rule, "defaults.deadline.actions.cancel_order");
  engine::DeadlinePlan chat_text = p->DeadlineFor(Proposal("chat-bot", ""));
  EXPECT_EQ(chat_text.fallback, DeadlineFallback::kHandoff);
  EXPECT_EQ(chat_text.wait_message, "One moment please.");
}

TEST(DeadlineTest, WithoutADeadlineSectionItFailsClosed) {
  auto p = MustCompile(
      "policy: t\n"
      "queues: {general: {}}\n"
      "defaults: {queue: general}\n");
  ASSERT_NE(p, nullptr);
  engine::DeadlinePlan plan = p->DeadlineFor(Proposal("any", "refund"));
  EXPECT_EQ(plan.fallback, DeadlineFallback::kFailClosed);
  EXPECT_TRUE(plan.wait_message.empty());
}

TEST(DeadlineTest, BadSectionsAreReportedWhereTheyAre) {
  EXPECT_EQ(ErrorsOf("policy: t\n"
                     "queues: {general: {}}\n"
                     "defaults:\n"
                     "  queue: general\n"
                     "  deadline: {fallback: wait_forever, wait_msg: hi}\n"
                     "workflows:\n"
                     "  voice-bot:\n"
                     "    deadline: {actions: {\"@nothing\": fail_open, refund: maybe}}\n"),
            (std::vector<std::string>{
                "p.yaml:5:24: error: defaults.deadline.fallback: expected one of fail_closed, "
                "fail_open, handoff, got 'wait_forever'",
                "p.yaml:5:38: error: unknown key 'wait_msg' in defaults.deadline",
                "p.yaml:8:26: error: unknown action group '@nothing'",
                "p.yaml:8:57: error: workflows.voice-bot.deadline.actions.refund: expected one of "
                "fail_closed, fail_open, handoff, got 'maybe'"}));
}

}  // namespace
}  // namespace hitlgate::policy
