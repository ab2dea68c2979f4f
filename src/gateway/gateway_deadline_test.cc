// Agents' deadlines on held proposals: the answer says when and what
// happens, and when the deadline passes before a person decided, the task is
// settled with the policy's fallback, audited, and the waiting agent told.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gateway/testing/gateway_fixture.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/gateway/gateway.h"
#include "testing/result_matchers.h"

namespace hitlgate::gateway {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsOk;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
namespace json = boost::json;

constexpr std::string_view kPolicy = R"(policy: deadline-test
queues:
  billing: {skills: [], sla_seconds: 300}
defaults:
  oversight: hotl
  queue: billing
workflows:
  voice-bot:
    oversight: hotl
    deadline:
      fallback: fail_closed
      wait_message: Let me check that with a colleague.
      customer_message: I could not get that approved just now; a colleague will call you back.
      actions: {send_voucher: fail_open, refund_large: handoff}
rules:
  - name: held-actions
    when: {action: [refund, send_voucher, refund_large]}
    decision: hold
)";

class GatewayDeadlineTest : public testing::GatewayFixture {
 protected:
  GatewayDeadlineTest() : GatewayFixture(std::string(kPolicy)) {
    agent_ = MakeKey("voice agent", store::Role::kAgent, {}, {"voice-bot"});
    reviewer_ = MakeKey("reviewer", store::Role::kReviewer);
    supervisor_ = MakeKey("supervisor", store::Role::kSupervisor);
    auditor_ = MakeKey("auditor", store::Role::kAuditor);
  }

  // A proposal to run `action` in interaction `id`, with an 8 s deadline.
  SubmitResult Propose(const std::string& id, const std::string& action,
                       std::string_view deadline = R"(,"deadline_ms":8000)") {
    auto r = gateway_->events().Submit(
        agent_, R"({"interaction_id":")" + id +
                    R"(","workflow":"voice-bot","channel":"voice","type":"ai_proposal",)"
                    R"("text":"Done, I have sent it.","action":{"name":")" + action +
                    R"(","params":{"order":"A-1"}})" + std::string(deadline) + "}");
    EXPECT_THAT(r, IsOk());
    return r.value_or(SubmitResult{});
  }

  json::value AgentView(const std::string& task_id) {
    return Parse(gateway_->review().AgentTask(agent_, task_id));
  }

  Principal agent_, reviewer_, supervisor_, auditor_;
};

TEST_F(GatewayDeadlineTest, AHeldAnswerSaysWhenTheDeadlinePassesAndWhatTheAgentCanSay) {
  const TimePoint now = clock_.Now();
  SubmitResult r = Propose("c-1", "refund");
  json::value answer = json::parse(r.decision_json);
  EXPECT_EQ(answer.at("decision").as_string(), "hold");
  EXPECT_EQ(answer.at("deadline_ms").as_int64(), 8000);
  EXPECT_EQ(answer.at("deadline_at").as_string(), FormatRfc3339(now + std::chrono::seconds(8)));
  EXPECT_EQ(answer.at("on_deadline").as_string(), "fail_closed");
  EXPECT_EQ(answer.at("wait_message").as_string(), "Let me check that with a colleague.");
  json::value view = AgentView(r.task_id);
  EXPECT_EQ(view.at("status").as_string(), "pending");
  EXPECT_EQ(view.at("on_deadline").as_string(), "fail_closed");
}

TEST_F(GatewayDeadlineTest, AnEventThatIsNotHeldGetsNoDeadlineFields) {
  SubmitResult r = Propose("c-1", "lookup_order");
  EXPECT_TRUE(r.task_id.empty());
  EXPECT_THAT(r.decision_json, Not(HasSubstr("deadline")));
}

TEST_F(GatewayDeadlineTest, FailClosedAtTheDeadlineDeliversNothingAndRefusesALateVerdict) {
  SubmitResult r = Propose("c-1", "refund");
  clock_.Advance(std::chrono::seconds(7));
  EXPECT_EQ(AgentView(r.task_id).at("status").as_string(), "pending") << "not before the deadline";
  clock_.Advance(std::chrono::seconds(1));
  json::value view = AgentView(r.task_id);
  EXPECT_EQ(view.at("status").as_string(), "expired");
  EXPECT_FALSE(view.at("final").at("deliver").as_bool());
  EXPECT_EQ(view.at("final").at("fallback").as_string(), "fail_closed");
  EXPECT_EQ(view.at("final").at("customer_message").as_string(),
            "I could not get that approved just now; a colleague will call you back.");
  EXPECT_THAT(live_.topics, Contains("task.expired"));
  EXPECT_THAT(live_.changed, Contains(r.task_id)) << "waiting long-polls are woken";

  VerdictRequest late;
  late.override = true;
  EXPECT_THAT(gateway_->review().SubmitVerdict(supervisor_, r.task_id, late),
              IsError(ErrorCode::kFailedPrecondition));
  auto audit = gateway_->ReadAudit(auditor_, 1, 1000);
  ASSERT_THAT(audit, IsOk());
  bool expired_audited = false;
  for (const audit::AuditRecord& rec : *audit) {
    expired_audited = expired_audited || (rec.kind == "task_expired" && rec.subject == r.task_id);
  }
  EXPECT_TRUE(expired_audited);
}

TEST_F(GatewayDeadlineTest, FailOpenDeliversTheProposalAsItWasWithoutAReceipt) {
  SubmitResult r = Propose("c-1", "send_voucher");
  clock_.Advance(std::chrono::seconds(9));
  json::value view = AgentView(r.task_id);
  EXPECT_EQ(view.at("status").as_string(), "expired");
  EXPECT_TRUE(view.at("final").at("deliver").as_bool());
  EXPECT_EQ(view.at("final").at("fallback").as_string(), "fail_open");
  EXPECT_EQ(view.at("final").at("action").at("name").as_string(), "send_voucher");
  EXPECT_EQ(view.at("final").at("text").as_string(), "Done, I have sent it.");
  EXPECT_FALSE(view.as_object().contains("receipt")) << "nobody approved it";
}

TEST_F(GatewayDeadlineTest, HandoffEndsTheAgentsWaitAndLeavesTheTaskToAPerson) {
  SubmitResult r = Propose("c-1", "refund_large");
  clock_.Advance(std::chrono::seconds(9));
  auto first = gateway_->review().AgentTask(agent_, r.task_id);
  ASSERT_THAT(first, IsOk());
  EXPECT_TRUE(first->settled) << "the read that expires it ends the agent's wait at once";
  auto later = gateway_->review().AgentTask(agent_, r.task_id);
  ASSERT_THAT(later, IsOk());
  EXPECT_FALSE(later->settled) << "a later long-poll waits for the person's reply";
  EXPECT_FALSE(later->deadline_in.has_value()) << "for as long as it asked, not until a spent deadline";
  json::value view = AgentView(r.task_id);
  EXPECT_EQ(view.at("status").as_string(), "expired");
  EXPECT_FALSE(view.at("final").at("deliver").as_bool());
  EXPECT_EQ(view.at("final").at("fallback").as_string(), "handoff");

  json::value claimed = Parse(gateway_->review().ClaimNext(reviewer_, {}));
  EXPECT_EQ(claimed.at("id").as_string(), r.task_id);
  EXPECT_EQ(claimed.at("kind").as_string(), "handoff");
  VerdictRequest reply;
  reply.lease_id = std::string(claimed.at("lease").at("lease_id").as_string());
  reply.kind = store::VerdictKind::kEdited;
  reply.edited_text = "I have arranged the refund for you myself.";
  ASSERT_THAT(gateway_->review().SubmitVerdict(reviewer_, r.task_id, reply), IsOk());
  json::value answered = AgentView(r.task_id);
  EXPECT_EQ(answered.at("status").as_string(), "answered") << "the person's reply reaches the agent";
  EXPECT_EQ(answered.at("final").at("text").as_string(), "I have arranged the refund for you myself.");
}

TEST_F(GatewayDeadlineTest, TheTickSettlesDeadlinesNobodyIsWaitingOn) {
  SubmitResult r = Propose("c-1", "refund");
  clock_.Advance(std::chrono::seconds(10));
  auto tick = gateway_->Tick();
  ASSERT_THAT(tick, IsOk());
  EXPECT_EQ(tick->deadlines_passed, 1);
  EXPECT_THAT(live_.topics, Contains("task.expired"));
  EXPECT_EQ(AgentView(r.task_id).at("status").as_string(), "expired");
  EXPECT_EQ(gateway_->Tick()->deadlines_passed, 0) << "settled once";
}

TEST_F(GatewayDeadlineTest, AVerdictBeforeTheDeadlineStands) {
  SubmitResult r = Propose("c-1", "refund");
  json::value claimed = Parse(gateway_->review().ClaimNext(reviewer_, {}));
  VerdictRequest approve;
  approve.lease_id = std::string(claimed.at("lease").at("lease_id").as_string());
  ASSERT_THAT(gateway_->review().SubmitVerdict(reviewer_, r.task_id, approve), IsOk());
  clock_.Advance(std::chrono::seconds(30));
  ASSERT_THAT(gateway_->Tick(), IsOk());
  json::value view = AgentView(r.task_id);
  EXPECT_EQ(view.at("status").as_string(), "answered");
  EXPECT_TRUE(view.at("final").at("deliver").as_bool());
}

TEST_F(GatewayDeadlineTest, ABadDeadlineIsRefusedAndWritesNothing) {
  auto r = gateway_->events().Submit(
      agent_, R"({"interaction_id":"c-9","workflow":"voice-bot","type":"ai_proposal","text":"x",)"
              R"("action":{"name":"refund"},"deadline_ms":0})");
  EXPECT_THAT(r, IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(gateway_->review().Interaction(admin_, "c-9", ""), IsError(ErrorCode::kNotFound));
}

}  // namespace
}  // namespace hitlgate::gateway
