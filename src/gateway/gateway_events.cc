// Agents' side: an event in, a durable decision out; the task status an
// agent polls for while a proposal is held.
#include <algorithm>
#include <chrono>

#include "gateway/access.h"
#include "gateway/live_stats.h"
#include "gateway/json_views.h"
#include "hitlgate/codec/json.h"
#include "hitlgate/codec/json_reader.h"
#include "hitlgate/codec/json_writer.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/gateway/gateway.h"

namespace hitlgate::gateway {
namespace {

bool OpensTask(engine::Outcome o) {
  return o == engine::Outcome::kHold || o == engine::Outcome::kHandoff;
}

void WriteTranscriptEntry(const engine::Event& e, std::string_view decision, codec::JsonWriter& w) {
  w.BeginObject();
  w.Field("type", engine::EventTypeName(e.type));
  if (!e.text.empty()) w.Field("text", e.text);
  if (e.at) w.Field("at", FormatRfc3339(*e.at));
  if (!e.intent.empty()) w.Field("intent", e.intent);
  if (e.confidence) w.Key("confidence").Number(*e.confidence, 4);
  if (e.action) w.Key("action").Raw(codec::EncodeAction(*e.action));
  if (!decision.empty()) w.Field("decision", decision);
  w.EndObject();
}

// The decision's "decision" field, without parsing the whole object.
std::string_view OutcomeOf(std::string_view decision_json) {
  constexpr std::string_view kKey = "\"decision\":\"";
  size_t at = decision_json.find(kKey);
  if (at == std::string_view::npos) return {};
  at += kKey.size();
  size_t end = decision_json.find('"', at);
  return end == std::string_view::npos ? std::string_view() : decision_json.substr(at, end - at);
}

}  // namespace

std::string Gateway::BuildTaskContext(const engine::Event& event, std::string_view event_json,
                                      const engine::Decision& decision) {
  codec::JsonWriter w;
  w.BeginObject();
  w.Key("event").Raw(event_json);
  w.Key("decision").Raw(codec::EncodeDecision(decision));
  // The transcript so far, so the person never has to ask the customer again.
  w.Key("transcript").BeginArray();
  if (auto history = store_.GetInteraction(event.interaction_id)) {
    const auto& decisions = history->decisions;
    size_t first = decisions.size() > static_cast<size_t>(options_.max_transcript_events)
                       ? decisions.size() - options_.max_transcript_events
                       : 0;
    for (size_t i = first; i < decisions.size(); ++i) {
      auto past = codec::ParseEvent(decisions[i].record.event_json);
      if (past) WriteTranscriptEntry(*past, OutcomeOf(decisions[i].record.decision_json), w);
    }
  }
  WriteTranscriptEntry(event, engine::OutcomeName(decision.outcome), w);
  w.EndArray();
  w.Key("collected").BeginObject();
  for (const auto& [slot, value] : event.collected) w.Field(slot, value);
  w.EndObject();
  w.Field("summary", event.summary);
  w.Field("repeat_contacts", decision.signals.repeat_contacts);
  w.EndObject();
  return w.Take();
}

Result<SubmitResult> Gateway::SubmitEvent(const Principal& who, std::string_view event_json) {
  if (auto ok = Require(who, Permission::kSubmitEvents); !ok) return std::unexpected(ok.error());
  auto event = codec::ParseEvent(event_json);
  if (!event) return std::unexpected(event.error());
  if (auto ok = RequireWorkflow(who, event->workflow); !ok) return std::unexpected(ok.error());

  // Latency is a measurement, not business time: the steady clock is right.
  const auto started = std::chrono::steady_clock::now();
  std::lock_guard interaction_lock(InteractionLock(event->interaction_id));
  const TimePoint now = clock_.Now();
  const auto earned_levels = AutonomyLevels();
  engine::Decision decision = engine_.Decide(*event, earned_levels.get());
  const std::optional<store::Control> consumed = ApplyControls(*event, &decision);
  const bool earned_sample = SampleEarnedAutonomy(*event, &decision);
  std::string decision_json = codec::EncodeDecision(decision);

  std::optional<store::NewTask> task;
  if (OpensTask(decision.outcome) && decision.route) {
    const engine::Route& route = *decision.route;
    store::NewTask t;
    t.kind = decision.outcome == engine::Outcome::kHandoff ? store::TaskKind::kHandoff
                                                          : store::TaskKind::kHold;
    t.queue = route.queue;
    t.skills = route.skills;
    t.language = event->language;
    t.priority = std::clamp(route.priority, 1, 5);
    t.created_at = now;
    t.due_at = now + std::chrono::seconds(std::max(route.sla_seconds, 1));
    if (t.kind == store::TaskKind::kHold && route.hold_notice_seconds > 0) {
      t.hold_notice_at = now + std::chrono::seconds(route.hold_notice_seconds);
    }
    t.context_json = BuildTaskContext(*event, event_json, decision);
    task = std::move(t);
  } else if (earned_sample || (decision.audit_sample && decision.event_index == 0 &&
                               decision.outcome == engine::Outcome::kAllow)) {
    // A sampled autonomous conversation: one task per interaction, opened at
    // its first event, for auditors to review in batches; or a proposal let
    // through by earned autonomy, sampled at its level's rate.
    store::NewTask t;
    t.kind = store::TaskKind::kAuditSample;
    t.queue = options_.audit_queue;
    t.priority = 5;
    t.created_at = now;
    t.due_at = now + options_.audit_sample_due;
    t.context_json = BuildTaskContext(*event, event_json, decision);
    task = std::move(t);
  }

  store::DecisionRecord record;
  record.event_id = event->event_id;
  record.interaction_id = event->interaction_id;
  record.customer_id = event->customer_id;
  record.workflow = event->workflow;
  record.channel = event->channel;
  record.event_index = decision.event_index;
  record.type = event->type;
  record.at = event->at.value_or(now);
  record.event_json = std::string(event_json);
  record.decision_json = decision_json;
  record.outcome = decision.outcome;
  record.policy_version = decision.policy_version;
  record.recorded_by = who.key_id;
  auto recorded = store_.RecordDecision(record, task, {}, now);
  if (!recorded) return std::unexpected(recorded.error());
  if (!recorded->duplicate) EvaluateShadow(*event, decision);  // after the durable write

  if (consumed && !recorded->duplicate) {
    // Durable first, then cleared: a crash in between holds one more turn,
    // the safe side.
    (void)store_.ClearControl(consumed->kind, consumed->target, consumed->actor, now);
    (void)RefreshControls();
  }
  stats_->Record(*event, decision, now);
  metrics_.DecisionMade(event->workflow, decision.outcome, decision.reasons,
                        std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - started));

  SubmitResult result;
  result.duplicate = recorded->duplicate;
  result.task_id = recorded->task_id;
  if (!result.task_id.empty()) {
    // The agent learns where to wait for the verdict.
    decision_json.pop_back();
    decision_json += ",\"task_id\":\"" + result.task_id + "\",\"task_url\":\"/v1/tasks/" +
                     result.task_id + "?wait=30s\"}";
  }
  if (result.duplicate) {
    // The first decision for this event_id stands; say so rather than
    // returning a second, possibly different answer.
    decision_json.pop_back();
    decision_json += ",\"duplicate\":true}";
  }
  result.decision_json = std::move(decision_json);

  if (!result.duplicate) {
    codec::JsonWriter live;
    live.BeginObject()
        .Field("interaction_id", event->interaction_id)
        .Field("workflow", event->workflow)
        .Field("channel", event->channel)
        .Field("type", engine::EventTypeName(event->type))
        .Field("decision", engine::OutcomeName(decision.outcome))
        .Key("sentiment").Number(decision.signals.sentiment, 4)
        .Field("task_id", result.task_id)
        .Key("triggers").BeginArray();
    for (const engine::Reason& r : decision.reasons) live.String(r.trigger);
    live.EndArray().EndObject();
    live_.Publish("decision", live.str());
    if (!result.task_id.empty()) {
      if (auto created = store_.GetTask(result.task_id)) {
        live_.Publish("task.created", gateway::TaskJson(*created, /*with_context=*/false));
      }
    }
  }
  return result;
}

Result<bool> Gateway::TaskSettled(const std::string& task_id) {
  auto task = store_.GetTask(task_id);
  if (!task) return std::unexpected(task.error());
  return task->status == store::TaskStatus::kAnswered ||
         task->status == store::TaskStatus::kCancelled;
}

Result<std::string> Gateway::TaskStatusJson(const Principal& who, const std::string& task_id) {
  if (!who.Can(Permission::kSubmitEvents) && !who.Can(Permission::kReadQueues)) {
    return MakeError(ErrorCode::kPermissionDenied, "this key may not read tasks");
  }
  auto task = store_.GetTask(task_id);
  if (!task) return std::unexpected(task.error());
  if (auto ok = RequireWorkflow(who, task->workflow); !ok) return std::unexpected(ok.error());
  return WithReceipt(*task, AgentViewJson(*task, clock_.Now(), options_.holding_message));
}

std::string AgentViewJson(const store::Task& t, TimePoint now, std::string_view holding_message) {
  const store::Task* task = &t;

  codec::JsonWriter w;
  w.BeginObject();
  w.Field("task_id", task->id);
  w.Field("kind", store::TaskKindName(task->kind));
  w.Field("interaction_id", task->interaction_id);
  const bool answered = task->status == store::TaskStatus::kAnswered;
  const bool cancelled = task->status == store::TaskStatus::kCancelled;
  w.Field("status", answered ? "answered" : cancelled ? "cancelled" : "pending");
  w.Field("queue", task->queue);
  w.Field("escalated", task->escalated);
  w.Field("due_at", FormatRfc3339(task->due_at));
  if (answered && task->verdict) {
    const store::Verdict& v = *task->verdict;
    w.Key("verdict");
    WriteVerdict(v, w);
    // What the agent should deliver now, so it needs no merging logic.
    auto context = codec::JsonObjectReader::Parse(task->context_json);
    std::optional<engine::Event> proposal;
    if (context) {
      if (auto raw = context->OptRaw("event"); raw && *raw) {
        if (auto e = codec::ParseEvent(**raw)) proposal = std::move(*e);
      }
    }
    // Only an AI proposal is the AI's to deliver; a handed-off customer
    // message is not (unless the reviewer wrote a reply).
    const engine::Event* ai =
        proposal && proposal->type == engine::EventType::kAiProposal ? &*proposal : nullptr;
    w.Key("final").BeginObject();
    if (task->kind == store::TaskKind::kContest) {
      // A contested decision: nothing to deliver but the explanation owed to
      // the customer (docs/data-protection.md).
      w.Field("contest", v.kind == store::VerdictKind::kApproved ? "upheld" : "overturned");
      w.Field("deliver", false);
      w.Field("customer_message", v.customer_message);
      w.EndObject();
      w.EndObject();
      return w.Take();
    }
    switch (v.kind) {
      case store::VerdictKind::kApproved:
      case store::VerdictKind::kEdited: {
        const std::string text = !v.edited_text.empty() ? v.edited_text : ai ? ai->text : "";
        const bool has_action = !v.edited_action_json.empty() || (ai && ai->action);
        w.Field("deliver", !text.empty() || has_action);
        w.Field("text", text);
        if (!v.edited_action_json.empty()) {
          w.Key("action").Raw(v.edited_action_json);
        } else if (ai && ai->action) {
          w.Key("action").Raw(codec::EncodeAction(*ai->action));
        }
        break;
      }
      case store::VerdictKind::kRejected:
        w.Field("deliver", false);
        w.Field("customer_message", v.customer_message);
        break;
      case store::VerdictKind::kTakenOver:
        w.Field("deliver", false);
        w.Field("taken_over_by", v.reviewer);
        break;
    }
    w.EndObject();
  } else if (!cancelled && task->hold_notice_at && now >= *task->hold_notice_at) {
    // The hold has lasted past the policy's notice time: the customer should
    // hear something, with an honest estimate (the time left to the SLA).
    auto remaining = std::chrono::duration_cast<std::chrono::seconds>(task->due_at - now).count();
    w.Key("holding_message").BeginObject();
    w.Field("text", holding_message);
    w.Field("expected_wait_seconds", static_cast<std::int64_t>(std::max<std::int64_t>(remaining, 0)));
    w.EndObject();
  }
  w.EndObject();
  return w.Take();
}

}  // namespace hitlgate::gateway
