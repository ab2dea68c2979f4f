#include "mcp/tool_gate.h"

#include <boost/json.hpp>

namespace hitlgate::mcp {

namespace json = boost::json;

namespace {

const json::value* Field(const json::object& o, std::string_view key) { return o.if_contains(key); }

std::string StringField(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// An object given as JSON text; an empty object when the text is not one.
json::object ObjectFromText(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.get_object());
}

// Cuts at most `limit` bytes, never inside a UTF-8 sequence.
std::string Truncate(std::string_view s, size_t limit) {
  if (s.size() <= limit) return std::string(s);
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end)) + "…";
}

json::object BaseEvent(const CallContext& context) {
  json::object e;
  e["interaction_id"] = context.interaction_id;
  if (!context.customer_id.empty()) e["customer_id"] = context.customer_id;
  e["workflow"] = context.workflow;
  if (!context.channel.empty()) e["channel"] = context.channel;
  e["type"] = "ai_proposal";
  return e;
}

std::string JoinReasons(const std::vector<std::string>& reasons) {
  std::string out;
  for (const std::string& r : reasons) {
    if (!out.empty()) out += "; ";
    out += r;
  }
  return out;
}

// The body of an API answer as a JSON object; `what` names it in the error.
Result<json::value> ParseObject(std::string_view body, std::string_view what) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object())
    return InvalidArgument("the gateway's " + std::string(what) + " is not a JSON object");
  return v;
}

CallPlan Refuse(std::string message) {
  CallPlan plan;
  plan.step = CallPlan::Step::kRefuse;
  plan.message = std::move(message);
  return plan;
}

}  // namespace

std::string_view IntentFor(ToolKind kind) {
  switch (kind) {
    case ToolKind::kRead:
      return "mcp_read";
    case ToolKind::kWrite:
      return "mcp_write";
    case ToolKind::kDestructive:
      return "mcp_destructive";
  }
  return "mcp_destructive";
}

ToolKind KindFromAnnotations(const json::object* annotations) {
  if (annotations == nullptr) return ToolKind::kDestructive;
  const json::value* read_only = annotations->if_contains("readOnlyHint");
  if (read_only != nullptr && read_only->is_bool() && read_only->get_bool()) return ToolKind::kRead;
  const json::value* destructive = annotations->if_contains("destructiveHint");
  if (destructive != nullptr && destructive->is_bool() && !destructive->get_bool())
    return ToolKind::kWrite;
  return ToolKind::kDestructive;
}

std::string ProposalEvent(const CallContext& context, const ToolCall& call) {
  json::object e = BaseEvent(context);
  e["intent"] = IntentFor(call.kind);
  e["action"] = json::object{{"name", call.tool}, {"params", ObjectFromText(call.arguments_json)}};
  e["event_id"] = context.event_id;
  json::object mcp{{"server", call.server}, {"tool", call.tool}};
  if (!call.annotations_json.empty()) mcp["annotations"] = ObjectFromText(call.annotations_json);
  e["metadata"] = json::object{{"mcp", std::move(mcp)}};
  return json::serialize(e);
}

std::string ResultEvent(const CallContext& context, const ToolCall& call,
                        std::string_view result_text, bool is_error, std::string_view task_id) {
  json::object e = BaseEvent(context);
  e["intent"] = kResultIntent;
  std::string text = call.tool + (is_error ? " failed: " : " returned: ");
  text += Truncate(result_text, kResultTextBytes);
  e["text"] = text;
  e["event_id"] = context.event_id + ".result";
  json::object mcp{{"server", call.server},
                   {"tool", call.tool},
                   {"result_of", context.event_id},
                   {"is_error", is_error}};
  if (!task_id.empty()) mcp["task_id"] = task_id;
  e["metadata"] = json::object{{"mcp", std::move(mcp)}};
  return json::serialize(e);
}

std::string ResultText(const json::object& result) {
  std::string out;
  const json::value* content = Field(result, "content");
  if (content == nullptr || !content->is_array()) return out;
  for (const json::value& item : content->get_array()) {
    if (!item.is_object()) continue;
    const std::string type = StringField(item.get_object(), "type");
    if (!out.empty()) out += '\n';
    if (type == "text") {
      out += StringField(item.get_object(), "text");
    } else {
      out += "[" + (type.empty() ? std::string("content") : type) + "]";
    }
    // Only the first kResultTextBytes are reported; stop copying early.
    if (out.size() > kResultTextBytes) break;
  }
  return out;
}

Result<GateAnswer> ParseGateAnswer(std::string_view body) {
  auto v = ParseObject(body, "answer");
  HITLGATE_RETURN_IF_ERROR(v);
  const json::object& o = v->get_object();
  GateAnswer answer;
  answer.decision = StringField(o, "decision");
  if (answer.decision.empty()) return InvalidArgument("the gateway's answer has no decision");
  answer.task_id = StringField(o, "task_id");
  if (const json::value* reasons = Field(o, "reasons"); reasons != nullptr && reasons->is_array()) {
    for (const json::value& r : reasons->get_array()) {
      if (!r.is_object()) continue;
      const std::string detail = StringField(r.get_object(), "detail");
      const std::string rule = StringField(r.get_object(), "rule");
      const std::string decision = StringField(r.get_object(), "decision");
      // The baseline's reason repeats the outcome; people need the rules that made it.
      if (decision == answer.decision) {
        answer.reasons.push_back(rule.empty() ? detail : rule + ": " + detail);
      }
    }
  }
  return answer;
}

Result<TaskState> ParseTaskState(std::string_view body) {
  auto v = ParseObject(body, "task view");
  HITLGATE_RETURN_IF_ERROR(v);
  const json::object& o = v->get_object();
  TaskState task;
  task.status = StringField(o, "status");
  if (task.status.empty()) return InvalidArgument("the gateway's task view has no status");
  if (const json::value* verdict = Field(o, "verdict");
      verdict != nullptr && verdict->is_object()) {
    task.verdict = StringField(verdict->get_object(), "kind");
    task.message = StringField(verdict->get_object(), "customer_message");
    if (task.message.empty()) task.message = StringField(verdict->get_object(), "reason");
  }
  if (const json::value* final = Field(o, "final"); final != nullptr && final->is_object()) {
    const json::object& f = final->get_object();
    const json::value* deliver = f.if_contains("deliver");
    task.deliver = deliver != nullptr && deliver->is_bool() && deliver->get_bool();
    const std::string customer_message = StringField(f, "customer_message");
    if (!customer_message.empty()) task.message = customer_message;
    if (const json::value* action = f.if_contains("action");
        action != nullptr && action->is_object()) {
      task.has_action = true;
      task.action_name = StringField(action->get_object(), "name");
      const json::value* params = action->get_object().if_contains("params");
      task.action_params_json =
          params != nullptr && params->is_object() ? json::serialize(*params) : std::string("{}");
    }
  }
  return task;
}

CallPlan PlanForAnswer(const GateAnswer& answer, const ToolCall& call) {
  const std::string& d = answer.decision;
  if (d == "allow" || d == "allow_monitored") return CallPlan{.step = CallPlan::Step::kForward};
  if (d == "hold" || d == "handoff") {
    if (answer.task_id.empty()) {
      return Refuse(UncheckedText(call, "the gateway held the call but named no task"));
    }
    return CallPlan{.step = CallPlan::Step::kWait, .task_id = answer.task_id};
  }
  if (d == "block") {
    std::string why = JoinReasons(answer.reasons);
    return Refuse("hitlgate blocked this call to " + call.tool + " by policy" +
                  (why.empty() ? std::string(".") : ": " + why) + " It was not made.");
  }
  return Refuse(UncheckedText(call, "the gateway answered with an unknown decision '" + d + "'"));
}

CallPlan PlanForTask(const TaskState& task, std::string_view task_id, const ToolCall& call) {
  if (!task.settled())
    return CallPlan{.step = CallPlan::Step::kWait, .task_id = std::string(task_id)};
  if (task.deliver) {
    if (task.verdict == "edited" && task.has_action && !task.action_name.empty()) {
      return CallPlan{.step = CallPlan::Step::kForwardEdited,
                      .tool = task.action_name,
                      .arguments_json = task.action_params_json};
    }
    // Approved, or settled to deliver the proposal as it was (a fail-open deadline).
    return CallPlan{.step = CallPlan::Step::kForward};
  }
  const std::string ref = " (task " + std::string(task_id) + ")";
  if (task.verdict == "rejected") {
    return Refuse("A reviewer rejected this call to " + call.tool + ref + ": " +
                  (task.message.empty() ? std::string("no reason given") : task.message));
  }
  if (task.verdict == "taken_over") {
    return Refuse("A person took this conversation over" + ref + "; the call to " + call.tool +
                  " was not made." + (task.message.empty() ? std::string() : " " + task.message));
  }
  if (task.status == "cancelled") {
    return Refuse("The review of this call to " + call.tool + " was cancelled" + ref +
                  "; it was not made.");
  }
  return Refuse("This call to " + call.tool + " was not approved" + ref + " (" + task.status +
                "); it was not made." +
                (task.message.empty() ? std::string() : " " + task.message));
}

std::string PendingText(const ToolCall& call, std::string_view task_id) {
  return "This call to " + call.tool + " is waiting for a person's approval (hitlgate task " +
         std::string(task_id) +
         "). It has not been made and will not be made on its own. Call the tool again with the "
         "same arguments to run it once it is approved, or ask hitlgate_task_status about the "
         "task.";
}

std::string UncheckedText(const ToolCall& call, std::string_view why) {
  return "hitlgate could not check this call to " + call.tool + " (" + std::string(why) +
         "), so it was not made.";
}

}  // namespace hitlgate::mcp
