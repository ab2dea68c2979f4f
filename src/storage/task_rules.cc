#include "storage/task_rules.h"

#include <tuple>

#include "hitlgate/audit/payload.h"
#include "hitlgate/crypto/hash.h"

namespace hitlgate::store::internal {
namespace {

constexpr char kSeparator = '\x1f';

std::string Digest(std::string_view text) { return crypto::Sha256Hex(text); }

std::string Micros(TimePoint t) { return audit::FormatMicros(t); }

}  // namespace

// ---- Decisions ----

Result<void> ValidateDecision(const DecisionRecord& d, const std::optional<NewTask>& task) {
  if (d.interaction_id.empty()) return InvalidArgument("decision: interaction_id is empty");
  if (!task) return {};
  if (task->priority < 1 || task->priority > 5) {
    return InvalidArgument("task: priority must be 1..5, got " + std::to_string(task->priority));
  }
  if (task->queue.empty()) return InvalidArgument("task: queue is empty");
  return ValidateNames("task skills", task->skills);
}

Task MakeTask(const NewTask& t, const DecisionRecord& d, std::string id, std::int64_t decision_seq) {
  Task task;
  task.id = t.id.empty() ? std::move(id) : t.id;
  task.kind = t.kind;
  task.status = TaskStatus::kOpen;
  task.interaction_id = d.interaction_id;
  task.customer_id = d.customer_id;
  task.workflow = d.workflow;
  task.queue = t.queue;
  task.skills = t.skills;
  task.language = t.language;
  task.priority = t.priority;
  task.created_at = t.created_at;
  task.due_at = t.due_at;
  task.hold_notice_at = t.hold_notice_at;
  task.deadline = t.deadline;
  task.context_json = t.context_json;
  task.decision_seq = decision_seq;
  return task;
}

std::vector<audit::AuditEntry> DecisionAudit(const DecisionRecord& d, std::int64_t decision_seq,
                                             const Task* task,
                                             const std::vector<audit::AuditEntry>& extra) {
  std::vector<audit::AuditEntry> out;
  // The event's text is personal data: the chain holds its digest, the
  // decisions table holds the text, so erasing a customer later deletes the
  // text without breaking the chain (docs/audit-format.md). The decision is
  // committed to the same way, by its digest, and in the same record: one
  // record per event proves what two did before (the event and its decision
  // are written, and can only be changed, together), at half the records.
  // Logs written before keep a separate "decision" record; readers accept
  // both forms.
  out.push_back({std::string(audit::kinds::kEvent), d.recorded_by, d.interaction_id,
                 audit::PayloadBuilder()
                     .Int("decision_seq", decision_seq)
                     .Str("event_id", d.event_id)
                     .Int("event_index", d.event_index)
                     .Str("type", engine::EventTypeName(d.type))
                     .Str("channel", d.channel)
                     .Str("workflow", d.workflow)
                     .Str("customer_id", d.customer_id)
                     .Time("at", d.at)
                     .Str("event_sha256", Digest(d.event_json))
                     .Str("outcome", engine::OutcomeName(d.outcome))
                     .Str("policy_version", d.policy_version)
                     .Str("decision_sha256", Digest(d.decision_json))
                     .Build()});
  out.insert(out.end(), extra.begin(), extra.end());
  if (task != nullptr) {
    out.push_back({std::string(audit::kinds::kTaskCreated), d.recorded_by, task->id,
                   audit::PayloadBuilder()
                       .Str("kind", TaskKindName(task->kind))
                       .Str("interaction_id", task->interaction_id)
                       .Str("queue", task->queue)
                       .Strs("skills", task->skills)
                       .Str("language", task->language)
                       .Int("priority", task->priority)
                       .Time("due_at", task->due_at)
                       .Int("decision_seq", decision_seq)
                       .Str("context_sha256", Digest(task->context_json))
                       .Build()});
  }
  return out;
}

// ---- Claims ----

Result<void> ValidateClaimRequest(const ClaimRequest& r) {
  if (r.reviewer.empty()) return InvalidArgument("claim: reviewer is empty");
  if (r.lease_ttl <= Duration::zero()) return InvalidArgument("claim: lease_ttl must be > 0");
  return {};
}

bool Claimable(const Task& t, TimePoint now) {
  if (t.status == TaskStatus::kOpen) return true;
  return t.status == TaskStatus::kClaimed && !HasLiveLease(t, now);
}

bool ClaimOrderLess(const Task& a, const Task& b) {
  return std::tie(a.priority, a.due_at, a.created_at, a.id) <
         std::tie(b.priority, b.due_at, b.created_at, b.id);
}

Result<void> CheckConcurrency(const ClaimRequest& r, std::int64_t live_leases) {
  if (r.max_concurrent > 0 && live_leases >= r.max_concurrent) {
    return FailedPrecondition("reviewer " + r.reviewer + " already holds " +
                              std::to_string(live_leases) + " of " +
                              std::to_string(r.max_concurrent) + " tasks");
  }
  return {};
}

Result<bool> CheckClaimOne(const Task& t, const ClaimRequest& r, std::int64_t live_leases) {
  if (t.status == TaskStatus::kAnswered) {
    return FailedPrecondition("task " + t.id + " is already answered");
  }
  if (t.status == TaskStatus::kCancelled) return FailedPrecondition("task " + t.id + " was cancelled");
  if (t.status == TaskStatus::kExpired) {
    return FailedPrecondition("task " + t.id + " expired: the agent's deadline passed");
  }
  if (HasLiveLease(t, r.now)) {
    if (t.lease->owner == r.reviewer) return true;
    return Aborted("task " + t.id + " is claimed by another reviewer");
  }
  if (!Qualifies(t, r)) {
    return FailedPrecondition("reviewer " + r.reviewer + " lacks a skill or language task " + t.id +
                              " needs");
  }
  HITLGATE_RETURN_IF_ERROR(CheckConcurrency(r, live_leases));
  return false;
}

void ApplyClaim(Task& t, const ClaimRequest& r, std::string lease_id,
                std::vector<audit::AuditEntry>* audit) {
  if (t.status == TaskStatus::kClaimed && t.lease) {
    audit->push_back(ApplyExpire(t, r.now));
  }
  t.status = TaskStatus::kClaimed;
  t.lease = Lease{r.reviewer, std::move(lease_id), r.now + r.lease_ttl};
  ++t.claim_count;
  audit->push_back({std::string(audit::kinds::kClaim), r.reviewer, t.id,
                    audit::PayloadBuilder()
                        .Str("lease_id", t.lease->lease_id)
                        .Time("expires_at", t.lease->expires_at)
                        .Str("queue", t.queue)
                        .Int("claim_count", t.claim_count)
                        .Build()});
}

// ---- Leases ----

Result<void> CheckLeaseHolder(const Task& t, const std::string& lease_id,
                              const std::string& reviewer, TimePoint now) {
  if (t.status != TaskStatus::kClaimed || !t.lease || t.lease->lease_id != lease_id) {
    return Aborted("lease " + lease_id + " on task " + t.id + " is not current");
  }
  if (t.lease->owner != reviewer) {
    return Aborted("lease " + lease_id + " on task " + t.id + " belongs to another reviewer");
  }
  if (t.lease->expires_at <= now) {
    return Aborted("lease " + lease_id + " on task " + t.id + " expired at " +
                   Micros(t.lease->expires_at));
  }
  return {};
}

audit::AuditEntry ApplyRenew(Task& t, TimePoint now, Duration ttl) {
  t.lease->expires_at = now + ttl;
  return {std::string(audit::kinds::kLeaseRenewed), t.lease->owner, t.id,
          audit::PayloadBuilder()
              .Str("lease_id", t.lease->lease_id)
              .Time("expires_at", t.lease->expires_at)
              .Build()};
}

audit::AuditEntry ApplyRelease(Task& t, TimePoint now) {
  audit::AuditEntry e{std::string(audit::kinds::kRelease), t.lease->owner, t.id,
                      audit::PayloadBuilder()
                          .Str("lease_id", t.lease->lease_id)
                          .Time("released_at", now)
                          .Build()};
  t.status = TaskStatus::kOpen;
  t.lease.reset();
  return e;
}

audit::AuditEntry ApplyExpire(Task& t, TimePoint now) {
  audit::AuditEntry e{std::string(audit::kinds::kLeaseExpired), std::string(kSystemActor), t.id,
                      audit::PayloadBuilder()
                          .Str("lease_id", t.lease->lease_id)
                          .Str("owner", t.lease->owner)
                          .Time("expired_at", t.lease->expires_at)
                          .Time("detected_at", now)
                          .Build()};
  t.status = TaskStatus::kOpen;
  t.lease.reset();
  return e;
}

// ---- Verdicts, cancellation, escalation ----

Result<void> CheckVerdict(const Task& t, const std::string& lease_id, const Verdict& v,
                          TimePoint now, bool override) {
  // The one-verdict rule comes first: a second verdict is refused as such,
  // whoever sends it and whatever lease it names.
  if (t.verdict || t.status == TaskStatus::kAnswered) {
    return MakeError(ErrorCode::kAlreadyExists, "task " + t.id + " already has a verdict");
  }
  if (t.status == TaskStatus::kCancelled) return FailedPrecondition("task " + t.id + " was cancelled");
  if (t.status == TaskStatus::kExpired) {
    return FailedPrecondition("task " + t.id + " expired: the agent's deadline passed, the " +
                              std::string(engine::DeadlineFallbackName(t.deadline->fallback)) +
                              " fallback settled it");
  }
  if (v.reviewer.empty()) return InvalidArgument("verdict: reviewer is empty");
  switch (v.kind) {
    case VerdictKind::kEdited:
      if (v.edited_text.empty() && v.edited_action_json.empty()) {
        return InvalidArgument("verdict: 'edited' needs edited_text or edited_action_json");
      }
      if (!v.edited_action_json.empty() && v.edited_action_json.front() != '{') {
        return InvalidArgument("verdict: edited_action_json must be a JSON object");
      }
      break;
    case VerdictKind::kRejected:
      if (v.reason.empty()) return InvalidArgument("verdict: 'rejected' needs a reason");
      break;
    default:
      break;
  }
  if (override && lease_id.empty()) {
    if (HasLiveLease(t, now) && t.lease->owner != v.reviewer) {
      return Aborted("task " + t.id + " is claimed by " + t.lease->owner);
    }
    return {};
  }
  return CheckLeaseHolder(t, lease_id, v.reviewer, now);
}

audit::AuditEntry ApplyVerdict(Task& t, const std::string& lease_id, Verdict v, TimePoint now,
                               bool override) {
  v.at = now;
  audit::AuditEntry e{std::string(audit::kinds::kVerdict), v.reviewer, t.id,
                      audit::PayloadBuilder()
                          .Str("kind", VerdictKindName(v.kind))
                          .Str("interaction_id", t.interaction_id)
                          .Str("lease_id", lease_id)
                          .Bool("override", override)
                          .Str("reason", v.reason)
                          .Str("edited_text_sha256", v.edited_text.empty() ? "" : Digest(v.edited_text))
                          .Str("edited_action_json", v.edited_action_json)
                          .Str("customer_message_sha256",
                               v.customer_message.empty() ? "" : Digest(v.customer_message))
                          .Str("note_sha256", v.note.empty() ? "" : Digest(v.note))
                          .Build()};
  t.status = TaskStatus::kAnswered;
  t.lease.reset();
  t.verdict = std::move(v);
  return e;
}

Result<void> CheckCancel(const Task& t) {
  if (t.status == TaskStatus::kAnswered) {
    return MakeError(ErrorCode::kAlreadyExists, "task " + t.id + " already has a verdict");
  }
  if (t.status == TaskStatus::kCancelled) {
    return FailedPrecondition("task " + t.id + " is already cancelled");
  }
  if (t.status == TaskStatus::kExpired) return FailedPrecondition("task " + t.id + " expired");
  return {};
}

audit::AuditEntry ApplyCancel(Task& t, const std::string& actor, const std::string& reason,
                              TimePoint now) {
  t.status = TaskStatus::kCancelled;
  t.lease.reset();
  return {std::string(audit::kinds::kTaskCancelled), actor, t.id,
          audit::PayloadBuilder().Str("reason", reason).Time("cancelled_at", now).Build()};
}

audit::AuditEntry ApplyDeadline(Task& t, TimePoint now) {
  audit::AuditEntry e{std::string(audit::kinds::kTaskExpired), std::string(kSystemActor), t.id,
                      audit::PayloadBuilder()
                          .Time("deadline_at", t.deadline->at)
                          .Time("expired_at", now)
                          .Str("fallback", engine::DeadlineFallbackName(t.deadline->fallback))
                          .Str("interaction_id", t.interaction_id)
                          .Str("lease_id", t.lease ? t.lease->lease_id : "")
                          .Build()};
  t.expired_at = now;
  t.lease.reset();
  if (t.deadline->fallback == engine::DeadlineFallback::kHandoff) {
    // The agent has stopped waiting; the customer now waits for a person.
    t.kind = TaskKind::kHandoff;
    t.status = TaskStatus::kOpen;
    t.priority = 1;
  } else {
    t.status = TaskStatus::kExpired;
  }
  return e;
}

bool Overdue(const Task& t, TimePoint now) {
  return !t.escalated && (t.status == TaskStatus::kOpen || t.status == TaskStatus::kClaimed) &&
         now > t.due_at;
}

audit::AuditEntry ApplyEscalate(Task& t, const std::string& queue, TimePoint now) {
  audit::AuditEntry e{std::string(audit::kinds::kEscalation), std::string(kSystemActor), t.id,
                      audit::PayloadBuilder()
                          .Str("from_queue", t.queue)
                          .Str("to_queue", queue)
                          .Int("from_priority", t.priority)
                          .Time("due_at", t.due_at)
                          .Time("escalated_at", now)
                          .Build()};
  t.escalated = true;
  t.priority = 1;
  t.queue = queue;
  return e;
}

// ---- Lists ----

Result<void> ValidateNames(std::string_view what, const std::vector<std::string>& names) {
  for (const auto& n : names) {
    if (n.empty() || n.find(kSeparator) != std::string::npos) {
      return InvalidArgument(std::string(what) + ": names must be non-empty, without U+001F");
    }
  }
  return {};
}

std::string JoinList(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out.push_back(kSeparator);
    out += names[i];
  }
  return out;
}

std::vector<std::string> SplitList(std::string_view joined) {
  std::vector<std::string> out;
  if (joined.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t pos = joined.find(kSeparator, start);
    out.emplace_back(joined.substr(start, pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

}  // namespace hitlgate::store::internal
