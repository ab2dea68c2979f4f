// Reviewers' side: queues, tasks, claims under leases, verdicts; the whole
// record of an interaction; and the held task as its agent reads it.
#include "hitlgate/gateway/review_service.h"

#include <algorithm>

#include "gateway/access.h"
#include "gateway/approval_limit.h"
#include "gateway/verdict_rules.h"
#include "hitlgate/codec/json.h"
#include "hitlgate/codec/review_json.h"
#include "hitlgate/gateway/gateway.h"

namespace hitlgate::gateway {
namespace {

bool IsSupervisor(const Principal& who) { return who.Can(Permission::kSuperviseTasks); }
bool IsAuditor(const Principal& who) { return who.role == store::Role::kAuditor; }

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

// The customer's other interactions a reviewer is shown: newest first, at
// most `limit`, never the task's own.
std::vector<store::InteractionRecord> RecentContacts(const store::Task& task,
                                                     std::vector<store::InteractionRecord> history,
                                                     size_t limit) {
  std::erase_if(history, [&](const store::InteractionRecord& r) {
    return r.interaction_id == task.interaction_id || r.decisions.empty();
  });
  std::ranges::stable_sort(history, [](const auto& a, const auto& b) {
    return a.decisions.back().record.at > b.decisions.back().record.at;
  });
  if (history.size() > limit) history.resize(limit);
  return history;
}

// The task's interaction up to the task's own event, of the task's workflow,
// at most `max` of the newest. Read when the task is shown rather than
// copied into it when it is opened: the event path does no read for it, and
// the customer's words are stored once.
std::vector<store::StoredDecision> Transcript(const store::Task& task, std::vector<store::StoredDecision> events,
                                              size_t max) {
  std::vector<store::StoredDecision> turns;
  for (store::StoredDecision& d : events) {
    if (d.record.workflow != task.workflow) continue;
    if (task.decision_seq > 0 && d.seq > task.decision_seq) break;
    turns.push_back(std::move(d));
  }
  if (turns.size() > max) turns.erase(turns.begin(), turns.end() - static_cast<std::ptrdiff_t>(max));
  return turns;
}

}  // namespace

ReviewService::ReviewService(store::Store& store, const engine::DecisionEngine& engine, const Clock& clock,
                             const GatewayOptions& options, LiveEvents& live, GatewayMetrics& metrics,
                             ReviewHooks hooks)
    : store_(store),
      engine_(engine),
      clock_(clock),
      options_(options),
      live_(live),
      metrics_(metrics),
      hooks_(std::move(hooks)) {}

store::ClaimRequest ReviewService::ClaimRequestFor(const Principal& who) const {
  store::ClaimRequest r;
  r.reviewer = who.key_id;
  r.skills = who.skills;
  r.languages = who.languages;
  r.max_concurrent = who.max_concurrent;
  if (!who.CoversAllWorkflows()) r.workflows = who.workflows;
  r.now = clock_.Now();
  r.lease_ttl = options_.lease_ttl;
  if (IsSupervisor(who)) {
    // Supervisors work the escalation queue with every skill a task may need:
    // escalated tasks must not wait for a rare specialist.
    for (const auto& q : engine_.policy()->queues()) {
      for (const std::string& s : q.skills) {
        if (std::find(r.skills.begin(), r.skills.end(), s) == r.skills.end()) r.skills.push_back(s);
      }
    }
  }
  return r;
}

bool ReviewService::CanWorkTask(const Principal& who, const store::Task& task) const {
  if (!who.CoversWorkflow(task.workflow)) return false;
  // Audit samples are the auditors' work (and supervisors' and admins');
  // everything else needs the right to work tasks.
  if (task.kind == store::TaskKind::kAuditSample) return IsAuditor(who) || IsSupervisor(who);
  // Relaxing oversight is a supervisor's decision (earned autonomy).
  if (task.kind == store::TaskKind::kAutonomyChange) return IsSupervisor(who);
  return who.Can(Permission::kWorkTasks);
}

Result<std::vector<QueueSummary>> ReviewService::Queues(const Principal& who) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kReadQueues));
  auto counts = store_.CountOpenByWorkflowAndQueue();
  HITLGATE_RETURN_IF_ERROR(counts);
  // A key scoped to some workflows sees their tasks alone, in the counts too.
  std::map<std::string, std::int64_t> open_by_queue;
  for (const auto& [workflow_queue, open] : *counts) {
    if (who.CoversWorkflow(workflow_queue.first)) open_by_queue[workflow_queue.second] += open;
  }
  std::vector<policy::QueueSpec> queues = engine_.policy()->queues();
  if (std::none_of(queues.begin(), queues.end(),
                   [&](const auto& q) { return q.name == options_.escalation_queue; })) {
    queues.push_back({options_.escalation_queue, {}, 1, 60});
  }
  queues.push_back({options_.audit_queue, {}, 5,
                    static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(options_.audit_sample_due).count())});
  const store::ClaimRequest me = ClaimRequestFor(who);
  std::vector<QueueSummary> out;
  out.reserve(queues.size());
  for (policy::QueueSpec& q : queues) {
    const bool escalation = q.name == options_.escalation_queue;
    const bool audit = q.name == options_.audit_queue;
    const bool has_skills = std::all_of(q.skills.begin(), q.skills.end(), [&](const std::string& s) {
      return std::find(me.skills.begin(), me.skills.end(), s) != me.skills.end();
    });
    auto it = open_by_queue.find(q.name);
    QueueSummary s;
    s.open = it == open_by_queue.end() ? 0 : it->second;
    s.can_work = audit ? (IsAuditor(who) || IsSupervisor(who))
                       : who.Can(Permission::kWorkTasks) && (escalation ? IsSupervisor(who) : has_skills);
    s.name = std::move(q.name);
    s.skills = std::move(q.skills);
    s.priority = q.priority;
    s.sla_seconds = q.sla_seconds;
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<TaskListEntry>> ReviewService::Tasks(const Principal& who, const store::TaskFilter& filter) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kReadQueues));
  if (filter.workflow) HITLGATE_RETURN_IF_ERROR(RequireWorkflow(who, *filter.workflow));
  auto tasks = store_.ListTasks(filter);
  HITLGATE_RETURN_IF_ERROR(tasks);
  // A key scoped to some workflows lists their tasks only (the page may come
  // back shorter than the limit; ?workflow= names one to page through it).
  std::erase_if(*tasks, [&](const store::Task& t) { return !who.CoversWorkflow(t.workflow); });
  std::stable_sort(tasks->begin(), tasks->end(), [](const store::Task& a, const store::Task& b) {
    if (a.priority != b.priority) return a.priority < b.priority;
    return a.due_at < b.due_at;
  });
  const store::ClaimRequest me = ClaimRequestFor(who);
  std::vector<TaskListEntry> out;
  out.reserve(tasks->size());
  for (store::Task& t : *tasks) {
    const bool escalation_ok = t.queue != options_.escalation_queue || IsSupervisor(who);
    const bool can_claim = CanWorkTask(who, t) && escalation_ok && store::Qualifies(t, me);
    out.push_back({std::move(t), can_claim});
  }
  return out;
}

Result<ReviewerTask> ReviewService::Task(const Principal& who, const std::string& task_id) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kReadQueues));
  auto task = store_.GetTask(task_id);
  HITLGATE_RETURN_IF_ERROR(task);
  HITLGATE_RETURN_IF_ERROR(RequireWorkflow(who, task->workflow));
  return ViewForReviewer(who, std::move(*task), /*with_contacts=*/true);
}

Result<ReviewerTask> ReviewService::ViewForReviewer(const Principal& who, store::Task task, bool with_contacts) {
  constexpr size_t kRecentContacts = 10;
  ReviewerTask view;
  std::optional<store::InteractionRecord> own;
  if (with_contacts && !task.customer_id.empty()) {
    // One more than shown: the task's own interaction is among them.
    auto history = store_.ListCustomerInteractions(task.customer_id, static_cast<int>(kRecentContacts) + 1);
    HITLGATE_RETURN_IF_ERROR(history);
    for (store::InteractionRecord& r : *history) {
      if (r.interaction_id == task.interaction_id) own = r;
      // The customer's contacts in workflows this key does not cover are
      // not this reviewer's to see.
      KeepCovered(&r, who);
    }
    view.recent_contacts = RecentContacts(task, std::move(*history), kRecentContacts);
  } else if (with_contacts) {
    view.recent_contacts.emplace();
  }
  // The transcript comes from the task's own interaction: among the
  // customer's, or read on its own.
  if (!own && !task.interaction_id.empty()) {
    if (auto read = store_.GetInteraction(task.interaction_id)) own = std::move(*read);
  }
  if (own) {
    view.transcript = Transcript(task, std::move(own->decisions), static_cast<size_t>(options_.max_transcript_events));
  }
  view.task = std::move(task);
  return view;
}

Result<ReviewerTask> ReviewService::ClaimNext(const Principal& who, const std::vector<std::string>& queues) {
  store::ClaimRequest request = ClaimRequestFor(who);
  request.queues = queues;
  if (IsAuditor(who)) {
    // Auditors work the sampled autonomous conversations, nothing else.
    request.queues = {options_.audit_queue};
  } else {
    HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kWorkTasks));
    if (IsSupervisor(who) && request.queues.empty()) {
      for (const auto& q : engine_.policy()->queues()) request.queues.push_back(q.name);
      request.queues.push_back(options_.escalation_queue);
    }
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
  live_.Publish("task.claimed", task->workflow, codec::TaskJson(*task, false));
  return ViewForReviewer(who, std::move(*task), /*with_contacts=*/false);
}

Result<ReviewerTask> ReviewService::Claim(const Principal& who, const std::string& task_id) {
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
    for (const std::string& s : current->skills) request.skills.push_back(s);
    if (!current->language.empty()) request.languages.push_back(current->language);
  }
  auto task = store_.Claim(task_id, request);
  HITLGATE_RETURN_IF_ERROR(task);
  live_.Publish("task.claimed", task->workflow, codec::TaskJson(*task, false));
  return ViewForReviewer(who, std::move(*task), /*with_contacts=*/false);
}

Result<store::Task> ReviewService::RenewLease(const Principal& who, const std::string& task_id,
                                              const std::string& lease_id) {
  if (!who.Can(Permission::kWorkTasks) && !IsAuditor(who)) {
    return MakeError(ErrorCode::kPermissionDenied, "this key may not work tasks");
  }
  return store_.RenewLease(task_id, lease_id, who.key_id, clock_.Now(), options_.lease_ttl);
}

Result<store::Task> ReviewService::Release(const Principal& who, const std::string& task_id,
                                           const std::string& lease_id) {
  if (!who.Can(Permission::kWorkTasks) && !IsAuditor(who)) {
    return MakeError(ErrorCode::kPermissionDenied, "this key may not work tasks");
  }
  auto task = store_.Release(task_id, lease_id, who.key_id, clock_.Now());
  HITLGATE_RETURN_IF_ERROR(task);
  live_.Publish("task.released", task->workflow, codec::TaskJson(*task, false));
  return task;
}

Result<store::Task> ReviewService::SubmitVerdict(const Principal& who, const std::string& task_id,
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
  auto receipt = hooks_.prepare_receipt(who, *current, *verdict, now, &options);
  HITLGATE_RETURN_IF_ERROR(receipt);
  // The webhook delivery rides in the verdict's transaction: a committed
  // verdict always reaches the agent, at least once.
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
      m.payload_json = codec::AgentTaskJson(AgentView(std::move(answered), now, *receipt));
      m.next_attempt_at = now;
      options.outbox.push_back(std::move(m));
    }
  }
  auto task = store_.SubmitVerdict(task_id, request.lease_id, *verdict, now, options);
  HITLGATE_RETURN_IF_ERROR(task);
  if (*receipt) hooks_.remember_receipt(task_id, **receipt);
  metrics_.VerdictGiven(verdict->kind, task->queue, now - task->created_at);
  live_.TaskChanged(task_id);
  live_.Publish("task.answered", task->workflow, codec::TaskJson(*task, false));
  return task;
}

Result<store::InteractionRecord> ReviewService::Interaction(const Principal& who, const std::string& interaction_id,
                                                            const std::string& workflow) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kReadInteractions));
  auto record = store_.GetInteraction(interaction_id);
  HITLGATE_RETURN_IF_ERROR(record);
  if (!workflow.empty()) HITLGATE_RETURN_IF_ERROR(RequireWorkflow(who, workflow));
  if (!who.CoversAllWorkflows()) {
    KeepCovered(&*record, who);
    if (record->decisions.empty() && record->tasks.empty()) {
      return NotFound("no interaction " + interaction_id + " in the workflows of this key");
    }
  }
  if (!workflow.empty()) {
    KeepWorkflow(&*record, workflow);
    if (record->decisions.empty() && record->tasks.empty()) {
      return NotFound("no interaction " + interaction_id + " in workflow " + workflow);
    }
  }
  return record;
}

AgentTaskView ReviewService::AgentView(store::Task task, TimePoint now, std::optional<std::string> receipt_json) const {
  AgentTaskView view;
  view.task = std::move(task);
  view.now = now;
  view.holding_message = options_.holding_message;
  view.receipt_json = std::move(receipt_json);
  return view;
}

Result<AgentTaskView> ReviewService::AgentTask(const Principal& who, const std::string& task_id) {
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
    auto settled = hooks_.settle_deadlines(now, task_id);
    HITLGATE_RETURN_IF_ERROR(settled);
    expired_now = *settled > 0;
    task = store_.GetTask(task_id);
    HITLGATE_RETURN_IF_ERROR(task);
  }
  std::optional<std::string> receipt = hooks_.receipt_for(*task);
  AgentTaskView view = AgentView(std::move(*task), now, std::move(receipt));
  const store::Task& t = view.task;
  // A handoff fallback leaves the task open for a person: the read that
  // expires it answers at once, and later waits go on for the person's reply
  // (the expiry itself wakes whoever was already waiting).
  view.settled = store::IsSettled(t.status) || expired_now;
  view.holding_notice = !view.settled && t.hold_notice_at && now >= *t.hold_notice_at;
  if (!view.settled && t.deadline && !t.expired_at) view.deadline_in = t.deadline->at - now;
  return view;
}

}  // namespace hitlgate::gateway
