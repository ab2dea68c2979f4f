// THE task state machine: every Store backend applies it (the SQL one in
// storage/sql/tasks.cc for SQLite and PostgreSQL, and MemoryStore), so they
// agree on which transitions are allowed, their error codes and the audit
// entries they write. A change to the task rules is made here, once.
//
//   open ---claim---> claimed ---verdict---> answered
//   open <--release, lease expiry (a claim may also take it over)-- claimed
//   open, claimed ---cancel---> cancelled
//   open, claimed ---deadline---> expired (fail_closed, fail_open), or open
//                                 again as a handoff for a person
//   open, claimed ---overdue---> the escalation queue (once)
//
// A backend loads a Task, asks Check*() whether the transition is allowed,
// calls Apply*() to change the Task and get its audit entries, and writes
// both in one transaction. Pure functions over values; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hitlgate/audit/record.h"
#include "hitlgate/common/error.h"
#include "hitlgate/store/store.h"
#include "hitlgate/store/types.h"

namespace hitlgate::store::internal {

inline constexpr std::string_view kSystemActor = "system";

// ---- Decisions ----
// InvalidArgument: no interaction id, or a bad task (priority, names).
[[nodiscard]] Result<void> ValidateDecision(const DecisionRecord& d,
                                            const std::optional<NewTask>& task);
Task MakeTask(const NewTask& t, const DecisionRecord& d, std::string id, std::int64_t decision_seq);
// "event" (carrying the decision), the caller's extras, then "task_created"
// when `task`. Logs written before also hold a "decision" record per event.
std::vector<audit::AuditEntry> DecisionAudit(const DecisionRecord& d, std::int64_t decision_seq,
                                             const Task* task,
                                             const std::vector<audit::AuditEntry>& extra);

// ---- Claims ----
// InvalidArgument: no reviewer, ttl <= 0.
[[nodiscard]] Result<void> ValidateClaimRequest(const ClaimRequest& r);
// Open, or claimed with an expired lease.
bool Claimable(const Task& t, TimePoint now);
// The claim order: priority, due_at, created_at, id.
bool ClaimOrderLess(const Task& a, const Task& b);
// FailedPrecondition when `live_leases` reached the reviewer's limit.
[[nodiscard]] Result<void> CheckConcurrency(const ClaimRequest& r, std::int64_t live_leases);
// For Claim(task_id): AlreadyExists-free checks in the documented order.
// Returns true when the reviewer already holds a live lease (nothing to do).
[[nodiscard]] Result<bool> CheckClaimOne(const Task& t, const ClaimRequest& r,
                                         std::int64_t live_leases);
// Sets the lease; appends "lease_expired" (when taking over an expired lease)
// and "claim".
void ApplyClaim(Task& t, const ClaimRequest& r, std::string lease_id,
                std::vector<audit::AuditEntry>* audit);

// ---- Leases ----
// Aborted unless `reviewer` holds lease `lease_id` live at `now`.
[[nodiscard]] Result<void> CheckLeaseHolder(const Task& t, const std::string& lease_id,
                                            const std::string& reviewer, TimePoint now);
audit::AuditEntry ApplyRenew(Task& t, TimePoint now, Duration ttl);
audit::AuditEntry ApplyRelease(Task& t, TimePoint now);
audit::AuditEntry ApplyExpire(Task& t, TimePoint now);

// ---- Verdicts, cancellation, escalation ----
[[nodiscard]] Result<void> CheckVerdict(const Task& t, const std::string& lease_id,
                                        const Verdict& v, TimePoint now, bool override);
audit::AuditEntry ApplyVerdict(Task& t, const std::string& lease_id, Verdict v, TimePoint now,
                               bool override);
[[nodiscard]] Result<void> CheckCancel(const Task& t);
audit::AuditEntry ApplyCancel(Task& t, const std::string& actor, const std::string& reason,
                              TimePoint now);
bool Overdue(const Task& t, TimePoint now);
// Settles it with its fallback: fail_closed and fail_open end it (kExpired);
// handoff makes it a kHandoff task, open at priority 1 for a person, whose
// verdict is then the person's reply. Any lease ends; the deadline is spent.
audit::AuditEntry ApplyDeadline(Task& t, TimePoint now);
audit::AuditEntry ApplyEscalate(Task& t, const std::string& queue, TimePoint now);

// ---- Lists stored as one text column ----
// Names must not contain the separator (U+001F) or be empty.
[[nodiscard]] Result<void> ValidateNames(std::string_view what,
                                         const std::vector<std::string>& names);
std::string JoinList(const std::vector<std::string>& names);
std::vector<std::string> SplitList(std::string_view joined);

}  // namespace hitlgate::store::internal
