#include "storage/erasure_rules.h"

#include <algorithm>

#include "hitlgate/audit/payload.h"
#include "hitlgate/crypto/hash.h"
#include "storage/task_rules.h"

namespace hitlgate::store::internal {

Result<void> ValidateStandaloneTask(const StandaloneTask& r) {
  if (r.interaction_id.empty()) return InvalidArgument("open task: empty interaction_id");
  if (r.actor.empty()) return InvalidArgument("open task: empty actor");
  // The same checks as a task opened by a decision.
  DecisionRecord d;
  d.interaction_id = r.interaction_id;
  return ValidateDecision(d, r.task);
}

Task MakeStandaloneTask(const StandaloneTask& r, std::string id) {
  DecisionRecord d;
  d.interaction_id = r.interaction_id;
  d.customer_id = r.customer_id;
  d.workflow = r.workflow;
  return MakeTask(r.task, d, std::move(id), r.decision_seq);
}

std::vector<audit::AuditEntry> StandaloneTaskAudit(const StandaloneTask& r, const Task& task,
                                                   const std::vector<audit::AuditEntry>& extra) {
  std::vector<audit::AuditEntry> out;
  out.push_back({std::string(audit::kinds::kTaskCreated), r.actor, task.id,
                 audit::PayloadBuilder()
                     .Str("kind", TaskKindName(task.kind))
                     .Str("interaction_id", task.interaction_id)
                     .Str("queue", task.queue)
                     .Strs("skills", task.skills)
                     .Str("language", task.language)
                     .Int("priority", task.priority)
                     .Time("due_at", task.due_at)
                     .Int("decision_seq", task.decision_seq)
                     .Str("context_sha256", crypto::Sha256Hex(task.context_json))
                     .Build()});
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

Result<void> ValidateErasure(const ErasureRequest& r) {
  if (r.customer_id.empty()) return InvalidArgument("erase: empty customer_id");
  if (r.pseudonym.empty()) return InvalidArgument("erase: empty pseudonym");
  if (r.actor.empty()) return InvalidArgument("erase: empty actor");
  return {};
}

Result<void> CheckErasable(const Task& t) {
  if (t.status == TaskStatus::kOpen || t.status == TaskStatus::kClaimed) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "task " + t.id + " of this customer is still " +
                         std::string(TaskStatusName(t.status)) + ": answer or cancel it first");
  }
  return {};
}

void EraseTaskText(Task& t) {
  t.context_json = std::string(kErasedJson);
  if (t.verdict) {
    t.verdict->edited_text.clear();
    t.verdict->customer_message.clear();
    t.verdict->note.clear();
  }
}

void EraseTask(Task& t, const std::string& pseudonym) {
  t.customer_id = pseudonym;
  EraseTaskText(t);
}

std::vector<audit::AuditEntry> ErasureAudit(const ErasureRequest& r, const ErasureResult& result) {
  std::vector<audit::AuditEntry> out;
  // No customer identifier: the pseudonym is what the erased rows now carry.
  out.push_back({std::string(kCustomerErased), r.actor, r.pseudonym,
                 audit::PayloadBuilder()
                     .Int("decisions", result.decisions)
                     .Int("tasks", result.tasks)
                     .Int("outbox", result.outbox)
                     .Time("erased_at", r.now)
                     .Build()});
  out.insert(out.end(), r.audit.begin(), r.audit.end());
  return out;
}

Result<void> ValidateTextPurge(const TextPurge& r) {
  if (r.actor.empty()) return InvalidArgument("text purge: empty actor");
  return {};
}

bool Purgeable(const TextPurge& r, const std::string& customer_id, const std::string& interaction_id) {
  auto has = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  return !has(r.held_customers, customer_id) && !has(r.held_interactions, interaction_id);
}

bool TaskTextExpired(const TextPurge& r, const Task& t) {
  return IsSettled(t.status) && t.created_at < r.before && t.context_json != kErasedJson &&
         Purgeable(r, t.customer_id, t.interaction_id);
}

audit::AuditEntry TextPurgeAudit(const TextPurge& r, const TextPurgeResult& result) {
  return {"text_purged", r.actor, "retention",
          audit::PayloadBuilder()
              .Time("before", r.before)
              .Int("decisions", result.decisions)
              .Int("tasks", result.tasks)
              .Int("held_customers", static_cast<std::int64_t>(r.held_customers.size()))
              .Int("held_interactions", static_cast<std::int64_t>(r.held_interactions.size()))
              .Build()};
}

}  // namespace hitlgate::store::internal
