// The event path's write (storage/sql/decisions.h), once for both engines.
// What they store differently (the digest's form, the policy version by
// reference, where the packed JSON goes) is Dialect's; the statement order
// is the same: the decision row, then its task, audit record and outbox.
#include "storage/sql/decisions.h"

#include "storage/audit_entries.h"
#include "storage/sql/admin_rows.h"
#include "storage/sql/store_ops.h"
#include "storage/sql/task_rows.h"
#include "storage/task_rules.h"

namespace hitlgate::store::sql {
namespace {

// What was recorded for (workflow, event_id).
Result<std::optional<RecordedEvent>> FindRecorded(Session& s, const std::string& workflow,
                                                  const std::string& event_id) {
  const Dialect& dialect = s.dialect();
  // decision_columns' positions: 9 event_json, 10 decision_json, 14 task_id,
  // 15 and 16 the packed event and decision.
  auto rows = s.Query(std::string("SELECT ") + std::string(dialect.decision_columns) +
                          ", event_digest FROM decisions WHERE workflow = $1 AND event_id = $2",
                      Params::Of(workflow, event_id));
  HITLGATE_RETURN_IF_ERROR(rows);
  if (rows->empty()) return std::optional<RecordedEvent>();
  const DecisionPrimers primers = PrimersOf(*rows, 0);
  auto answer = ReadPackedJson(*rows, 0, 16, 10, primers.answer);
  HITLGATE_RETURN_IF_ERROR(answer);
  auto event_json = ReadPackedJson(*rows, 0, 15, 9, primers.event);
  HITLGATE_RETURN_IF_ERROR(event_json);
  return std::optional<RecordedEvent>(RecordedEvent{rows->Int(0, 0), rows->Text(0, 14), std::move(*answer),
                                                    rows->Hash(0, 17), std::move(*event_json)});
}

// The event path's two statements in the engine's dialect, composed once per
// writer thread rather than once per event.
struct InsertStatements {
  std::string remember_policy_version;
  std::string insert_decision;
};
const InsertStatements& InsertStatementsFor(const Dialect& dialect) {
  thread_local const Dialect* composed_for = nullptr;
  thread_local InsertStatements statements;
  if (composed_for != &dialect) {
    statements.remember_policy_version = std::string(dialect.remember_policy_version);
    statements.insert_decision =
        std::string("INSERT INTO decisions(event_id, interaction_id, customer_id, workflow, channel, event_index, "
                    "type, at_us, outcome, recorded_by, task_id, event_digest, policy_version, ") +
        std::string(dialect.packed_decision_columns) +
        ") VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, " + std::string(dialect.policy_version_value) +
        ", " + std::string(dialect.packed_decision_values) +
        ") ON CONFLICT (workflow, event_id) WHERE event_id IS NOT NULL DO NOTHING RETURNING seq";
    composed_for = &dialect;
  }
  return statements;
}

// Inserts the decision row unless (workflow, event_id) is taken; its seq, or
// nullopt on that conflict.
Result<std::optional<std::int64_t>> InsertDecision(Session& s, const DecisionRecord& d,
                                                   const internal::PackedDecision& packed,
                                                   const std::string& task_id) {
  const Dialect& dialect = s.dialect();
  const InsertStatements& sql = InsertStatementsFor(dialect);
  if (!sql.remember_policy_version.empty()) {
    HITLGATE_RETURN_IF_ERROR(s.Query(sql.remember_policy_version, Params::Of(d.policy_version)));
  }
  Params p;
  if (d.event_id.empty()) {
    p.AddNull();  // NULLs never collide in the unique index
  } else {
    p.Add(d.event_id);
  }
  p.Add(d.interaction_id).Add(d.customer_id).Add(d.workflow).Add(d.channel).Add(d.event_index);
  p.Add(engine::EventTypeName(d.type)).Add(d.at).Add(engine::OutcomeName(d.outcome)).Add(d.recorded_by);
  p.Add(task_id).AddHash(d.event_digest, dialect.hashes_as_bytes).Add(d.policy_version);
  p.Add(Bytes{packed.event_json}).Add(Bytes{packed.decision_json});
  auto rows = s.Query(sql.insert_decision, p);
  HITLGATE_RETURN_IF_ERROR(rows);
  if (rows->empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(rows->Int(0, 0));
}

}  // namespace

DecisionPrimers PrimersOf(const Rows& r, int i) {
  // decision_columns' positions: 1-5 the ids, workflow and channel, 6
  // event_index, 12 the policy version, 14 task_id.
  const std::string event_id = r.Text(i, 1), interaction_id = r.Text(i, 2), customer_id = r.Text(i, 3);
  const std::string workflow = r.Text(i, 4), channel = r.Text(i, 5), policy_version = r.Text(i, 12);
  const std::string task_id = r.Text(i, 14);
  const internal::DecisionRowValues row{event_id, interaction_id, customer_id,    workflow,
                                        channel,  r.Int(i, 6),    policy_version, task_id};
  return {internal::DecisionEventPrimer(row), internal::DecisionAnswerPrimer(row)};
}

Result<RecordedDecision> RecordDecision(Txn& txn, const DecisionRecord& d, const std::optional<NewTask>& task,
                                        const internal::PackedDecision& packed,
                                        const std::vector<audit::AuditEntry>& extra, TimePoint now,
                                        const std::vector<OutboxMessage>& outbox) {
  Session& s = txn.session();
  // The task id is known before the insert, so the decision row names its
  // task from the start.
  std::string task_id;
  if (task) task_id = task->id.empty() ? txn.ids().NewId("t") : task->id;
  // The answer was primed with task->id; an id picked here is in the row
  // instead, so the answer is packed again against it (callers that leave
  // the id to the store are tests and tools, not the event path).
  internal::PackedDecision repacked;
  if (task && task->id.empty()) {
    repacked = packed;
    const internal::DecisionRowValues row{d.event_id, d.interaction_id, d.customer_id,    d.workflow,
                                          d.channel,  d.event_index,    d.policy_version, task_id};
    repacked.decision_json = internal::PackPrimedJson(d.decision_json, internal::DecisionAnswerPrimer(row));
  }
  const internal::PackedDecision& stored = task && task->id.empty() ? repacked : packed;
  auto seq = InsertDecision(s, d, stored, task_id);
  HITLGATE_RETURN_IF_ERROR(seq);
  if (!*seq) {
    auto first = FindRecorded(s, d.workflow, d.event_id);
    HITLGATE_RETURN_IF_ERROR(first);
    if (!*first) return Internal("decision " + d.event_id + " conflicted but is missing");
    RecordedDecision dup{(*first)->decision_seq, (*first)->task_id, true, std::nullopt, std::nullopt};
    dup.first = std::move(*first);
    return dup;
  }
  RecordedDecision out{**seq, task_id, false, std::nullopt, std::nullopt};
  if (task) {
    out.task = internal::MakeTask(*task, d, task_id, out.decision_seq);
    HITLGATE_RETURN_IF_ERROR(SaveTask(s, *out.task, /*is_new=*/true, stored.context_json, stored.context_primer));
  }
  HITLGATE_RETURN_IF_ERROR(
      txn.Append(internal::DecisionAudit(d, out.decision_seq, out.task ? &*out.task : nullptr, extra), now));
  HITLGATE_RETURN_IF_ERROR(InsertOutbox(s, outbox, now));
  return out;
}

}  // namespace hitlgate::store::sql

namespace hitlgate::store {

Result<RecordedDecision> SqlStore::RecordDecision(const DecisionRecord& d, const std::optional<NewTask>& task,
                                                  const std::vector<audit::AuditEntry>& extra, TimePoint now,
                                                  const std::vector<OutboxMessage>& outbox) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateDecision(d, task));
  HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(extra));
  // Packed here, in the caller's thread, so the writer does not wait for it.
  const internal::PackedDecision packed = internal::PackDecision(d, task);
  return WriteSql<RecordedDecision>(
      [&](sql::Txn& txn) { return sql::RecordDecision(txn, d, task, packed, extra, now, outbox); });
}

void SqlStore::RecordDecisionAsync(DecisionRecord decision, std::optional<NewTask> task, TimePoint now,
                                   RecordDone done) {
  if (auto v = internal::ValidateDecision(decision, task); !v) return done(std::unexpected(v.error()));
  internal::PackedDecision packed = internal::PackDecision(decision, task);
  RunDecisionWriteAsync(
      [d = std::move(decision), t = std::move(task), p = std::move(packed), now](sql::Txn& txn) {
        return sql::RecordDecision(txn, d, t, p, {}, now, {});
      },
      std::move(done));
}

}  // namespace hitlgate::store
