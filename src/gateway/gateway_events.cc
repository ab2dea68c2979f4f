// Agents' side: an event in, a durable decision out; the task status an
// agent polls for while a proposal is held.
#include <algorithm>
#include <chrono>

#include "gateway/access.h"
#include "gateway/interaction_turns.h"
#include "gateway/json_views.h"
#include "gateway/live_stats.h"
#include "gateway/verdict_rules.h"
#include "hitlgate/codec/json.h"
#include "hitlgate/codec/json_reader.h"
#include "hitlgate/codec/json_writer.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/crypto/hash.h"
#include "hitlgate/gateway/gateway.h"

namespace hitlgate::gateway {
namespace {

bool OpensTask(engine::Outcome o) {
  return o == engine::Outcome::kHold || o == engine::Outcome::kHandoff;
}

}  // namespace

// The task's context: the event, its decision, what the AI collected and
// its summary. The transcript is not copied in: reviewers' task views read
// it from the interaction's recorded events (TaskWithRecentContactsJson).
std::string Gateway::BuildTaskContext(const engine::Event& event, std::string_view event_json,
                                      const engine::Decision& decision) {
  codec::JsonWriter w;
  w.BeginObject();
  w.Key("event").Raw(event_json);
  w.Key("decision").Raw(codec::EncodeDecision(decision));
  w.Key("collected").BeginObject();
  for (const auto& [slot, value] : event.collected) w.Field(slot, value);
  w.EndObject();
  w.Field("summary", event.summary);
  w.Field("repeat_contacts", decision.signals.repeat_contacts);
  if (decision.deadline && !decision.deadline->customer_message.empty()) {
    // Kept with the task: what the agent says if the deadline fails closed,
    // as the policy said it when the event was decided.
    w.Field("deadline_customer_message", decision.deadline->customer_message);
  }
  w.EndObject();
  return w.Take();
}

namespace {

// A retry of an event already recorded: the same body gets the recorded
// answer byte for byte and changes nothing; another body is a conflict that
// names what differs (ADR 0009).
Result<SubmitResult> AnswerRetry(const engine::Event& event, std::string_view digest,
                                 const store::RecordedEvent& first) {
  // Rows recorded before digests were kept have none: their answer stands.
  if (first.event_digest.empty() || first.event_digest == digest) {
    SubmitResult replay;
    replay.decision_json = first.answer_json;
    replay.task_id = first.task_id;
    replay.duplicate = true;
    return replay;
  }
  std::string message = "event_id '" + event.event_id + "' of workflow '" + event.workflow +
                        "' was already recorded with a different body";
  if (auto recorded = codec::ParseEvent(first.event_json)) {
    const std::vector<std::string> fields = engine::DifferingFields(*recorded, event);
    message += "; fields that differ: ";
    for (size_t i = 0; i < fields.size(); ++i) message += (i ? ", " : "") + fields[i];
  } else {
    message += " (its text has been erased, so the fields cannot be named)";
  }
  message += ". A retry must repeat the event exactly; a new event needs a new event_id";
  return MakeError(ErrorCode::kAlreadyExists, std::move(message));
}

}  // namespace

Result<SubmitResult> Gateway::SubmitEvent(const Principal& who, std::string_view event_json) {
  auto pending = AcceptEvent(who, event_json);
  HITLGATE_RETURN_IF_ERROR(pending);
  turns_->TakeBlocking(pending->turn);
  pending->has_turn = true;
  DecideEvent(*pending);
  auto written = store_.RecordDecision(*pending->record, pending->task, {}, pending->now);
  return FinishEvent(*pending, std::move(written));
}

Result<void> Gateway::CheckEventClock(const engine::Event& event) const {
  if (!event.at || options_.event_clock_skew <= Duration::zero()) return {};
  const TimePoint now = clock_.Now();
  const Duration off = *event.at > now ? *event.at - now : now - *event.at;
  if (off <= options_.event_clock_skew) return {};
  const auto seconds = [](Duration d) {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count());
  };
  std::string message = "field 'at': ";
  message += seconds(off);
  message += *event.at > now ? " s ahead of" : " s behind";
  message += " the server's clock; events are accepted within ";
  message += seconds(options_.event_clock_skew);
  message += " s of it (serve --event-clock-skew). Leave 'at' out to use the server's time";
  return InvalidArgument(std::move(message));
}

Result<PendingEvent> Gateway::AcceptEvent(const Principal& who, std::string_view event_json) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kSubmitEvents));
  auto event = codec::ParseEvent(event_json);
  HITLGATE_RETURN_IF_ERROR(event);
  HITLGATE_RETURN_IF_ERROR(RequireWorkflow(who, event->workflow));
  HITLGATE_RETURN_IF_ERROR(CheckEventClock(*event));
  if (const auto policy = engine_.policy(); !policy->AcceptsWorkflow(event->workflow)) {
    return InvalidArgument("field 'workflow': '" + event->workflow +
                           "' is not a workflow of the active policy (" + policy->name() +
                           "); declare it under workflows:");
  }
  PendingEvent pending;
  // Latency is a measurement, not business time: the steady clock is right.
  pending.started = std::chrono::steady_clock::now();
  pending.who = who;
  pending.digest = crypto::Sha256Hex(codec::EncodeEvent(*event));
  pending.turn = engine::InteractionKey(*event);
  pending.body = std::string(event_json);
  pending.event = std::move(*event);
  return pending;
}

void Gateway::AwaitTurn(PendingEvent& pending, std::move_only_function<void()> start) {
  pending.has_turn = true;
  turns_->Take(pending.turn, std::move(start));
}

void Gateway::DecideEvent(PendingEvent& p) {
  const engine::Event& event = p.event;
  p.now = clock_.Now();
  const auto earned_levels = AutonomyLevels();
  // Nothing is recorded yet: a retry of a recorded event is found by the
  // store's write, inside its transaction, and the state change dropped.
  p.decision = engine_.Decide(event, earned_levels.get(), &p.state_change);
  p.decided = true;
  engine::Decision& decision = p.decision;
  p.consumed = supervision_->ApplyControls(event, &decision);
  const bool earned_sample = SampleEarnedAutonomy(event, &decision);
  if (event.deadline_ms && decision.outcome == engine::Outcome::kHold) {
    // After the controls: a supervisor's "hold next turn" is a hold too.
    engine::DeadlinePlan plan = engine_.policy()->DeadlineFor(event);
    plan.deadline_ms = *event.deadline_ms;
    plan.at = p.now + std::chrono::milliseconds(*event.deadline_ms);
    decision.deadline = std::move(plan);
  }

  std::optional<store::NewTask> task;
  if (OpensTask(decision.outcome) && decision.route) {
    const engine::Route& route = *decision.route;
    store::NewTask t;
    t.kind = decision.outcome == engine::Outcome::kHandoff ? store::TaskKind::kHandoff
                                                          : store::TaskKind::kHold;
    t.queue = route.queue;
    t.skills = route.skills;
    // The event's language, else the detected one: the task goes to
    // reviewers who read it (those who declare no languages take any).
    t.language = decision.signals.language;
    t.priority = std::clamp(route.priority, 1, 5);
    t.created_at = p.now;
    t.due_at = p.now + std::chrono::seconds(std::max(route.sla_seconds, 1));
    if (t.kind == store::TaskKind::kHold && route.hold_notice_seconds > 0) {
      t.hold_notice_at = p.now + std::chrono::seconds(route.hold_notice_seconds);
    }
    if (decision.deadline) t.deadline = store::TaskDeadline{decision.deadline->at, decision.deadline->fallback};
    t.context_json = BuildTaskContext(event, p.body, decision);
    t.id = ids_.NewId("t");
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
    t.created_at = p.now;
    t.due_at = p.now + options_.audit_sample_due;
    t.context_json = BuildTaskContext(event, p.body, decision);
    t.id = ids_.NewId("t");
    task = std::move(t);
  }
  // The answer is stored as it is sent, so a retry gets the same bytes.
  p.answer = codec::EncodeAnswer(decision, task ? std::string_view(task->id) : "");

  store::DecisionRecord record;
  record.event_id = event.event_id;
  record.event_digest = p.digest;
  record.interaction_id = event.interaction_id;
  record.customer_id = event.customer_id;
  record.workflow = event.workflow;
  record.channel = event.channel;
  record.event_index = decision.event_index;
  record.type = event.type;
  record.at = event.at.value_or(p.now);
  record.event_json = std::move(p.body);  // the last use of the body
  record.decision_json = p.answer;
  record.outcome = decision.outcome;
  record.policy_version = decision.policy_version;
  record.recorded_by = p.who.key_id;
  p.record = std::move(record);
  p.task = std::move(task);
}

void Gateway::WriteEvent(PendingEvent& p, std::move_only_function<void(Result<store::RecordedDecision>)> done) {
  store::DecisionRecord record = std::move(*p.record);
  p.record.reset();
  store_.RecordDecisionAsync(std::move(record), p.task, p.now, std::move(done));
}

Result<SubmitResult> Gateway::FinishEvent(PendingEvent& p, Result<store::RecordedDecision> written) {
  // Ends the turn however this ends: the interaction's next event may go.
  struct TurnEnd {
    Gateway* gateway;
    PendingEvent* pending;
    ~TurnEnd() {
      if (pending->has_turn) gateway->turns_->Release(pending->turn);
      pending->has_turn = false;
    }
  } turn_end{this, &p};
  const engine::Event& event = p.event;
  if (!written || written->duplicate) {
    // Nothing was written (a failed write, or a copy of this event recorded
    // first: by an earlier request, a concurrent one or another node), so
    // nothing is remembered either.
    if (p.decided) engine_.Abandon(event);
    p.decided = false;
    HITLGATE_RETURN_IF_ERROR(written);
    return AnswerRetry(event, p.digest, *written->first);
  }
  engine_.Commit(event, p.state_change);
  p.decided = false;
  const engine::Decision& decision = p.decision;
  policies_->EvaluateShadow(event, decision);  // after the durable write

  if (p.consumed) {
    // Durable first, then cleared: a crash in between holds one more turn,
    // the safe side.
    (void)store_.ClearControl(p.consumed->kind, p.consumed->target, p.consumed->actor, p.now);
    (void)supervision_->RefreshControls();
  }
  supervision_->RecordDecision(event, decision, p.now);
  metrics_.DecisionMade(event.workflow, decision.outcome, decision.reasons,
                        std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - p.started));

  SubmitResult result;
  result.task_id = written->task_id;
  result.decision_json = std::move(p.answer);

  codec::JsonWriter live;
  live.BeginObject()
      .Field("interaction_id", event.interaction_id)
      .Field("workflow", event.workflow)
      .Field("channel", event.channel)
      .Field("type", engine::EventTypeName(event.type))
      .Field("decision", engine::OutcomeName(decision.outcome))
      .Key("sentiment").Number(decision.signals.sentiment, 4)
      .Field("task_id", result.task_id)
      .Key("triggers").BeginArray();
  for (const engine::Reason& r : decision.reasons) live.String(r.trigger);
  live.EndArray().EndObject();
  live_.Publish("decision", event.workflow, live.str());
  if (written->task) {
    // The task as written, not read back.
    live_.Publish("task.created", written->task->workflow,
                  gateway::TaskJson(*written->task, /*with_context=*/false));
  }
  return result;
}

Result<AgentTaskView> Gateway::AgentTask(const Principal& who, const std::string& task_id) {
  if (!who.Can(Permission::kSubmitEvents) && !who.Can(Permission::kReadQueues)) {
    return MakeError(ErrorCode::kPermissionDenied, "this key may not read tasks");
  }
  auto task = store_.GetTask(task_id);
  HITLGATE_RETURN_IF_ERROR(task);
  HITLGATE_RETURN_IF_ERROR(RequireWorkflow(who, task->workflow));
  const TimePoint now = clock_.Now();
  bool expired_now = false;
  if (store::DeadlinePassed(*task, now)) {
    // The agent asks at or after its deadline: settle it now rather than at
    // the next tick, so a voice agent hears the fallback on time.
    auto settled = SettleDeadlines(now, task_id);
    HITLGATE_RETURN_IF_ERROR(settled);
    expired_now = *settled > 0;
    task = store_.GetTask(task_id);
    HITLGATE_RETURN_IF_ERROR(task);
  }
  AgentTaskView view;
  // A handoff fallback leaves the task open for a person: the read that
  // expires it answers at once, and later waits go on for the person's reply
  // (the expiry itself wakes whoever was already waiting).
  view.settled = store::IsSettled(task->status) || expired_now;
  view.holding_notice = !view.settled && task->hold_notice_at && now >= *task->hold_notice_at;
  if (!view.settled && task->deadline && !task->expired_at) view.deadline_in = task->deadline->at - now;
  view.json = AgentViewJson(*task, now, options_.holding_message, ReceiptFor(*task));
  return view;
}

Result<std::string> Gateway::TaskStatusJson(const Principal& who, const std::string& task_id) {
  auto view = AgentTask(who, task_id);
  HITLGATE_RETURN_IF_ERROR(view);
  return std::move(view->json);
}

namespace {

std::string DeadlineCustomerMessage(const store::Task& task) {
  auto context = codec::JsonObjectReader::Parse(task.context_json);
  if (!context) return "";
  auto line = context->OptString("deadline_customer_message");
  return line && *line ? std::move(**line) : std::string();
}

// Delivers the proposal as it was: what a fail_open deadline and an approval
// without edits both send.
void WriteProposal(const engine::Event* ai, std::string_view edited_text,
                   std::string_view edited_action_json, codec::JsonWriter& w) {
  const std::string text(!edited_text.empty() ? edited_text : ai ? std::string_view(ai->text) : "");
  const bool has_action = !edited_action_json.empty() || (ai && ai->action);
  w.Field("deliver", !text.empty() || has_action);
  w.Field("text", text);
  if (!edited_action_json.empty()) {
    w.Key("action").Raw(edited_action_json);
    // The AI wrote its reply for the action it proposed ("I refunded 150
    // USD"); a reviewer who changed only the action leaves that reply wrong.
    if (edited_text.empty() && !text.empty()) w.Field("text_outdated", true);
  } else if (ai && ai->action) {
    w.Key("action").Raw(codec::EncodeAction(*ai->action));
  }
}

// The agent's deadline settled the task before a person did.
void WriteDeadlineFinal(const store::Task& task, codec::JsonWriter& w) {
  const engine::DeadlineFallback fallback = task.deadline->fallback;
  w.Key("final").BeginObject();
  if (fallback == engine::DeadlineFallback::kFailOpen) {
    const std::optional<engine::Event> proposal = HeldProposal(task);
    WriteProposal(proposal ? &*proposal : nullptr, "", "", w);
  } else {
    w.Field("deliver", false);
    if (std::string line = DeadlineCustomerMessage(task); !line.empty()) {
      w.Field("customer_message", line);
    }
  }
  w.Field("fallback", engine::DeadlineFallbackName(fallback));
  w.EndObject();
}

}  // namespace

std::string AgentViewJson(const store::Task& t, TimePoint now, std::string_view holding_message,
                          const std::optional<std::string>& receipt) {
  const store::Task* task = &t;

  codec::JsonWriter w;
  w.BeginObject();
  w.Field("task_id", task->id);
  w.Field("kind", store::TaskKindName(task->kind));
  w.Field("interaction_id", task->interaction_id);
  const bool answered = task->status == store::TaskStatus::kAnswered;
  const bool cancelled = task->status == store::TaskStatus::kCancelled;
  // Expired for the agent: a handed-off task may still be open for a person.
  const bool expired = !answered && !cancelled && task->expired_at.has_value();
  w.Field("status", answered ? "answered" : cancelled ? "cancelled" : expired ? "expired" : "pending");
  w.Field("queue", task->queue);
  w.Field("escalated", task->escalated);
  w.Field("due_at", FormatRfc3339(task->due_at));
  if (task->deadline) {
    w.Field("deadline_at", FormatRfc3339(task->deadline->at));
    w.Field("on_deadline", engine::DeadlineFallbackName(task->deadline->fallback));
  }
  if (answered && task->verdict) {
    const store::Verdict& v = *task->verdict;
    w.Key("verdict");
    WriteVerdict(v, w);
    // What the agent should deliver now, so it needs no merging logic.
    const std::optional<engine::Event> proposal = HeldProposal(*task);
    const engine::Event* ai = proposal ? &*proposal : nullptr;
    w.Key("final").BeginObject();
    if (task->kind == store::TaskKind::kAuditSample) {
      // An auditor judged work that already went out: nothing to deliver
      // (an edit is a correction for the learning loop, not an action).
      w.Field("deliver", false);
      w.EndObject();
      w.EndObject();
      return w.Take();
    }
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
      case store::VerdictKind::kEdited:
        WriteProposal(ai, v.edited_text, v.edited_action_json, w);
        break;
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
  } else if (expired) {
    WriteDeadlineFinal(*task, w);
  } else if (!cancelled && task->hold_notice_at && now >= *task->hold_notice_at) {
    // The hold has lasted past the policy's notice time: the customer should
    // hear something, with an honest estimate (the time left to the SLA).
    auto remaining = std::chrono::duration_cast<std::chrono::seconds>(task->due_at - now).count();
    w.Key("holding_message").BeginObject();
    w.Field("text", holding_message);
    w.Field("expected_wait_seconds", static_cast<std::int64_t>(std::max<std::int64_t>(remaining, 0)));
    w.EndObject();
  }
  // The signed approval, for the executor to check before it acts.
  if (receipt) w.Key("receipt").Raw(*receipt);
  w.EndObject();
  return w.Take();
}

}  // namespace hitlgate::gateway
