// Agents' side: an event in, a durable decision out.
#include "hitlgate/gateway/event_service.h"

#include <algorithm>
#include <chrono>

#include "gateway/access.h"
#include "gateway/interaction_turns.h"
#include "gateway/live_stats.h"
#include "gateway/verdict_rules.h"
#include "hitlgate/codec/json.h"
#include "hitlgate/codec/json_reader.h"
#include "hitlgate/codec/json_writer.h"
#include "hitlgate/codec/review_json.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/crypto/hash.h"
#include "hitlgate/gateway/autonomy_service.h"
#include "hitlgate/gateway/gateway.h"
#include "hitlgate/gateway/live_events.h"
#include "hitlgate/gateway/policy_service.h"
#include "hitlgate/gateway/supervision_service.h"

namespace hitlgate::gateway {
namespace {

bool OpensTask(engine::Outcome o) {
  return o == engine::Outcome::kHold || o == engine::Outcome::kHandoff;
}

}  // namespace

EventService::EventService(store::Store& store, engine::DecisionEngine& engine, const Clock& clock,
                           store::IdGenerator& ids, LiveEvents& live, GatewayMetrics& metrics,
                           const GatewayOptions& options, EventServiceDeps deps)
    : store_(store),
      engine_(engine),
      clock_(clock),
      ids_(ids),
      live_(live),
      metrics_(metrics),
      options_(options),
      autonomy_(deps.autonomy),
      supervision_(deps.supervision),
      policies_(deps.policies),
      review_(deps.review),
      turns_(std::make_unique<InteractionTurns>()) {}

EventService::~EventService() = default;

// The task's context: the event, its decision, what the AI collected and
// its summary. The transcript is not copied in: reviewers' task views read
// it from the interaction's recorded events (ReviewService::Task).
std::string EventService::BuildTaskContext(const engine::Event& event, std::string_view event_json,
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

Result<SubmitResult> EventService::Submit(const Principal& who, std::string_view event_json) {
  auto pending = Accept(who, event_json);
  HITLGATE_RETURN_IF_ERROR(pending);
  turns_->TakeBlocking(pending->turn);
  pending->has_turn = true;
  Decide(*pending);
  auto written = store_.RecordDecision(*pending->record, pending->task, {}, pending->now);
  return Finish(*pending, std::move(written));
}

Result<void> EventService::CheckEventClock(const engine::Event& event) const {
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

Result<PendingEvent> EventService::Accept(const Principal& who, std::string_view event_json) {
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

void EventService::AwaitTurn(PendingEvent& pending, std::move_only_function<void()> start) {
  pending.has_turn = true;
  turns_->Take(pending.turn, std::move(start));
}

void EventService::Decide(PendingEvent& p) {
  const engine::Event& event = p.event;
  p.now = clock_.Now();
  const auto earned_levels = autonomy_.Levels();
  // Nothing is recorded yet: a retry of a recorded event is found by the
  // store's write, inside its transaction, and the state change dropped.
  p.decision = engine_.Decide(event, earned_levels.get(), &p.state_change);
  p.decided = true;
  engine::Decision& decision = p.decision;
  p.consumed = supervision_.ApplyControls(event, &decision);
  const bool earned_sample = autonomy_.SampleAudit(event, &decision);
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

void EventService::Write(PendingEvent& p, std::move_only_function<void(Result<store::RecordedDecision>)> done) {
  store::DecisionRecord record = std::move(*p.record);
  p.record.reset();
  store_.RecordDecisionAsync(std::move(record), p.task, p.now, std::move(done));
}

Result<SubmitResult> EventService::Finish(PendingEvent& p, Result<store::RecordedDecision> written) {
  // Ends the turn however this ends: the interaction's next event may go.
  struct TurnEnd {
    EventService* service;
    PendingEvent* pending;
    ~TurnEnd() {
      if (pending->has_turn) service->turns_->Release(pending->turn);
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
  policies_.EvaluateShadow(event, decision);  // after the durable write

  if (p.consumed) {
    // Durable first, then cleared: a crash in between holds one more turn,
    // the safe side. A clear that fails (the store is down) is the same
    // case and is not the agent's error: its event is durable and answered;
    // the control stays in force, holds the next turn too, and that turn
    // clears it again.
    (void)store_.ClearControl(p.consumed->kind, p.consumed->target, p.consumed->actor, p.now);
    (void)supervision_.RefreshControls();
  }
  supervision_.RecordDecision(event, decision, p.now);
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
                  codec::TaskJson(*written->task, /*with_context=*/false));
  }
  return result;
}

}  // namespace hitlgate::gateway
