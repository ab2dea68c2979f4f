// SqliteStore: opening, decisions, interactions and the audit log.
#include "hitlgate/store/sqlite_store.h"

#include "storage/audit_entries.h"
#include "storage/sqlite/schema.h"
#include "storage/sqlite/store_ops.h"
#include "storage/task_rules.h"

namespace hitlgate::store {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::WriteTxn;

namespace sqlite {

Result<std::int64_t> LiveLeases(Connection& conn, const std::string& reviewer, TimePoint now) {
  auto st = conn.Prepare(
      "SELECT COUNT(*) FROM tasks WHERE status = 'claimed' AND lease_owner = ?1 "
      "AND lease_expires_us > ?2");
  if (!st) return std::unexpected(st.error());
  st->BindAll(reviewer, now);
  auto row = st->Step();
  if (!row) return std::unexpected(row.error());
  return st->Int(0);
}

Result<std::vector<std::int64_t>> InsertOutbox(Connection& conn,
                                               const std::vector<OutboxMessage>& messages,
                                               TimePoint now) {
  std::vector<std::int64_t> ids;
  for (const auto& m : messages) {
    auto st = conn.Prepare(
        "INSERT INTO outbox(workflow, url, event_type, payload_json, created_at_us, "
        "next_attempt_us, attempts, last_error) VALUES(?1, ?2, ?3, ?4, ?5, ?6, 0, '')");
    if (!st) return std::unexpected(st.error());
    st->BindAll(m.workflow, m.url, m.event_type, m.payload_json, now, std::max(now, m.next_attempt_at));
    if (auto r = st->Run(); !r) return std::unexpected(r.error());
    ids.push_back(conn.LastInsertRowid());
  }
  return ids;
}

Result<std::vector<Task>> CollectTasks(Statement& st) {
  std::vector<Task> out;
  while (true) {
    auto row = st.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return out;
    auto t = ReadTask(st);
    if (!t) return std::unexpected(t.error());
    out.push_back(std::move(*t));
  }
}

}  // namespace sqlite

namespace {

Result<std::vector<StoredDecision>> CollectDecisions(Statement& st) {
  std::vector<StoredDecision> out;
  while (true) {
    auto row = st.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return out;
    auto d = sqlite::ReadDecision(st);
    if (!d) return std::unexpected(d.error());
    out.push_back(std::move(*d));
  }
}

Result<InteractionRecord> LoadInteraction(Connection& conn, const std::string& interaction_id) {
  InteractionRecord r;
  r.interaction_id = interaction_id;
  {
    auto st = conn.Prepare(std::string("SELECT ") + sqlite::kDecisionColumns +
                           " FROM decisions WHERE interaction_id = ?1 ORDER BY seq");
    if (!st) return std::unexpected(st.error());
    st->Bind(1, interaction_id);
    auto ds = CollectDecisions(*st);
    if (!ds) return std::unexpected(ds.error());
    r.decisions = std::move(*ds);
  }
  auto st = conn.Prepare(std::string("SELECT ") + sqlite::kTaskColumns +
                         " FROM tasks WHERE interaction_id = ?1 ORDER BY created_at_us, id");
  if (!st) return std::unexpected(st.error());
  st->Bind(1, interaction_id);
  auto ts = sqlite::CollectTasks(*st);
  if (!ts) return std::unexpected(ts.error());
  r.tasks = std::move(*ts);
  if (!r.decisions.empty()) r.customer_id = r.decisions.front().record.customer_id;
  return r;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const SqliteStoreOptions& options) {
  if (options.ids == nullptr) return InvalidArgument("SqliteStore needs an IdGenerator");
  auto writer = Connection::Open(path);
  if (!writer) return std::unexpected(writer.error());
  // WAL: readers never block the writer. synchronous=FULL: COMMIT returns
  // only after the WAL is fsynced, so an acknowledged decision is durable.
  if (auto r = (*writer)->Exec("PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms) +
                               "; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL");
      !r) {
    return std::unexpected(r.error());
  }
  if (auto r = sqlite::Migrate(**writer); !r) return std::unexpected(r.error());
  std::unique_ptr<SqliteStore> store(new SqliteStore());
  store->writer_ = std::move(*writer);
  store->txn_ = std::make_unique<WriteTxn>(store->writer_.get(), options.ids);
  store->readers_ = std::make_unique<sqlite::ReadPool>(path, options.busy_timeout_ms);
  store->committer_ = std::make_unique<sqlite::GroupCommitter>(store->txn_.get(), options.max_batch);
  return store;
}

SqliteStore::~SqliteStore() {
  committer_.reset();  // drains queued writes before the connection closes
}

std::int64_t SqliteStore::TransactionCountForTest() const { return committer_->transactions(); }
std::int64_t SqliteStore::WriteOpCountForTest() const { return committer_->ops(); }

// ---- Decisions ----

Result<RecordedDecision> SqliteStore::RecordDecision(const DecisionRecord& d,
                                                     const std::optional<NewTask>& task,
                                                     const std::vector<audit::AuditEntry>& extra,
                                                     TimePoint now,
                                                     const std::vector<OutboxMessage>& outbox) {
  if (auto v = internal::ValidateDecision(d, task); !v) return std::unexpected(v.error());
  if (auto v = internal::ValidateEntries(extra); !v) return std::unexpected(v.error());
  return Write<RecordedDecision>([&](WriteTxn& txn) -> Result<RecordedDecision> {
    Connection& conn = txn.conn();
    if (!d.event_id.empty()) {
      auto st = conn.Prepare("SELECT seq, task_id FROM decisions WHERE event_id = ?1");
      if (!st) return std::unexpected(st.error());
      st->Bind(1, d.event_id);
      auto row = st->Step();
      if (!row) return std::unexpected(row.error());
      if (*row) return RecordedDecision{st->Int(0), st->Text(1), true};
    }
    {
      auto st = conn.Prepare(
          "INSERT INTO decisions(event_id, interaction_id, customer_id, workflow, channel, "
          "event_index, type, at_us, event_json, decision_json, outcome, policy_version, "
          "recorded_by) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
      if (!st) return std::unexpected(st.error());
      st->BindAll(d.event_id, d.interaction_id, d.customer_id, d.workflow, d.channel,
                  d.event_index, engine::EventTypeName(d.type), d.at, d.event_json,
                  d.decision_json, engine::OutcomeName(d.outcome), d.policy_version,
                  d.recorded_by);
      if (d.event_id.empty()) st->BindNull(1);  // NULLs never collide in the unique index
      if (auto r = st->Run(); !r) return std::unexpected(r.error());
    }
    RecordedDecision out{conn.LastInsertRowid(), "", false};
    std::optional<Task> t;
    if (task) {
      t = internal::MakeTask(*task, d, txn.ids().NewId("t"), out.decision_seq);
      if (auto r = sqlite::SaveTask(conn, *t, /*is_new=*/true); !r) return std::unexpected(r.error());
      auto st = conn.Prepare("UPDATE decisions SET task_id = ?1 WHERE seq = ?2");
      if (!st) return std::unexpected(st.error());
      if (auto r = st->BindAll(t->id, out.decision_seq).Run(); !r) return std::unexpected(r.error());
      out.task_id = t->id;
    }
    auto sealed = txn.Append(internal::DecisionAudit(d, out.decision_seq, t ? &*t : nullptr, extra),
                             now);
    if (!sealed) return std::unexpected(sealed.error());
    if (auto r = sqlite::InsertOutbox(conn, outbox, now); !r) return std::unexpected(r.error());
    return out;
  });
}

// ---- Interactions ----

Result<InteractionRecord> SqliteStore::GetInteraction(const std::string& interaction_id) {
  return Read<InteractionRecord>([&](Connection& conn) -> Result<InteractionRecord> {
    auto r = LoadInteraction(conn, interaction_id);
    if (r && r->decisions.empty() && r->tasks.empty()) {
      return NotFound("no interaction " + interaction_id);
    }
    return r;
  });
}

Result<std::vector<InteractionRecord>> SqliteStore::ListCustomerInteractions(
    const std::string& customer_id, int newest) {
  return Read<std::vector<InteractionRecord>>(
      [&](Connection& conn) -> Result<std::vector<InteractionRecord>> {
        std::vector<std::string> ids;
        {
          // The newest `newest` by first event (LIMIT -1: all), then oldest first.
          auto st = conn.Prepare(
              "SELECT interaction_id FROM (SELECT interaction_id, MIN(seq) AS first FROM decisions "
              "WHERE customer_id = ?1 GROUP BY interaction_id ORDER BY first DESC LIMIT ?2) ORDER BY first");
          if (!st) return std::unexpected(st.error());
          st->Bind(1, customer_id);
          st->Bind(2, newest > 0 ? newest : -1);
          while (true) {
            auto row = st->Step();
            if (!row) return std::unexpected(row.error());
            if (!*row) break;
            ids.push_back(st->Text(0));
          }
        }
        std::vector<InteractionRecord> out;
        for (const auto& id : ids) {
          auto r = LoadInteraction(conn, id);
          if (!r) return std::unexpected(r.error());
          out.push_back(std::move(*r));
        }
        return out;
      });
}

// ---- Audit log ----

Result<std::vector<audit::AuditRecord>> SqliteStore::AppendAudit(
    const std::vector<audit::AuditEntry>& entries, TimePoint at) {
  if (auto v = internal::ValidateEntries(entries); !v) return std::unexpected(v.error());
  return Write<std::vector<audit::AuditRecord>>([&](WriteTxn& txn) { return txn.Append(entries, at); });
}

Result<std::vector<audit::AuditRecord>> SqliteStore::ReadAudit(std::int64_t from_seq, int limit) {
  return Read<std::vector<audit::AuditRecord>>(
      [&](Connection& conn) -> Result<std::vector<audit::AuditRecord>> {
        auto st = conn.Prepare(std::string("SELECT ") + sqlite::kAuditColumns +
                               " FROM audit WHERE seq >= ?1 ORDER BY seq LIMIT ?2");
        if (!st) return std::unexpected(st.error());
        st->BindAll(from_seq, limit);
        std::vector<audit::AuditRecord> out;
        while (true) {
          auto row = st->Step();
          if (!row) return std::unexpected(row.error());
          if (!*row) return out;
          out.push_back(sqlite::ReadAuditRecord(*st));
        }
      });
}

Result<AuditHead> SqliteStore::GetAuditHead() {
  return Read<AuditHead>([&](Connection& conn) -> Result<AuditHead> {
    auto st = conn.Prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
    if (!st) return std::unexpected(st.error());
    auto row = st->Step();
    if (!row) return std::unexpected(row.error());
    return *row ? AuditHead{st->Int(0), st->Text(1)} : AuditHead{};
  });
}

Result<PurgeResult> SqliteStore::PurgeAuditBefore(TimePoint cutoff, TimePoint now,
                                                  const PurgeOptions& options) {
  if (cutoff > now - options.min_retention && !options.allow_short_retention) {
    return FailedPrecondition("purge cutoff is inside the retention period");
  }
  return Write<PurgeResult>([&](WriteTxn& txn) -> Result<PurgeResult> {
    Connection& conn = txn.conn();
    audit::PurgeAnchor anchor;
    anchor.cutoff = cutoff;
    anchor.retention_days =
        std::chrono::duration_cast<std::chrono::days>(options.min_retention).count();
    anchor.first_kept_seq = txn.head().seq + 1;
    anchor.first_kept_prev_hash = txn.head().hash;
    {
      // The purge removes a prefix of the chain (never a hole), so walk in
      // seq order to the first record young enough to keep.
      auto st = conn.Prepare("SELECT seq, at_us, prev_hash FROM audit ORDER BY seq");
      if (!st) return std::unexpected(st.error());
      while (true) {
        auto row = st->Step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        if (st->Time(1) >= cutoff) {
          anchor.first_kept_seq = st->Int(0);
          anchor.first_kept_prev_hash = st->Text(2);
          break;
        }
        ++anchor.purged_count;
      }
    }
    auto del = conn.Prepare("DELETE FROM audit WHERE seq < ?1");
    if (!del) return std::unexpected(del.error());
    if (auto r = del->BindAll(anchor.first_kept_seq).Run(); !r) return std::unexpected(r.error());
    auto sealed = txn.Append({{std::string(audit::kinds::kAuditPurged), options.actor, "audit",
                               audit::EncodePurgePayload(anchor)}},
                             now);
    if (!sealed) return std::unexpected(sealed.error());
    return PurgeResult{anchor.purged_count, anchor.first_kept_seq, sealed->back().seq};
  });
}

}  // namespace hitlgate::store
