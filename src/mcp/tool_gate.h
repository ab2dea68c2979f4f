// The tool-call side of the proxy, as pure functions: how a tools/call
// becomes a hitlgate event, how the gateway's answers (a decision, then a
// task's verdict) become what the proxy does with the call, and how a tool's
// result is reported back. No I/O here, so every mapping is unit-tested
// (tool_gate_test.cc); proxy_session.cc does the sending and waiting.
//
// The mapping (docs/mcp.md):
//   allow, allow_monitored          -> forward the call unchanged
//   hold, handoff                   -> wait for the task's verdict
//     approved                      -> forward unchanged
//     edited                        -> forward the reviewer's action (tool and arguments)
//     rejected, taken over, cancelled, expired without delivery
//                                   -> tool error with the reviewer's message
//   block, anything unknown         -> tool error (fail closed)
//
// Pure functions and value types; thread-compatible.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/common/error.h"
#include "mcp/config.h"

namespace hitlgate::mcp {

// The intent a policy sees for each kind ("mcp_read", "mcp_write",
// "mcp_destructive"), and for reported results ("mcp_result").
std::string_view IntentFor(ToolKind kind);
inline constexpr std::string_view kResultIntent = "mcp_result";

// What the server's annotations say, read as the MCP specification defines
// their defaults: readOnlyHint false, destructiveHint true. A tool without
// annotations (or nullptr) is therefore kDestructive.
ToolKind KindFromAnnotations(const boost::json::object* annotations);

// One tools/call as the gateway sees it.
struct ToolCall {
  std::string server;  // the configuration's name for the server
  std::string tool;
  std::string arguments_json = "{}";  // a JSON object
  ToolKind kind = ToolKind::kDestructive;
  std::string annotations_json;  // as the server listed them; empty when unknown
};

// Where the call belongs: from the configuration and the request's _meta.
struct CallContext {
  std::string workflow;
  std::string interaction_id;
  std::string customer_id;  // may be empty
  std::string channel;
  std::string event_id;  // stable for this call: every retry of its event reuses it (ADR 0009)
};

// The event body for POST /v1/events: an ai_proposal whose action is the
// tool call (name = tool, params = arguments) and whose intent is the kind.
std::string ProposalEvent(const CallContext& context, const ToolCall& call);

// The tool's result reported as an event of the same interaction: an
// ai_proposal with intent mcp_result, no action, and the result's text (cut
// to kResultTextBytes) as what the AI now knows; event_id is the call's plus
// ".result". See docs/adr/0010-mcp-proxy.md for why this type.
inline constexpr size_t kResultTextBytes = 2000;
std::string ResultEvent(const CallContext& context, const ToolCall& call,
                        std::string_view result_text, bool is_error, std::string_view task_id);

// The readable text of a tools/call result object: its text content items,
// joined; other items named by their type ("[image]").
std::string ResultText(const boost::json::object& result);

// The gateway's answer to a proposal (docs/schema/decision.schema.json plus
// task_id).
struct GateAnswer {
  std::string decision;              // allow, allow_monitored, hold, handoff, block
  std::string task_id;               // hold and handoff
  std::vector<std::string> reasons;  // each fired rule's detail, for people
};
[[nodiscard]] Result<GateAnswer> ParseGateAnswer(std::string_view body);

// A task as GET /v1/tasks/{id} shows it to the agent.
struct TaskState {
  std::string status;       // pending, answered, cancelled, expired
  std::string verdict;      // approved, edited, rejected, taken_over; empty while pending
  bool deliver = false;     // final.deliver
  bool has_action = false;  // final.action present
  std::string action_name;  // final.action.name
  std::string action_params_json = "{}";  // final.action.params
  std::string message;                    // the reviewer's words: customer_message, else reason
  bool settled() const { return status != "pending"; }
};
[[nodiscard]] Result<TaskState> ParseTaskState(std::string_view body);

// What the proxy does with a call.
struct CallPlan {
  enum class Step {
    kForward,        // send the client's request as it came
    kForwardEdited,  // send it with `tool` and `arguments_json` instead
    kRefuse,         // answer with a tool error whose text is `message`
    kWait,           // wait for task `task_id`
  };
  Step step = Step::kRefuse;
  std::string tool;
  std::string arguments_json;
  std::string message;
  std::string task_id;
};

CallPlan PlanForAnswer(const GateAnswer& answer, const ToolCall& call);
// kWait while the task is pending.
CallPlan PlanForTask(const TaskState& task, std::string_view task_id, const ToolCall& call);

// The tool result for a call still waiting at the limit: says that a person
// has to approve it, names the task, and how to go on.
std::string PendingText(const ToolCall& call, std::string_view task_id);

// The tool error for a call the proxy could not check: fail closed.
std::string UncheckedText(const ToolCall& call, std::string_view why);

}  // namespace hitlgate::mcp
