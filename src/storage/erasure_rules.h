// Data-protection rules shared by every Store backend (OpenTask,
// EraseCustomer): validation, the rewrite of a task's personal fields and the
// audit entries, so the backends agree on what erasure means. Pure functions
// over values; thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "hitlgate/audit/record.h"
#include "hitlgate/common/error.h"
#include "hitlgate/store/store.h"
#include "hitlgate/store/types.h"

namespace hitlgate::store::internal {

inline constexpr std::string_view kCustomerErased = "customer_erased";

// InvalidArgument: no interaction id or actor, a bad priority or skill names.
[[nodiscard]] Result<void> ValidateStandaloneTask(const StandaloneTask& r);
Task MakeStandaloneTask(const StandaloneTask& r, std::string id);
// "task_created" (as RecordDecision writes it, actor = r.actor), then `extra`.
std::vector<audit::AuditEntry> StandaloneTaskAudit(const StandaloneTask& r, const Task& task,
                                                   const std::vector<audit::AuditEntry>& extra);

// InvalidArgument: empty customer id, pseudonym or actor.
[[nodiscard]] Result<void> ValidateErasure(const ErasureRequest& r);
// FailedPrecondition when the task is still open or claimed.
[[nodiscard]] Result<void> CheckErasable(const Task& t);
// customer_id -> pseudonym, context -> kErasedJson, verdict free text cleared.
void EraseTask(Task& t, const std::string& pseudonym);
// "customer_erased" (subject: the pseudonym), then the request's extras.
std::vector<audit::AuditEntry> ErasureAudit(const ErasureRequest& r, const ErasureResult& result);

// Retention of personal text.
[[nodiscard]] Result<void> ValidateTextPurge(const TextPurge& r);
// True when neither the customer nor the interaction is held.
bool Purgeable(const TextPurge& r, const std::string& customer_id, const std::string& interaction_id);
// A settled task created before r.before, not held, not erased yet.
bool TaskTextExpired(const TextPurge& r, const Task& t);
// Context -> kErasedJson, verdict free text cleared (customer id kept).
void EraseTaskText(Task& t);
audit::AuditEntry TextPurgeAudit(const TextPurge& r, const TextPurgeResult& result);

}  // namespace hitlgate::store::internal
