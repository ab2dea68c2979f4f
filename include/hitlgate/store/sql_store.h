// SqlStore: the part of the Store that is the same SQL on SQLite and on
// PostgreSQL, written once over a small seam (src/storage/sql/session.h), as
// leveldb runs one implementation over several Envs. SqliteStore and
// PostgresStore derive from it and say only how their engine runs a read and
// a write (RunRead, RunWrite) and what differs (sql::Dialect, the hooks
// below); what is theirs alone (how the audit chain is appended to, the
// schemas, PostgreSQL's sealer and conversation state) they keep. The event
// path is shared too: its write (storage/sql/decisions.h) runs on the
// engine's writer thread through RunWrite or RunDecisionWriteAsync.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hitlgate/store/store.h"

namespace hitlgate::store {

namespace sql {
class Session;
class Txn;
}  // namespace sql

class SqlStore : public Store {
 public:
  // The event path (storage/sql/decisions.cc).
  Result<RecordedDecision> RecordDecision(const DecisionRecord& decision, const std::optional<NewTask>& task,
                                          const std::vector<audit::AuditEntry>& extra_audit, TimePoint now,
                                          const std::vector<OutboxMessage>& outbox = {}) override;
  void RecordDecisionAsync(DecisionRecord decision, std::optional<NewTask> task, TimePoint now,
                           RecordDone done) override;

  // Agent assist knowledge versions (storage/sql/knowledge.cc).
  Result<void> SaveKnowledgeVersion(const KnowledgeVersion& version) override;
  Result<void> ActivateKnowledge(const std::string& id, const std::string& actor, TimePoint at) override;
  Result<KnowledgeVersionInfo> GetActiveKnowledge() override;
  Result<KnowledgeVersionInfo> GetKnowledgeVersion(const std::string& id) override;
  Result<std::vector<KnowledgeVersionInfo>> ListKnowledgeVersions() override;

  // Administration (storage/sql/policies_keys.cc, outbox.cc, controls.cc).
  Result<void> SavePolicyVersion(const PolicyVersion& policy) override;
  Result<void> ActivatePolicy(const std::string& version, const std::string& actor,
                              TimePoint at) override;
  Result<PolicyVersionInfo> GetActivePolicy() override;
  Result<std::vector<PolicyVersionInfo>> ListPolicyVersions() override;
  Result<void> CreateKey(const ApiKey& key) override;
  Result<ApiKey> FindKey(const std::string& key_id) override;
  Result<std::vector<ApiKey>> ListKeys() override;
  Result<void> RevokeKey(const std::string& key_id, const std::string& actor,
                         TimePoint at) override;
  Result<void> UpsertWebhook(const Webhook& webhook, const std::string& actor) override;
  Result<std::vector<Webhook>> ListWebhooks() override;
  Result<void> SetControl(const Control& control) override;
  Result<void> ClearControl(ControlKind kind, const std::string& target, const std::string& actor,
                            TimePoint at) override;
  Result<std::vector<Control>> ListControls() override;
  Result<std::vector<std::int64_t>> EnqueueDeliveries(const std::vector<OutboxMessage>& messages,
                                                      TimePoint now) override;
  Result<std::vector<OutboxMessage>> NextDeliveries(TimePoint now, int limit,
                                                    Duration visibility) override;
  Result<void> MarkDelivered(std::int64_t id, TimePoint now) override;
  Result<void> MarkFailed(std::int64_t id, TimePoint now, TimePoint next_attempt_at,
                          const std::string& error) override;

  // Interactions as recorded (storage/sql/interactions.cc).
  Result<InteractionRecord> GetInteraction(const std::string& interaction_id) override;
  Result<std::vector<InteractionRecord>> ListCustomerInteractions(const std::string& customer_id,
                                                                  int newest = 0) override;

  // Data protection (storage/sql/data_protection.cc).
  Result<Task> OpenTask(const StandaloneTask& request, const std::vector<audit::AuditEntry>& extra_audit,
                        TimePoint now) override;
  Result<ErasureResult> EraseCustomer(const ErasureRequest& request) override;
  Result<TextPurgeResult> PurgePersonalText(const TextPurge& request) override;

  // The audit chain, but for the event path's appends (Txn::Append) and the
  // head (storage/sql/audit_log.cc).
  Result<std::vector<audit::AuditRecord>> AppendAudit(const std::vector<audit::AuditEntry>& entries,
                                                      TimePoint at) override;
  Result<PurgeResult> PurgeAuditBefore(TimePoint cutoff, TimePoint now, const PurgeOptions& options = {}) override;
  Result<std::vector<audit::AuditRecord>> ReadAudit(std::int64_t from_seq, int limit) override;
  Result<std::vector<audit::AuditLink>> ReadAuditLinks(std::int64_t from_seq, int limit) override;
  Result<std::vector<audit::AuditRecord>> ReadAuditOfKinds(std::int64_t from_seq, std::int64_t to_seq,
                                                           const std::vector<std::string>& kinds) override;

  // The review task queue (storage/sql/tasks.cc; the rules are
  // storage/task_rules.h's).
  Result<Task> ClaimNext(const ClaimRequest& request) override;
  Result<Task> Claim(const std::string& task_id, const ClaimRequest& request) override;
  Result<Task> RenewLease(const std::string& task_id, const std::string& lease_id,
                          const std::string& reviewer, TimePoint now, Duration ttl) override;
  Result<Task> Release(const std::string& task_id, const std::string& lease_id,
                       const std::string& reviewer, TimePoint now) override;
  Result<Task> SubmitVerdict(const std::string& task_id, const std::string& lease_id,
                             const Verdict& verdict, TimePoint now,
                             const VerdictOptions& options = {}) override;
  Result<Task> CancelTask(const std::string& task_id, const std::string& actor,
                          const std::string& reason, TimePoint now) override;
  Result<std::vector<Task>> ExpireLeases(TimePoint now) override;
  Result<std::vector<Task>> EscalateOverdue(TimePoint now, const std::string& escalation_queue) override;
  Result<std::vector<Task>> ExpireDeadlines(TimePoint now, const std::string& task_id) override;
  Result<Task> GetTask(const std::string& task_id) override;
  Result<std::vector<Task>> ListTasks(const TaskFilter& filter) override;
  Result<std::map<std::pair<std::string, std::string>, std::int64_t>> CountOpenByWorkflowAndQueue() override;
  Result<std::map<std::string, std::int64_t>> CountOpenByWorkflow() override;

 protected:
  using ReadFn = std::function<Result<void>(sql::Session&)>;
  using WriteFn = std::function<Result<void>(sql::Txn&)>;

  // Runs fn on a pooled connection; with `snapshot`, inside one read-only
  // transaction (every query of fn sees the same data).
  [[nodiscard]] virtual Result<void> RunRead(const ReadFn& fn, bool snapshot) = 0;
  // Runs fn on the writer inside its next batch transaction, in a savepoint
  // of its own: an error from fn rolls back fn's writes only. Returns once
  // the batch committed (or failed). fn may run more than once when the
  // engine retries the batch, so it writes only through its Txn.
  [[nodiscard]] virtual Result<void> RunWrite(const WriteFn& fn) = 0;
  // RunWrite without waiting, for the event path: `done` runs on the writer
  // thread once the batch committed or failed (with write's result, or the
  // commit's error), so callers hold no thread while the batch flushes.
  using DecisionWrite = std::move_only_function<Result<RecordedDecision>(sql::Txn&)>;
  virtual void RunDecisionWriteAsync(DecisionWrite write, RecordDone done) = 0;

  // Runs before every read of the audit chain, in the read's session: where
  // records are chained after commit (PostgreSQL's sealer), what committed
  // before the read is chained first, so a reader never misses it.
  [[nodiscard]] virtual Result<void> BeforeAuditRead(sql::Session& /*session*/) { return {}; }

  // Removes, inside an erasure's transaction, what the engine alone keeps
  // about the customer (PostgreSQL's shared conversation state, ADR 0008).
  [[nodiscard]] virtual Result<void> ForgetCustomer(sql::Session& /*session*/, const std::string& /*customer_id*/) {
    return {};
  }
  // Runs after an erasure committed (SQLite empties its write-ahead log,
  // where the rows as they were could survive).
  virtual void AfterErasure() {}

  // Typed wrappers of the two (storage/sql/store_ops.h): fn returns Result<T>.
  template <typename T, typename F>
  Result<T> ReadSql(F&& fn, bool snapshot = true);
  template <typename T, typename F>
  Result<T> WriteSql(F&& fn);
};

}  // namespace hitlgate::store
