// Reviewers' side: queues, tasks, claims under leases, verdicts; and the
// whole record of an interaction.
#include <algorithm>
#include <set>

#include "gateway/access.h"
#include "gateway/approval_limit.h"
#include "gateway/json_views.h"
#include "gateway/verdict_rules.h"
#include "hitlgate/codec/json.h"
#include "hitlgate/codec/json_writer.h"
#include "hitlgate/gateway/gateway.h"

namespace hitlgate::gateway {
namespace {

bool IsSupervisor(const Principal& who) { return who.Can(Permission::kSuperviseTasks); }

Result<store::Verdict> ToVerdict(const Principal& who, const VerdictRequest& r) {
  store::Verdict v;
  v.kind = r.kind;
  v.reviewer = who.key_id;
  v.edited_text = r.edited_text;
  v.reason = r.reason;
  v.customer_message = r.customer_message;
  v.note = r.note;
  if (!r.edited_action_json.empty()) {
    // Validated like an event's action, so the agent can trust what it gets.
    auto action = codec::ParseAction(r.edited_action_json);
    if (!action) {
      return InvalidArgument("field 'edited_action': " + action.error().message());
    }
    v.edited_action_json = codec::EncodeAction(*action);
  }
  switch (r.kind) {
    case store::VerdictKind::kEdited:
      if (v.edited_text.empty() && v.edited_action_json.empty()) {
        return InvalidArgument("an edited verdict needs 'edited_text' or 'edited_action'");
      }
      break;
    case store::VerdictKind::kRejected:
      if (v.reason.empty()) return InvalidArgument("field 'reason': required to reject");
      break;
    default:
      break;
  }
  return v;
}

bool IsAuditor(const Principal& who) { return who.role == store::Role::kAuditor; }

}  // namespace

bool Gateway::CanWorkTask(const Principal& who, const store::Task& task) const {
  // Audit samples are the auditors' work (and supervisors' and admins');
  // everything else needs the right to work tasks.
  if (task.kind == store::TaskKind::kAuditSample) return IsAuditor(who) || who.Can(Permission::kSuperviseTasks);
  // Relaxing oversight is a supervisor's decision (earned autonomy).
  if (task.kind == store::TaskKind::kAutonomyChange) return who.Can(Permission::kSuperviseTasks);
  return who.Can(Permission::kWorkTasks);
}

Result<std::string> Gateway::QueuesJson(const Principal& who) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kReadQueues));
  auto counts = store_.CountOpenByQueue();
  HITLGATE_RETURN_IF_ERROR(counts);
  auto program = engine_.policy();
  std::vector<policy::QueueSpec> queues = program->queues();
  if (std::none_of(queues.begin(), queues.end(),
                   [&](const auto& q) { return q.name == options_.escalation_queue; })) {
    queues.push_back({options_.escalation_queue, {}, 1, 60});
  }
  queues.push_back({options_.audit_queue, {}, 5, static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(options_.audit_sample_due).count())});
  store::ClaimRequest me = ClaimRequestFor(who);
  codec::JsonWriter w;
  w.BeginObject().Key("queues").BeginArray();
  for (const policy::QueueSpec& q : queues) {
    const bool escalation = q.name == options_.escalation_queue;
    const bool has_skills = std::all_of(q.skills.begin(), q.skills.end(), [&](const std::string& s) {
      return std::find(me.skills.begin(), me.skills.end(), s) != me.skills.end();
    });
    auto it = counts->find(q.name);
    w.BeginObject();
    w.Field("name", q.name);
    w.Key("skills").Strings(q.skills);
    w.Field("priority", q.priority);
    w.Field("sla_seconds", q.sla_seconds);
    w.Field("open", static_cast<std::int64_t>(it == counts->end() ? 0 : it->second));
    const bool audit = q.name == options_.audit_queue;
    w.Field("can_work", audit ? (IsAuditor(who) || IsSupervisor(who))
                              : who.Can(Permission::kWorkTasks) && (escalation ? IsSupervisor(who) : has_skills));
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

Result<std::string> Gateway::TasksJson(const Principal& who, const store::TaskFilter& filter) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kReadQueues));
  auto tasks = store_.ListTasks(filter);
  HITLGATE_RETURN_IF_ERROR(tasks);
  // The order a reviewer works them in: most urgent, then earliest deadline.
  std::stable_sort(tasks->begin(), tasks->end(), [](const store::Task& a, const store::Task& b) {
    if (a.priority != b.priority) return a.priority < b.priority;
    return a.due_at < b.due_at;
  });
  store::ClaimRequest me = ClaimRequestFor(who);
  codec::JsonWriter w;
  w.BeginObject().Key("tasks").BeginArray();
  for (const store::Task& t : *tasks) {
    const bool escalation_ok = t.queue != options_.escalation_queue || IsSupervisor(who);
    WriteTask(t, w, /*with_context=*/false, CanWorkTask(who, t) && escalation_ok && store::Qualifies(t, me));
  }
  w.EndArray().EndObject();
  return w.Take();
}

Result<std::string> Gateway::TaskJson(const Principal& who, const std::string& task_id) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kReadQueues));
  auto task = store_.GetTask(task_id);
  HITLGATE_RETURN_IF_ERROR(task);
  return ReviewerTaskJson(*task, /*with_contacts=*/true);
}

Result<std::string> Gateway::ReviewerTaskJson(const store::Task& t, bool with_contacts) {
  const store::Task* task = &t;
  constexpr size_t kRecentContacts = 10;
  std::vector<store::InteractionRecord> history;
  if (with_contacts && !task->customer_id.empty()) {
    // One more than shown: the task's own interaction is among them.
    auto found = store_.ListCustomerInteractions(task->customer_id, static_cast<int>(kRecentContacts) + 1);
    HITLGATE_RETURN_IF_ERROR(found);
    history = std::move(*found);
  }
  // The transcript comes from the task's own interaction: among the
  // customer's, or read on its own.
  std::optional<store::InteractionRecord> own;
  const store::InteractionRecord* transcript = nullptr;
  for (const store::InteractionRecord& r : history) {
    if (r.interaction_id == task->interaction_id) transcript = &r;
  }
  if (transcript == nullptr && !task->interaction_id.empty()) {
    if (auto read = store_.GetInteraction(task->interaction_id)) {
      own = std::move(*read);
      transcript = &*own;
    }
  }
  return gateway::TaskWithRecentContactsJson(*task, history, with_contacts ? kRecentContacts : 0, transcript,
                                             static_cast<size_t>(options_.max_transcript_events));
}

Result<std::string> Gateway::ClaimNext(const Principal& who, const std::vector<std::string>& queues) {
  store::ClaimRequest request = ClaimRequestFor(who);
  request.queues = queues;
  if (IsAuditor(who)) {
    // Auditors work the sampled autonomous conversations, nothing else.
    request.queues = {options_.audit_queue};
  } else if (auto ok = Require(who, Permission::kWorkTasks); !ok) {
    return std::unexpected(ok.error());
  } else if (IsSupervisor(who) && request.queues.empty()) {
    for (const auto& q : engine_.policy()->queues()) request.queues.push_back(q.name);
    request.queues.push_back(options_.escalation_queue);
  }
  if (!IsSupervisor(who) && !IsAuditor(who)) {
    // Only supervisors work the escalation queue.
    if (request.queues.empty()) {
      for (const auto& q : engine_.policy()->queues()) {
        if (q.name != options_.escalation_queue) request.queues.push_back(q.name);
      }
    } else {
      std::erase(request.queues, options_.escalation_queue);
      std::erase(request.queues, options_.audit_queue);
      if (request.queues.empty()) {
        return MakeError(ErrorCode::kPermissionDenied,
                         "only supervisors work the escalation queue, and auditors the audit queue");
      }
    }
  }
  auto task = store_.ClaimNext(request);
  HITLGATE_RETURN_IF_ERROR(task);
  live_.Publish("task.claimed", task->workflow, gateway::TaskJson(*task, false));
  return ReviewerTaskJson(*task, /*with_contacts=*/false);
}

Result<std::string> Gateway::Claim(const Principal& who, const std::string& task_id) {
  auto current = store_.GetTask(task_id);
  HITLGATE_RETURN_IF_ERROR(current);
  if (!CanWorkTask(who, *current)) {
    return MakeError(ErrorCode::kPermissionDenied, "this key may not work task " + task_id);
  }
  // Only supervisors work the escalation queue (as in ClaimNext); an escalated
  // task keeps its skills, so the store alone would let a reviewer take it.
  // Whoever held the lease when it escalated keeps it.
  if (current->queue == options_.escalation_queue && !IsSupervisor(who) &&
      !(current->lease && current->lease->owner == who.key_id)) {
    return MakeError(ErrorCode::kPermissionDenied, "only supervisors work the escalation queue");
  }
  store::ClaimRequest request = ClaimRequestFor(who);
  if (IsSupervisor(who)) {
    // A supervisor may take any task over, whatever skills it asks for.
    if (auto t = store_.GetTask(task_id)) {
      for (const std::string& s : t->skills) request.skills.push_back(s);
      if (!t->language.empty()) request.languages.push_back(t->language);
    }
  }
  auto task = store_.Claim(task_id, request);
  HITLGATE_RETURN_IF_ERROR(task);
  live_.Publish("task.claimed", task->workflow, gateway::TaskJson(*task, false));
  return ReviewerTaskJson(*task, /*with_contacts=*/false);
}

Result<std::string> Gateway::RenewLease(const Principal& who, const std::string& task_id,
                                        const std::string& lease_id) {
  if (!who.Can(Permission::kWorkTasks) && !IsAuditor(who)) {
    return MakeError(ErrorCode::kPermissionDenied, "this key may not work tasks");
  }
  auto task = store_.RenewLease(task_id, lease_id, who.key_id, clock_.Now(), options_.lease_ttl);
  HITLGATE_RETURN_IF_ERROR(task);
  return gateway::TaskJson(*task, false);
}

Result<std::string> Gateway::Release(const Principal& who, const std::string& task_id,
                                     const std::string& lease_id) {
  if (!who.Can(Permission::kWorkTasks) && !IsAuditor(who)) {
    return MakeError(ErrorCode::kPermissionDenied, "this key may not work tasks");
  }
  auto task = store_.Release(task_id, lease_id, who.key_id, clock_.Now());
  HITLGATE_RETURN_IF_ERROR(task);
  live_.Publish("task.released", task->workflow, gateway::TaskJson(*task, false));
  return gateway::TaskJson(*task, false);
}

Result<std::string> Gateway::SubmitVerdict(const Principal& who, const std::string& task_id,
                                           const VerdictRequest& request) {
  if (!who.Can(Permission::kWorkTasks) && !IsAuditor(who)) {
    return MakeError(ErrorCode::kPermissionDenied, "this key may not give verdicts");
  }
  if (request.override) {
    HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kSuperviseTasks));
  }
  auto verdict = ToVerdict(who, request);
  HITLGATE_RETURN_IF_ERROR(verdict);
  const TimePoint now = clock_.Now();

  store::VerdictOptions options;
  options.override = request.override;
  // The webhook delivery rides in the verdict's transaction: a committed
  // verdict always reaches the agent, at least once.
  auto current = store_.GetTask(task_id);
  HITLGATE_RETURN_IF_ERROR(current);
  if (!CanWorkTask(who, *current)) {
    return MakeError(ErrorCode::kPermissionDenied, "this key may not answer task " + task_id);
  }
  {
    const std::optional<engine::Event> held = HeldProposal(*current);
    HITLGATE_RETURN_IF_ERROR(CheckVerdictFitsTask(*current, *verdict, held ? &*held : nullptr));
  }
  HITLGATE_RETURN_IF_ERROR(CheckApprovalLimit(who, *current, *verdict));
  // Signed before the transaction and written in it: a receipt exists
  // exactly when its verdict does.
  auto receipt = PrepareReceipt(who, *current, *verdict, now, &options);
  HITLGATE_RETURN_IF_ERROR(receipt);
  if (auto hooks = store_.ListWebhooks(); hooks && current->kind != store::TaskKind::kAuditSample) {
    for (const store::Webhook& hook : *hooks) {
      if (hook.workflow != current->workflow) continue;
      store::Task answered = *current;
      answered.status = store::TaskStatus::kAnswered;
      answered.verdict = *verdict;
      answered.verdict->at = now;
      store::OutboxMessage m;
      m.workflow = hook.workflow;
      m.url = hook.url;
      m.event_type = "task.answered";
      m.task_id = task_id;
      m.payload_json = AgentViewJson(answered, now, options_.holding_message, *receipt);
      m.next_attempt_at = now;
      options.outbox.push_back(std::move(m));
    }
  }
  auto task = store_.SubmitVerdict(task_id, request.lease_id, *verdict, now, options);
  HITLGATE_RETURN_IF_ERROR(task);
  if (*receipt) RememberReceipt(task_id, **receipt);
  metrics_.VerdictGiven(verdict->kind, task->queue, now - task->created_at);
  live_.TaskChanged(task_id);
  live_.Publish("task.answered", task->workflow, gateway::TaskJson(*task, false));
  return gateway::TaskJson(*task, false);
}

Result<std::string> Gateway::InteractionJson(const Principal& who, const std::string& interaction_id,
                                             const std::string& workflow) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kReadInteractions));
  auto record = store_.GetInteraction(interaction_id);
  HITLGATE_RETURN_IF_ERROR(record);
  if (!workflow.empty()) {
    KeepWorkflow(&*record, workflow);
    if (record->decisions.empty() && record->tasks.empty()) {
      return NotFound("no interaction " + interaction_id + " in workflow " + workflow);
    }
  }
  codec::JsonWriter w;
  w.BeginObject();
  w.Field("interaction_id", record->interaction_id);
  w.Field("customer_id", record->customer_id);
  w.Key("events").BeginArray();
  for (const store::StoredDecision& d : record->decisions) {
    w.BeginObject();
    w.Field("seq", d.seq);
    w.Field("workflow", d.record.workflow);
    w.Key("event").Raw(d.record.event_json);
    w.Key("decision").Raw(d.record.decision_json);
    if (!d.task_id.empty()) w.Field("task_id", d.task_id);
    w.EndObject();
  }
  w.EndArray();
  w.Key("tasks").BeginArray();
  for (const store::Task& t : record->tasks) WriteTask(t, w, /*with_context=*/false);
  w.EndArray();
  w.EndObject();
  return w.Take();
}

}  // namespace hitlgate::gateway
