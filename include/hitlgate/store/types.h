// Value types the Store keeps: decisions, review tasks with their leases and
// verdicts, policy versions, API keys, webhooks and outbox messages. Plain
// structs; thread-compatible. Times are TimePoint (microseconds, UTC); ids
// come from an injected IdGenerator or from the caller, never from a clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/engine/decision.h"
#include "hitlgate/engine/event.h"

namespace hitlgate::store {

// ---- Decisions -------------------------------------------------------------

// One event and the engine's decision for it, as recorded before the gateway
// acknowledges the event.
struct DecisionRecord {
  // The agent's idempotency key, unique within its workflow; empty = none.
  std::string event_id;
  // SHA-256 (hex) of the event's canonical JSON: a retry with another body
  // is told apart from a retry of this one even after the text is erased.
  std::string event_digest;
  std::string interaction_id;
  std::string customer_id;
  std::string workflow;
  std::string channel;
  std::int64_t event_index = 0;
  engine::EventType type = engine::EventType::kCustomerMessage;
  TimePoint at;                // when the event happened (the agent's time)
  std::string event_json;      // the event as received (canonical JSON)
  std::string decision_json;   // the decision as returned (codec::EncodeDecision)
  engine::Outcome outcome = engine::Outcome::kAllow;
  std::string policy_version;  // "sha256:<hex>"
  std::string recorded_by;     // the agent's API key id (the audit actor)
};

// A DecisionRecord as stored, with the store-assigned position.
struct StoredDecision {
  std::int64_t seq = 0;  // unique, increasing in recording order (not gapless)
  DecisionRecord record;
  std::string task_id;   // the task it opened; empty when none
};

// ---- Tasks ------------------------------------------------------------------

enum class TaskKind {
  kHold,            // a held proposal waits for approve/edit/reject
  kHandoff,         // a person takes the conversation over
  kContest,         // GDPR Art. 22: the customer contests an automated decision
  kAutonomyChange,  // a supervisor signs off a change of earned autonomy
  kAuditSample,     // post-hoc review of an autonomous conversation
};

enum class TaskStatus {
  kOpen,       // in a queue, claimable
  kClaimed,    // a reviewer holds a lease (it may have expired; see HasLiveLease)
  kAnswered,   // has its one verdict
  kCancelled,  // withdrawn (e.g. the interaction closed first)
  kExpired,    // the agent's deadline passed first; settled with its fallback
};

// Answered, cancelled or expired: nothing more will happen to it.
bool IsSettled(TaskStatus s);

// The agent's deadline on a held proposal (Event::deadline_ms) and the
// policy's fallback for it.
struct TaskDeadline {
  TimePoint at;
  engine::DeadlineFallback fallback = engine::DeadlineFallback::kFailClosed;

  friend bool operator==(const TaskDeadline&, const TaskDeadline&) = default;
};

enum class VerdictKind {
  kApproved,   // deliver the proposal as is
  kEdited,     // deliver the reviewer's edited text / action params
  kRejected,   // do not deliver; tell the customer `customer_message`
  kTakenOver,  // the reviewer answers the customer themselves
};

std::string_view TaskKindName(TaskKind k);
std::optional<TaskKind> ParseTaskKind(std::string_view s);
std::string_view TaskStatusName(TaskStatus s);
std::optional<TaskStatus> ParseTaskStatus(std::string_view s);
std::string_view VerdictKindName(VerdictKind k);
std::optional<VerdictKind> ParseVerdictKind(std::string_view s);

struct Lease {
  std::string owner;     // reviewer (key id)
  std::string lease_id;  // from the IdGenerator; names this one claim
  TimePoint expires_at;

  friend bool operator==(const Lease&, const Lease&) = default;
};

struct Verdict {
  VerdictKind kind = VerdictKind::kApproved;
  std::string reviewer;            // who answered (key id); the audit actor
  TimePoint at;                    // set by the store to the call's `now`
  std::string edited_text;         // kEdited: the reply to deliver instead
  std::string edited_action_json;  // kEdited: replacement action params (JSON object)
  std::string reason;              // kRejected: why (required)
  std::string customer_message;    // kRejected: what the customer is told
  std::string note;                // free text for colleagues and audits

  friend bool operator==(const Verdict&, const Verdict&) = default;
};

// What the caller decides about a new task; the store adds id, status and
// copies interaction/customer/workflow from the decision it belongs to.
struct NewTask {
  // The caller's id for it ("t-" + 16 hex digits), so the answer that names
  // it can be written in the same transaction; empty: the store mints one.
  std::string id;
  TaskKind kind = TaskKind::kHold;
  std::string queue;
  std::vector<std::string> skills;  // a reviewer needs all of them
  std::string language;             // BCP 47; empty = any reviewer
  int priority = 3;                 // 1 (most urgent) .. 5
  TimePoint created_at;
  TimePoint due_at;                 // SLA deadline
  std::optional<TimePoint> hold_notice_at;  // when the agent shows a holding message
  std::optional<TaskDeadline> deadline;     // holds of events with deadline_ms
  std::string context_json = "{}";  // transcript, proposal, slots, summary, signals, reasons
};

struct Task {
  std::string id;  // "t-" + 16 hex digits
  TaskKind kind = TaskKind::kHold;
  TaskStatus status = TaskStatus::kOpen;
  std::string interaction_id;
  std::string customer_id;
  std::string workflow;
  std::string queue;
  std::vector<std::string> skills;
  std::string language;
  int priority = 3;
  TimePoint created_at;
  TimePoint due_at;
  std::optional<TimePoint> hold_notice_at;
  bool escalated = false;
  std::string context_json = "{}";  // opaque to the store
  std::optional<Lease> lease;       // set while status == kClaimed
  int claim_count = 0;              // how many times it was claimed
  std::optional<Verdict> verdict;   // set once, when status becomes kAnswered
  std::int64_t decision_seq = 0;    // the StoredDecision that opened it; 0 for standalone tasks
  std::optional<TaskDeadline> deadline;
  // When the deadline settled it. A fail_closed or fail_open task is then
  // kExpired; a handoff one stays open for a person as a kHandoff task.
  std::optional<TimePoint> expired_at;

  friend bool operator==(const Task&, const Task&) = default;
};

// A claimed task whose lease has not expired at `now`.
bool HasLiveLease(const Task& task, TimePoint now);
// Open or claimed, not yet settled by its agent deadline, which passed at `now`.
bool DeadlinePassed(const Task& task, TimePoint now);

struct ClaimRequest {
  std::string reviewer;                // key id
  std::vector<std::string> skills;     // the reviewer's skills
  std::vector<std::string> languages;  // BCP 47 tags the reviewer works in
  std::vector<std::string> queues;     // restrict to these queues; empty = any
  std::vector<std::string> workflows;  // restrict to these workflows; empty = any
  int max_concurrent = 0;              // live leases allowed at once; <= 0 = no limit
  TimePoint now;
  Duration lease_ttl = std::chrono::minutes(5);
};

// True when `reviewer` may work `task`: they have every skill the task needs,
// the task's language is empty or one of theirs (a reviewer's "de" covers
// "de-AT"; case-insensitive; a reviewer who declares none takes any), and
// the task's queue and workflow are allowed.
bool Qualifies(const Task& task, const ClaimRequest& reviewer);

struct TaskFilter {
  std::optional<std::string> queue;
  std::optional<TaskStatus> status;
  std::optional<std::string> workflow;
  std::optional<std::string> interaction_id;
  // Tasks whose hold notice fell due in (hold_notice_after, hold_notice_until]
  // (both given or neither), ordered by that time instead of creation.
  std::optional<TimePoint> hold_notice_after;
  std::optional<TimePoint> hold_notice_until;
  int limit = 100;  // at most this many, oldest created first
};

// ---- Interactions -------------------------------------------------------------

struct InteractionRecord {
  std::string interaction_id;
  std::string customer_id;
  std::vector<StoredDecision> decisions;  // in event order (seq)
  std::vector<Task> tasks;                // with their verdicts, by creation
};

// ---- Policies -------------------------------------------------------------------

struct PolicyVersion {
  std::string version;  // "sha256:<hex>" of the source
  std::string name;
  std::string source_yaml;
  std::string uploaded_by;
  TimePoint uploaded_at;

  friend bool operator==(const PolicyVersion&, const PolicyVersion&) = default;
};

struct PolicyVersionInfo {
  PolicyVersion policy;
  bool active = false;
  std::optional<TimePoint> activated_at;  // the latest activation of this version
  std::string activated_by;
};

// ---- Agent assist knowledge (docs/assist.md) ------------------------------------

// One upload of the procedures and articles document.
struct KnowledgeVersion {
  std::string id;             // "sha256:<hex>" of document_json
  std::string document_json;  // canonical (assist::EncodeKnowledge); empty in lists
  std::string uploaded_by;
  TimePoint uploaded_at;
  std::int64_t procedures = 0;
  std::int64_t articles = 0;

  friend bool operator==(const KnowledgeVersion&, const KnowledgeVersion&) = default;
};

struct KnowledgeVersionInfo {
  KnowledgeVersion version;
  bool active = false;
  std::optional<TimePoint> activated_at;  // the latest activation of this version
  std::string activated_by;
};

// ---- Keys -----------------------------------------------------------------------

enum class Role { kAgent, kReviewer, kSupervisor, kAuditor, kAdmin };
std::string_view RoleName(Role r);
std::optional<Role> ParseRole(std::string_view s);

// The largest action amount a key may approve or edit, in one currency
// (e.g. refunds up to 200 EUR). docs/hardening.md.
struct ApprovalLimit {
  std::string currency;   // ISO 4217, upper case
  double max_amount = 0;  // inclusive

  friend bool operator==(const ApprovalLimit&, const ApprovalLimit&) = default;
};
// "EUR=200" per limit (how stores and audit records keep them), and back;
// InvalidArgument for a bad currency, amount or a currency given twice.
std::vector<std::string> FormatApprovalLimits(const std::vector<ApprovalLimit>& limits);
Result<std::vector<ApprovalLimit>> ParseApprovalLimits(const std::vector<std::string>& items);

struct ApiKey {
  std::string key_id;       // public prefix, shown in logs and audit records
  std::string secret_hash;  // hash of the secret; the secret itself is never stored
  std::string name;
  Role role = Role::kAgent;
  std::vector<std::string> skills;     // reviewers
  std::vector<std::string> languages;  // reviewers
  std::vector<std::string> workflows;  // agents: the workflows it may report; empty = all
  int max_concurrent = 0;              // reviewers: live leases at once; 0 = no limit
  // People: what they may approve per currency; empty = no limit. An action
  // in a currency not listed may not be approved when the list is not empty.
  std::vector<ApprovalLimit> approval_limits;
  TimePoint created_at;
  std::string created_by;
  std::optional<TimePoint> revoked_at;

  friend bool operator==(const ApiKey&, const ApiKey&) = default;
};

// ---- Webhooks and the outbox -------------------------------------------------------

struct Webhook {
  std::string workflow;  // one webhook per workflow
  std::string url;
  std::string secret;    // HMAC key for signing deliveries; stored sealed (crypto/sealed_secret.h)
  TimePoint updated_at;

  friend bool operator==(const Webhook&, const Webhook&) = default;
};

// A message to deliver at least once. Enqueued inside the transaction of the
// change it announces, so a committed verdict always has its delivery.
struct OutboxMessage {
  std::int64_t id = 0;      // store-assigned on enqueue
  std::string workflow;
  std::string url;          // snapshot of the webhook url at enqueue time
  std::string event_type;   // "task.answered", "decision.recorded", ...
  std::string task_id;      // the task it announces: erasing its customer removes it
  std::string payload_json; // emptied once delivered (it carries customer text)
  TimePoint created_at;     // store-set to the enqueuing call's time
  TimePoint next_attempt_at;
  int attempts = 0;
  std::string last_error;
  std::optional<TimePoint> delivered_at;
};

// ---- Controls: supervisors' interventions that outlive a request ---------------

enum class ControlKind {
  kWorkflowPaused,  // target = workflow: every AI proposal of it is held
  kHoldNext,        // target = interaction: its next AI proposal is held
  kTakenOver,       // target = interaction: a person answers; AI proposals hand off
  kLegalHold,       // target = "customer:<id>" or "interaction:<id>": no erasure or purge
};
std::string_view ControlKindName(ControlKind k);
std::optional<ControlKind> ParseControlKind(std::string_view s);

struct Control {
  ControlKind kind = ControlKind::kWorkflowPaused;
  std::string target;
  std::string actor;   // who set it (the audit actor)
  std::string reason;
  TimePoint at;

  friend bool operator==(const Control&, const Control&) = default;
};

}  // namespace hitlgate::store
