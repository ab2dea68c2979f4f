// Store: the storage seam of the gateway (like leveldb's Env). Everything the
// gateway must not lose lives behind it: decisions, review tasks and their
// leases and verdicts, policy versions, API keys, webhooks with a delivery
// outbox, and the hash-chained audit log (docs/audit-format.md).
//
// Contract for every implementation (checked by test/store/store_conformance):
//  * Thread-safe: any number of threads may call any method at once.
//  * Durable: a mutating call that returns OK has been committed; a crash
//    after it returns loses nothing.
//  * Atomic: a mutating call writes its state change, its audit records and
//    its outbox messages in one transaction. A call that fails writes
//    nothing: no half-claimed task, no audit record for a refused verdict.
//  * The audit chain is gapless: records are sealed (audit::Seal) inside the
//    write transaction from the head read in that transaction.
//  * No clocks, no randomness: times come from arguments (`now`, `at`), ids
//    from the IdGenerator given to the implementation.
//  * Shared by several processes where the backend allows it (PostgreSQL):
//    nothing is durable only in one process's memory; a claim is atomic
//    across processes.
//
// Mutating calls write these audit records (kind: subject; payloads in
// docs/audit-format.md): RecordDecision "event" + "decision" (+ the caller's
// entries) + "task_created"; claims "claim" (preceded by "lease_expired" when
// it takes over an expired lease); RenewLease "lease_renewed"; Release
// "release"; SubmitVerdict "verdict"; CancelTask "task_cancelled";
// ExpireLeases "lease_expired"; EscalateOverdue "escalation";
// SavePolicyVersion "policy_uploaded"; ActivatePolicy "policy_activated";
// SaveKnowledgeVersion "knowledge_uploaded"; ActivateKnowledge
// "knowledge_activated"; CreateKey "key_created"; RevokeKey "key_revoked"; UpsertWebhook
// "webhook_upserted"; MarkDelivered "webhook_delivered"; MarkFailed
// "webhook_failed"; PurgeAuditBefore "audit_purged"; OpenTask "task_created";
// EraseCustomer "customer_erased".
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hitlgate/audit/purge.h"
#include "hitlgate/audit/record.h"
#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/store/types.h"

namespace hitlgate::store {

// What was recorded for one (workflow, event_id): enough to answer a retry
// with the same bytes, or to tell it that its body differs.
struct RecordedEvent {
  std::int64_t decision_seq = 0;
  std::string task_id;       // empty when it opened none
  std::string answer_json;   // DecisionRecord::decision_json: the answer as sent
  std::string event_digest;  // DecisionRecord::event_digest
  std::string event_json;    // as received ({"erased":true} after erasure)
};

struct RecordedDecision {
  std::int64_t decision_seq = 0;  // StoredDecision::seq
  std::string task_id;            // the task opened; empty when none
  bool duplicate = false;         // the event_id was recorded before; nothing was written
  std::optional<Task> task;       // the task opened, as stored (not for duplicates)
  std::optional<RecordedEvent> first;  // duplicates: what the first one recorded
};

struct VerdictOptions {
  // Supervisor override: answer a task without holding its lease (lease_id
  // empty), allowed while no *other* reviewer holds a live lease on it.
  bool override = false;
  std::vector<OutboxMessage> outbox;        // enqueued in the same transaction
  std::vector<audit::AuditEntry> audit;     // extra records after "verdict" (e.g. feedback)
};

struct AuditHead {
  std::int64_t seq = 0;                          // 0 when the log is empty
  std::string hash = std::string(audit::kGenesisHash);
};

struct PurgeOptions {
  Duration min_retention = std::chrono::duration_cast<Duration>(audit::kMinRetention);
  // Lets tests and deliberate operators purge younger records.
  bool allow_short_retention = false;
  std::string actor = "system";
};

struct PurgeResult {
  std::int64_t purged_count = 0;
  std::int64_t first_kept_seq = 0;  // the chain now starts here
  std::int64_t anchor_seq = 0;      // the "audit_purged" record
};

// ---- Data protection (docs/data-protection.md) ----

// What replaces erased personal text (event JSON, task context).
inline constexpr std::string_view kErasedJson = R"({"erased":true})";

// A task opened on its own, not by a new decision (a customer's contest of
// an automated decision, GDPR Art. 22).
struct StandaloneTask {
  NewTask task;
  std::string interaction_id;
  std::string customer_id;
  std::string workflow;
  std::int64_t decision_seq = 0;  // the decision it concerns; 0 = none
  std::string actor;              // who asked (the audit actor)
};

struct ErasureRequest {
  std::string customer_id;
  std::string pseudonym;  // replaces customer_id everywhere in the tables
  std::string actor;
  TimePoint now;
  std::vector<audit::AuditEntry> audit;  // extra records after "customer_erased"
};

// Retention of personal text: what a purge of text older than `before`
// spares (legal holds) and who runs it.
struct TextPurge {
  TimePoint before;
  std::vector<std::string> held_customers;
  std::vector<std::string> held_interactions;
  std::string actor = "system";
  TimePoint now;
};

struct TextPurgeResult {
  std::int64_t decisions = 0;  // events whose text was erased
  std::int64_t tasks = 0;      // settled tasks whose context and free text were erased
};

struct ErasureResult {
  std::int64_t decisions = 0;  // decisions rewritten
  std::int64_t tasks = 0;      // tasks rewritten
  std::int64_t outbox = 0;     // webhook messages about its tasks removed
};

// Events and their decisions, as the event path records them, and the interactions they make up.
class DecisionLog {
 public:
  virtual ~DecisionLog() = default;

  // ---- Decisions ----

  // Records an event's decision, the task it opens (if any), the caller's
  // extra audit entries and outbox messages, all in one transaction; `now`
  // stamps the audit records. An event_id is unique within its workflow: a
  // repeated non-empty (workflow, event_id) writes nothing and returns
  // duplicate=true with what the first call recorded (`first`), whatever the
  // new record says; comparing the two is the caller's business.
  // InvalidArgument: empty interaction_id, or a task with priority outside 1..5.
  [[nodiscard]] virtual Result<RecordedDecision> RecordDecision(
      const DecisionRecord& decision, const std::optional<NewTask>& task,
      const std::vector<audit::AuditEntry>& extra_audit, TimePoint now,
      const std::vector<OutboxMessage>& outbox = {}) = 0;

  // RecordDecision (without extra audit entries or outbox messages) for
  // callers that must not block: returns at once, and `done` runs once the
  // write committed or failed, on a thread of the store's (so it must not
  // block). The default writes synchronously and calls `done` before it
  // returns; the SQL stores hand the write to their writer thread.
  using RecordDone = std::move_only_function<void(Result<RecordedDecision>)>;
  virtual void RecordDecisionAsync(DecisionRecord decision, std::optional<NewTask> task, TimePoint now,
                                   RecordDone done) {
    done(RecordDecision(decision, task, {}, now));
  }

  // ---- Interactions ----

  // NotFound when nothing was recorded for it.
  [[nodiscard]] virtual Result<InteractionRecord> GetInteraction(
      const std::string& interaction_id) = 0;
  // A customer's interactions, oldest first (by their first event); empty
  // when none. newest = 0: all of them (GDPR access/export); else only the
  // newest `newest` (a reviewer's "recent contacts" must not load years).
  [[nodiscard]] virtual Result<std::vector<InteractionRecord>> ListCustomerInteractions(
      const std::string& customer_id, int newest = 0) = 0;
};

// The review queue: tasks, their leases and verdicts (the state machine is storage/task_rules.h).
class TaskQueue {
 public:
  virtual ~TaskQueue() = default;

  // ---- Tasks ----

  // Claims the most urgent task `request.reviewer` qualifies for (Qualifies):
  // by priority, then due_at, then created_at, then id. Open tasks and
  // claimed tasks whose lease expired are claimable. Sets a lease of
  // `request.lease_ttl` from `request.now`.
  // NotFound: nothing fits. FailedPrecondition: the reviewer already holds
  // max_concurrent live leases. InvalidArgument: empty reviewer or ttl <= 0.
  [[nodiscard]] virtual Result<Task> ClaimNext(const ClaimRequest& request) = 0;

  // Claims one named task. Returns the existing lease unchanged when this
  // reviewer already holds a live one.
  // NotFound: no such task. Aborted: another reviewer holds a live lease.
  // FailedPrecondition: answered/cancelled, the reviewer does not qualify,
  // or is at max_concurrent.
  [[nodiscard]] virtual Result<Task> Claim(const std::string& task_id,
                                           const ClaimRequest& request) = 0;

  // Extends a live lease to now + ttl.
  // NotFound: no such task. Aborted: the lease expired, was taken over, or
  // is not `reviewer`'s (lost races: re-claim from the top).
  [[nodiscard]] virtual Result<Task> RenewLease(const std::string& task_id,
                                                const std::string& lease_id,
                                                const std::string& reviewer, TimePoint now,
                                                Duration ttl) = 0;

  // Gives a claimed task back to its queue. NotFound / Aborted as RenewLease.
  [[nodiscard]] virtual Result<Task> Release(const std::string& task_id,
                                             const std::string& lease_id,
                                             const std::string& reviewer, TimePoint now) = 0;

  // Records the task's one verdict (verdict.reviewer is the actor; verdict.at
  // is set to `now`) and enqueues options.outbox.
  // NotFound: no such task. AlreadyExists: the task already has a verdict,
  // whoever sends this one. FailedPrecondition: the task was cancelled.
  // Aborted: the lease is not live or not verdict.reviewer's (or, with
  // override, another reviewer holds a live lease). InvalidArgument: an
  // edited verdict without edited text or action, a rejection without a
  // reason, an edited_action_json that is not an object, or no reviewer.
  [[nodiscard]] virtual Result<Task> SubmitVerdict(const std::string& task_id,
                                                   const std::string& lease_id,
                                                   const Verdict& verdict, TimePoint now,
                                                   const VerdictOptions& options = {}) = 0;

  // Withdraws an unanswered task (e.g. the interaction closed).
  // NotFound; AlreadyExists when answered; FailedPrecondition when cancelled.
  [[nodiscard]] virtual Result<Task> CancelTask(const std::string& task_id,
                                                const std::string& actor,
                                                const std::string& reason, TimePoint now) = 0;

  // Every claimed task whose lease expired at `now` goes back to open.
  // Returns them as they are now.
  [[nodiscard]] virtual Result<std::vector<Task>> ExpireLeases(TimePoint now) = 0;

  // Every open or claimed task past due_at (now > due_at) and not yet
  // escalated: escalated=true, priority 1, queue = escalation_queue. A
  // claimed task keeps its lease. Returns them as they are now.
  [[nodiscard]] virtual Result<std::vector<Task>> EscalateOverdue(
      TimePoint now, const std::string& escalation_queue) = 0;

  // Every open or claimed task whose agent deadline passed at `now`
  // (deadline->at <= now, not yet expired) is settled with its fallback
  // (internal::ApplyDeadline), audited "task_expired". With a non-empty
  // `task_id`, only that task is considered (an agent waiting on it when its
  // deadline passes). Returns them as they are now; empty when none.
  [[nodiscard]] virtual Result<std::vector<Task>> ExpireDeadlines(TimePoint now,
                                                                  const std::string& task_id) = 0;

  // NotFound when there is no such task.
  [[nodiscard]] virtual Result<Task> GetTask(const std::string& task_id) = 0;
  // Oldest first (created_at, then id).
  [[nodiscard]] virtual Result<std::vector<Task>> ListTasks(const TaskFilter& filter) = 0;
  // Open tasks per (workflow, queue); pairs without open tasks are absent.
  // Per workflow too, so that a reader whose key covers some workflows is
  // shown the queues' depth in those alone.
  [[nodiscard]] virtual Result<std::map<std::pair<std::string, std::string>, std::int64_t>>
  CountOpenByWorkflowAndQueue() = 0;
  // Open tasks per workflow, every one counted; workflows without open
  // tasks are absent.
  [[nodiscard]] virtual Result<std::map<std::string, std::int64_t>> CountOpenByWorkflow() = 0;
};

// Policy versions and which one decides.
class PolicyStore {
 public:
  virtual ~PolicyStore() = default;

  // ---- Policies ----

  // Stores a version. Saving the same version with the same source again is
  // OK and writes nothing. AlreadyExists: same version, different source.
  [[nodiscard]] virtual Result<void> SavePolicyVersion(const PolicyVersion& policy) = 0;
  // Makes a saved version the active one (also how a rollback is done).
  // NotFound: no such version.
  [[nodiscard]] virtual Result<void> ActivatePolicy(const std::string& version,
                                                    const std::string& actor, TimePoint at) = 0;
  // NotFound: no version was ever activated.
  [[nodiscard]] virtual Result<PolicyVersionInfo> GetActivePolicy() = 0;
  // Newest upload first.
  [[nodiscard]] virtual Result<std::vector<PolicyVersionInfo>> ListPolicyVersions() = 0;
};

// Agent assist knowledge versions and which one is served.
class KnowledgeStore {
 public:
  virtual ~KnowledgeStore() = default;

  // ---- Agent assist knowledge (docs/assist.md), versioned like policies ----

  // Stores a version. Saving the same id with the same document again is OK
  // and writes nothing. AlreadyExists: same id, different document.
  // InvalidArgument: empty id or document.
  [[nodiscard]] virtual Result<void> SaveKnowledgeVersion(const KnowledgeVersion& version) = 0;
  // Makes a saved version the active one. NotFound: no such version.
  [[nodiscard]] virtual Result<void> ActivateKnowledge(const std::string& id, const std::string& actor,
                                                       TimePoint at) = 0;
  // With its document. NotFound: no version was ever activated.
  [[nodiscard]] virtual Result<KnowledgeVersionInfo> GetActiveKnowledge() = 0;
  // With its document. NotFound: no such version.
  [[nodiscard]] virtual Result<KnowledgeVersionInfo> GetKnowledgeVersion(const std::string& id) = 0;
  // Newest upload first, without the documents (they can be megabytes).
  [[nodiscard]] virtual Result<std::vector<KnowledgeVersionInfo>> ListKnowledgeVersions() = 0;
};

// API keys (agents' and people's).
class ApiKeyStore {
 public:
  virtual ~ApiKeyStore() = default;

  // ---- API keys ----

  // AlreadyExists: the key id is taken. InvalidArgument: empty key_id or
  // secret_hash.
  [[nodiscard]] virtual Result<void> CreateKey(const ApiKey& key) = 0;
  // Revoked keys are returned too (with revoked_at) so callers can say why
  // a key fails. NotFound: no such key.
  [[nodiscard]] virtual Result<ApiKey> FindKey(const std::string& key_id) = 0;
  [[nodiscard]] virtual Result<std::vector<ApiKey>> ListKeys() = 0;
  // NotFound; FailedPrecondition when already revoked.
  [[nodiscard]] virtual Result<void> RevokeKey(const std::string& key_id,
                                               const std::string& actor, TimePoint at) = 0;
};

// Webhook subscriptions and the delivery outbox.
class WebhookOutbox {
 public:
  virtual ~WebhookOutbox() = default;

  // ---- Webhooks and outbox ----

  // Creates or replaces the workflow's webhook. The audit record names the
  // url, never the secret. InvalidArgument: empty workflow or url.
  [[nodiscard]] virtual Result<void> UpsertWebhook(const Webhook& webhook,
                                                   const std::string& actor) = 0;
  [[nodiscard]] virtual Result<std::vector<Webhook>> ListWebhooks() = 0;
  // Standalone enqueue (most messages ride in RecordDecision/SubmitVerdict).
  [[nodiscard]] virtual Result<std::vector<std::int64_t>> EnqueueDeliveries(
      const std::vector<OutboxMessage>& messages, TimePoint now) = 0;
  // Takes up to `limit` undelivered messages due at `now` (oldest first) and
  // hides them until now + visibility (so several gateway nodes do not send
  // the same message at once; a crashed sender's messages come back).
  [[nodiscard]] virtual Result<std::vector<OutboxMessage>> NextDeliveries(
      TimePoint now, int limit, Duration visibility) = 0;
  // Empties the payload (the receiver has it; the store keeps no copy of the
  // customer text in it). NotFound: no such message. Marking a delivered
  // message again is OK.
  [[nodiscard]] virtual Result<void> MarkDelivered(std::int64_t id, TimePoint now) = 0;
  // attempts + 1, retried at next_attempt_at. NotFound; FailedPrecondition
  // when already delivered.
  [[nodiscard]] virtual Result<void> MarkFailed(std::int64_t id, TimePoint now,
                                                TimePoint next_attempt_at,
                                                const std::string& error) = 0;
};

// Supervisors' standing interventions.
class ControlStore {
 public:
  virtual ~ControlStore() = default;

  // ---- Controls (supervisors' interventions) ----

  // Sets or replaces the control (kind, target), with an audit record
  // "control_set". InvalidArgument: empty target or actor.
  [[nodiscard]] virtual Result<void> SetControl(const Control& control) = 0;
  // Removes it, with an audit record "control_cleared". NotFound: not set.
  [[nodiscard]] virtual Result<void> ClearControl(ControlKind kind, const std::string& target,
                                                  const std::string& actor, TimePoint at) = 0;
  // Every control in force, ordered by kind name, then target.
  [[nodiscard]] virtual Result<std::vector<Control>> ListControls() = 0;
};

// The hash-chained audit log.
class AuditLog {
 public:
  virtual ~AuditLog() = default;

  // ---- Audit log ----

  // Appends standalone records (key use, logins, exports) stamped `at`.
  // Returns them sealed. InvalidArgument: an entry without a kind.
  [[nodiscard]] virtual Result<std::vector<audit::AuditRecord>> AppendAudit(
      const std::vector<audit::AuditEntry>& entries, TimePoint at) = 0;
  // Records with seq >= from_seq in seq order, at most `limit`.
  [[nodiscard]] virtual Result<std::vector<audit::AuditRecord>> ReadAudit(std::int64_t from_seq,
                                                                          int limit) = 0;
  // The links (seq, prev_hash, hash) of the records ReadAudit would return.
  // The checkpoint writer reads every record once; without the payloads
  // that read was a tenth of the server's CPU under load. The default reads
  // whole records.
  [[nodiscard]] virtual Result<std::vector<audit::AuditLink>> ReadAuditLinks(std::int64_t from_seq,
                                                                             int limit);
  // Records of the given kinds with from_seq <= seq < to_seq, in seq order.
  // For a reader that follows a few kinds through a long log (the autonomy
  // levels follow verdicts once a second) without copying every record. The
  // default pages through ReadAudit.
  [[nodiscard]] virtual Result<std::vector<audit::AuditRecord>> ReadAuditOfKinds(
      std::int64_t from_seq, std::int64_t to_seq, const std::vector<std::string>& kinds);
  [[nodiscard]] virtual Result<AuditHead> GetAuditHead() = 0;
  // Deletes the oldest records written before `cutoff` (the longest prefix
  // of the chain with at < cutoff) and appends an "audit_purged" anchor
  // record, stamped `now`, naming the first kept record and its prev_hash.
  // FailedPrecondition: cutoff is later than now - min_retention and
  // allow_short_retention is false.
  [[nodiscard]] virtual Result<PurgeResult> PurgeAuditBefore(TimePoint cutoff, TimePoint now,
                                                             const PurgeOptions& options = {}) = 0;
};

// Erasure, personal-text purges and standalone tasks (docs/data-protection.md).
class DataProtectionStore {
 public:
  virtual ~DataProtectionStore() = default;

  // ---- Data protection (docs/data-protection.md) ----

  // Opens a standalone task with its "task_created" record (actor =
  // request.actor) and `extra_audit` after it, in one transaction.
  // InvalidArgument: empty interaction_id or actor, priority outside 1..5,
  // bad skill names.
  [[nodiscard]] virtual Result<Task> OpenTask(const StandaloneTask& request,
                                              const std::vector<audit::AuditEntry>& extra_audit,
                                              TimePoint now) = 0;

  // Erases a customer's personal data from the tables, keeping the records:
  // customer_id becomes the pseudonym in decisions and tasks, event_json and
  // task context_json become kErasedJson, verdicts lose their free text
  // (edited_text, customer_message, note). The decision itself (outcome,
  // reasons, policy version) stays: it is the log the law requires. Writes
  // "customer_erased" (subject: the pseudonym; counts, no identifier) and
  // the request's extra records. The audit chain is untouched: it holds
  // digests of the text, never the text.
  // InvalidArgument: empty customer_id, pseudonym or actor. NotFound:
  // nothing is stored for the customer. FailedPrecondition: one of their
  // tasks is still open or claimed (answer or cancel it first).
  [[nodiscard]] virtual Result<ErasureResult> EraseCustomer(const ErasureRequest& request) = 0;

  // Retention of personal text: erases event_json of decisions recorded
  // (`at`) before `request.before`, and context and verdict free text of
  // answered or cancelled tasks created before it, as EraseCustomer does but
  // keeping the customer id; customers and interactions under legal hold are
  // spared. Writes "text_purged" (before, counts) every time it runs.
  // InvalidArgument: empty actor.
  [[nodiscard]] virtual Result<TextPurgeResult> PurgePersonalText(const TextPurge& request) = 0;
};

// Everything the gateway must not lose, in one place: every role above.
// Callers that need one role take that role's interface (the knowledge
// versions take a KnowledgeStore, the webhook sender a WebhookOutbox).
class Store : public DecisionLog,
              public TaskQueue,
              public PolicyStore,
              public KnowledgeStore,
              public ApiKeyStore,
              public WebhookOutbox,
              public ControlStore,
              public AuditLog,
              public DataProtectionStore {
 public:
  ~Store() override = default;

  // ---- Several nodes ----

  // Whether this process should do the cluster's once-only periodic work
  // now: open earned-autonomy sign-off tasks and audit level changes, purge
  // past retention. Several gateway nodes on one database must not each do
  // it (two sign-off tasks for one promotion, two purge records). A store
  // that only one process uses always leads; PostgresStore leads while it
  // holds a session advisory lock, which the database frees when the node
  // dies, so another node takes over within a tick. Called from one thread.
  [[nodiscard]] virtual Result<bool> LeadPeriodicWork() { return true; }
};

}  // namespace hitlgate::store
