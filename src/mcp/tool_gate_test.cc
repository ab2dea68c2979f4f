#include "mcp/tool_gate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "testing/result_matchers.h"

namespace hitlgate::mcp {
namespace {

namespace json = boost::json;
using ::hitlgate::testing::IsError;
using ::testing::HasSubstr;

ToolCall WriteCall() {
  ToolCall call;
  call.server = "filesystem";
  call.tool = "write_file";
  call.arguments_json = R"({"path":"/tmp/a.txt","content":"hi"})";
  call.kind = ToolKind::kDestructive;
  call.annotations_json = R"({"readOnlyHint":false,"destructiveHint":true})";
  return call;
}

CallContext Context() {
  return CallContext{.workflow = "mcp-filesystem",
                     .interaction_id = "mcp-s1",
                     .customer_id = "u-1",
                     .channel = "mcp",
                     .event_id = "mcp-s1-3"};
}

TEST(ToolKindTest, AnnotationsReadAsTheSpecDefinesTheirDefaults) {
  EXPECT_EQ(KindFromAnnotations(nullptr), ToolKind::kDestructive);
  json::object none;
  EXPECT_EQ(KindFromAnnotations(&none), ToolKind::kDestructive);
  json::object read{{"readOnlyHint", true}, {"destructiveHint", true}};
  EXPECT_EQ(KindFromAnnotations(&read),
            ToolKind::kRead);  // destructiveHint means nothing for reads
  json::object additive{{"readOnlyHint", false}, {"destructiveHint", false}};
  EXPECT_EQ(KindFromAnnotations(&additive), ToolKind::kWrite);
  json::object odd{{"readOnlyHint", "yes"}};
  EXPECT_EQ(KindFromAnnotations(&odd), ToolKind::kDestructive);  // not a bool: not a claim
  EXPECT_EQ(IntentFor(ToolKind::kRead), "mcp_read");
  EXPECT_EQ(IntentFor(ToolKind::kWrite), "mcp_write");
  EXPECT_EQ(IntentFor(ToolKind::kDestructive), "mcp_destructive");
}

TEST(ProposalEventTest, ToolBecomesTheActionAndKindTheIntent) {
  const json::value e = json::parse(ProposalEvent(Context(), WriteCall()));
  const json::object& o = e.as_object();
  EXPECT_EQ(o.at("type").as_string(), "ai_proposal");
  EXPECT_EQ(o.at("workflow").as_string(), "mcp-filesystem");
  EXPECT_EQ(o.at("interaction_id").as_string(), "mcp-s1");
  EXPECT_EQ(o.at("customer_id").as_string(), "u-1");
  EXPECT_EQ(o.at("channel").as_string(), "mcp");
  EXPECT_EQ(o.at("event_id").as_string(), "mcp-s1-3");
  EXPECT_EQ(o.at("intent").as_string(), "mcp_destructive");
  EXPECT_EQ(o.at("action").as_object().at("name").as_string(), "write_file");
  EXPECT_EQ(o.at("action").as_object().at("params").as_object().at("path").as_string(),
            "/tmp/a.txt");
  const json::object& mcp = o.at("metadata").as_object().at("mcp").as_object();
  EXPECT_EQ(mcp.at("server").as_string(), "filesystem");
  EXPECT_TRUE(mcp.at("annotations").as_object().at("destructiveHint").as_bool());
  EXPECT_FALSE(o.contains("text"));
}

TEST(ProposalEventTest, SameCallGivesTheSameBytesSoRetriesReplay) {
  EXPECT_EQ(ProposalEvent(Context(), WriteCall()), ProposalEvent(Context(), WriteCall()));
}

TEST(ResultEventTest, ResultIsARecordOfTheSameInteraction) {
  const json::value e =
      json::parse(ResultEvent(Context(), WriteCall(), "Successfully wrote", false, "t-9"));
  const json::object& o = e.as_object();
  EXPECT_EQ(o.at("type").as_string(), "ai_proposal");
  EXPECT_EQ(o.at("intent").as_string(), kResultIntent);
  EXPECT_FALSE(o.contains("action"));  // a record, not a request to do anything
  EXPECT_EQ(o.at("event_id").as_string(), "mcp-s1-3.result");
  EXPECT_EQ(o.at("text").as_string(), "write_file returned: Successfully wrote");
  const json::object& mcp = o.at("metadata").as_object().at("mcp").as_object();
  EXPECT_EQ(mcp.at("result_of").as_string(), "mcp-s1-3");
  EXPECT_EQ(mcp.at("task_id").as_string(), "t-9");
  EXPECT_FALSE(mcp.at("is_error").as_bool());
}

TEST(ResultEventTest, LongResultsAreCutOnACharacterBoundary) {
  std::string text(kResultTextBytes - 1, 'a');
  text += "é and more";  // the cut falls inside the two-byte é
  const json::value e = json::parse(ResultEvent(Context(), WriteCall(), text, true, ""));
  const std::string reported(e.as_object().at("text").as_string());
  EXPECT_THAT(reported, HasSubstr("write_file failed: "));
  EXPECT_EQ(reported.find("é"), std::string::npos);
  EXPECT_LT(reported.size(), kResultTextBytes + 40);
  EXPECT_FALSE(e.as_object().at("metadata").as_object().at("mcp").as_object().contains("task_id"));
}

TEST(ResultTextTest, JoinsTextAndNamesOtherContent) {
  const json::value r = json::parse(
      R"({"content":[{"type":"text","text":"line 1"},{"type":"image","data":"..."},{"type":"text","text":"line 2"}]})");
  EXPECT_EQ(ResultText(r.as_object()), "line 1\n[image]\nline 2");
}

TEST(GateAnswerTest, ParsesDecisionTaskAndTheDecidingReasons) {
  auto a = ParseGateAnswer(R"({"decision":"block","reasons":[
      {"trigger":"oversight_default","rule":"workflows.w","detail":"hotl","decision":"allow_monitored"},
      {"trigger":"action","rule":"no-moves","detail":"action move_file","decision":"block"}]})");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->decision, "block");
  ASSERT_EQ(a->reasons.size(), 1u);
  EXPECT_EQ(a->reasons[0], "no-moves: action move_file");

  EXPECT_THAT(ParseGateAnswer("<html>"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseGateAnswer(R"({"task_id":"t-1"})"), IsError(ErrorCode::kInvalidArgument));
}

TEST(PlanForAnswerTest, AllowedCallsAreForwarded) {
  for (const char* d : {"allow", "allow_monitored"}) {
    EXPECT_EQ(PlanForAnswer(GateAnswer{.decision = d}, WriteCall()).step, CallPlan::Step::kForward)
        << d;
  }
}

TEST(PlanForAnswerTest, HoldAndHandoffWaitForTheirTask) {
  for (const char* d : {"hold", "handoff"}) {
    const CallPlan plan = PlanForAnswer(GateAnswer{.decision = d, .task_id = "t-1"}, WriteCall());
    EXPECT_EQ(plan.step, CallPlan::Step::kWait) << d;
    EXPECT_EQ(plan.task_id, "t-1");
  }
}

TEST(PlanForAnswerTest, FailsClosed) {
  const CallPlan no_task = PlanForAnswer(GateAnswer{.decision = "hold"}, WriteCall());
  EXPECT_EQ(no_task.step, CallPlan::Step::kRefuse);
  EXPECT_THAT(no_task.message, HasSubstr("not made"));
  const CallPlan unknown = PlanForAnswer(GateAnswer{.decision = "maybe"}, WriteCall());
  EXPECT_EQ(unknown.step, CallPlan::Step::kRefuse);
  EXPECT_THAT(unknown.message, HasSubstr("unknown decision 'maybe'"));
  const CallPlan blocked = PlanForAnswer(
      GateAnswer{.decision = "block", .reasons = {"no-writes: action write_file"}}, WriteCall());
  EXPECT_EQ(blocked.step, CallPlan::Step::kRefuse);
  EXPECT_THAT(blocked.message, HasSubstr("no-writes: action write_file"));
}

TEST(PlanForTaskTest, PendingKeepsWaiting) {
  auto task = ParseTaskState(R"({"task_id":"t-1","status":"pending"})");
  ASSERT_TRUE(task.has_value());
  EXPECT_EQ(PlanForTask(*task, "t-1", WriteCall()).step, CallPlan::Step::kWait);
}

TEST(PlanForTaskTest, ApprovedForwardsTheCallAsItCame) {
  auto task = ParseTaskState(R"({"status":"answered","verdict":{"kind":"approved"},
      "final":{"deliver":true,"text":"","action":{"name":"write_file","params":{"content":"hi","path":"/tmp/a.txt"}}}})");
  ASSERT_TRUE(task.has_value());
  EXPECT_EQ(PlanForTask(*task, "t-1", WriteCall()).step, CallPlan::Step::kForward);
}

TEST(PlanForTaskTest, EditedForwardsTheReviewersAction) {
  auto task = ParseTaskState(R"({"status":"answered","verdict":{"kind":"edited"},
      "final":{"deliver":true,"action":{"name":"write_file","params":{"content":"bye","path":"/tmp/b.txt"}}}})");
  ASSERT_TRUE(task.has_value());
  const CallPlan plan = PlanForTask(*task, "t-1", WriteCall());
  EXPECT_EQ(plan.step, CallPlan::Step::kForwardEdited);
  EXPECT_EQ(plan.tool, "write_file");
  EXPECT_EQ(json::parse(plan.arguments_json),
            json::parse(R"({"content":"bye","path":"/tmp/b.txt"})"));
}

TEST(PlanForTaskTest, RejectedIsAToolErrorWithTheReviewersMessage) {
  auto task =
      ParseTaskState(R"({"status":"answered","verdict":{"kind":"rejected","reason":"not this file",
      "customer_message":"Writing /tmp/a.txt is not allowed"},"final":{"deliver":false,"customer_message":"Writing /tmp/a.txt is not allowed"}})");
  ASSERT_TRUE(task.has_value());
  const CallPlan plan = PlanForTask(*task, "t-1", WriteCall());
  EXPECT_EQ(plan.step, CallPlan::Step::kRefuse);
  EXPECT_THAT(plan.message, HasSubstr("rejected"));
  EXPECT_THAT(plan.message, HasSubstr("Writing /tmp/a.txt is not allowed"));

  auto reason_only =
      ParseTaskState(R"({"status":"answered","verdict":{"kind":"rejected","reason":"not this file"},
      "final":{"deliver":false}})");
  EXPECT_THAT(PlanForTask(*reason_only, "t-1", WriteCall()).message, HasSubstr("not this file"));
}

TEST(PlanForTaskTest, EverySettlementWithoutDeliveryRefuses) {
  const char* bodies[] = {
      R"({"status":"answered","verdict":{"kind":"taken_over"},"final":{"deliver":false}})",
      R"({"status":"cancelled","final":{"deliver":false}})",
      R"({"status":"expired","final":{"deliver":false,"fallback":"fail_closed"}})",
      R"({"status":"answered"})",
  };
  for (const char* body : bodies) {
    auto task = ParseTaskState(body);
    ASSERT_TRUE(task.has_value()) << body;
    const CallPlan plan = PlanForTask(*task, "t-1", WriteCall());
    EXPECT_EQ(plan.step, CallPlan::Step::kRefuse) << body;
    EXPECT_THAT(plan.message, HasSubstr("not")) << body;
  }
}

TEST(PlanForTaskTest, FailOpenExpiryDeliversTheProposal) {
  auto task = ParseTaskState(R"({"status":"expired","final":{"deliver":true,"fallback":"fail_open",
      "action":{"name":"write_file","params":{}}}})");
  ASSERT_TRUE(task.has_value());
  EXPECT_EQ(PlanForTask(*task, "t-1", WriteCall()).step, CallPlan::Step::kForward);
}

TEST(PendingTextTest, NamesTheTaskAndHowToGoOn) {
  const std::string text = PendingText(WriteCall(), "t-42");
  EXPECT_THAT(text, HasSubstr("t-42"));
  EXPECT_THAT(text, HasSubstr("approval"));
  EXPECT_THAT(text, HasSubstr("not been made"));
}

}  // namespace
}  // namespace hitlgate::mcp
