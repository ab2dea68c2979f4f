#include "storage/sqlite/schema.h"

#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "hitlgate/store/store.h"
#include "storage/packed_json.h"
#include "storage/sqlite/rows.h"

namespace hitlgate::store::sqlite {
namespace {

// Migration 10: the JSON kept per event and per task, and the audit log's
// payloads and hashes, in their packed storage form (storage/packed_json.h).
// In batches by key, so a large database is converted without holding it in
// memory. Erased event text stays the plain marker that data protection's
// queries compare against.
Result<void> PackStoredJson(Connection& conn) {
  constexpr int kBatch = 1000;
  for (std::int64_t after = 0;;) {
    auto st = conn.Prepare(
        "SELECT seq, event_json, decision_json FROM decisions "
        "WHERE seq > ?1 AND typeof(decision_json) = 'text' ORDER BY seq LIMIT ?2");
    HITLGATE_RETURN_IF_ERROR(st);
    st->BindAll(after, kBatch);
    std::vector<std::tuple<std::int64_t, std::string, std::string>> rows;
    for (;;) {
      auto row = st->Step();
      HITLGATE_RETURN_IF_ERROR(row);
      if (!*row) break;
      rows.emplace_back(st->Int(0), st->Text(1), st->Text(2));
    }
    if (rows.empty()) break;
    for (const auto& [seq, event_json, decision_json] : rows) {
      auto up = conn.Prepare("UPDATE decisions SET event_json = ?1, decision_json = ?2 WHERE seq = ?3");
      HITLGATE_RETURN_IF_ERROR(up);
      if (event_json == kErasedJson) {
        up->Bind(1, event_json);
      } else {
        BindPackedJson(*up, 1, event_json);
      }
      BindPackedJson(*up, 2, decision_json);
      up->Bind(3, seq);
      HITLGATE_RETURN_IF_ERROR(up->Run());
    }
    after = std::get<0>(rows.back());
  }
  for (std::string after;;) {
    auto st = conn.Prepare(
        "SELECT id, context_json FROM tasks WHERE id > ?1 AND typeof(context_json) = 'text' "
        "ORDER BY id LIMIT ?2");
    HITLGATE_RETURN_IF_ERROR(st);
    st->Bind(1, after).Bind(2, kBatch);
    std::vector<std::pair<std::string, std::string>> rows;
    for (;;) {
      auto row = st->Step();
      HITLGATE_RETURN_IF_ERROR(row);
      if (!*row) break;
      rows.emplace_back(st->Text(0), st->Text(1));
    }
    if (rows.empty()) break;
    for (const auto& [id, context_json] : rows) {
      auto up = conn.Prepare("UPDATE tasks SET context_json = ?1 WHERE id = ?2");
      HITLGATE_RETURN_IF_ERROR(up);
      BindPackedJson(*up, 1, context_json);
      up->Bind(2, id);
      HITLGATE_RETURN_IF_ERROR(up->Run());
    }
    after = rows.back().first;
  }
  // The audit log: payloads packed, hashes as 32-byte BLOBs. The hashed
  // content is unchanged, so the chain verifies as before.
  for (std::int64_t after = 0;;) {
    auto st = conn.Prepare(
        "SELECT seq, payload_json, prev_hash, hash FROM audit "
        "WHERE seq > ?1 AND typeof(hash) = 'text' ORDER BY seq LIMIT ?2");
    HITLGATE_RETURN_IF_ERROR(st);
    st->BindAll(after, kBatch);
    std::vector<std::tuple<std::int64_t, std::string, std::string, std::string>> rows;
    for (;;) {
      auto row = st->Step();
      HITLGATE_RETURN_IF_ERROR(row);
      if (!*row) break;
      rows.emplace_back(st->Int(0), st->Text(1), st->Text(2), st->Text(3));
    }
    if (rows.empty()) break;
    for (const auto& [seq, payload, prev_hash, hash] : rows) {
      auto up = conn.Prepare(
          "UPDATE audit SET payload_json = ?1, prev_hash = ?2, hash = ?3 WHERE seq = ?4");
      HITLGATE_RETURN_IF_ERROR(up);
      up->BindBlob(1, internal::PackAuditPayload(payload));
      BindHash(*up, 2, prev_hash);
      BindHash(*up, 3, hash);
      up->Bind(4, seq);
      HITLGATE_RETURN_IF_ERROR(up->Run());
    }
    after = std::get<0>(rows.back());
  }
  return {};
}

// Migration 11: each decision's event digest as a 32-byte BLOB (BindHash;
// rows from before digests were kept have '' and keep it). The policy
// version references are SQL (kMigrations).
Result<void> DigestsAsBlobs(Connection& conn) {
  constexpr int kBatch = 1000;
  for (std::int64_t after = 0;;) {
    auto st = conn.Prepare(
        "SELECT seq, event_digest FROM decisions WHERE seq > ?1 AND typeof(event_digest) = 'text' "
        "AND event_digest != '' ORDER BY seq LIMIT ?2");
    HITLGATE_RETURN_IF_ERROR(st);
    st->BindAll(after, kBatch);
    std::vector<std::pair<std::int64_t, std::string>> rows;
    for (;;) {
      auto row = st->Step();
      HITLGATE_RETURN_IF_ERROR(row);
      if (!*row) break;
      rows.emplace_back(st->Int(0), st->Text(1));
    }
    if (rows.empty()) break;
    for (const auto& [seq, digest] : rows) {
      auto up = conn.Prepare("UPDATE decisions SET event_digest = ?1 WHERE seq = ?2");
      HITLGATE_RETURN_IF_ERROR(up);
      BindHash(*up, 1, digest);
      up->Bind(2, seq);
      HITLGATE_RETURN_IF_ERROR(up->Run());
    }
    after = rows.back().first;
  }
  return {};
}

struct Migration {
  int version;
  const char* sql;
  // Conversions SQL cannot express, run after `sql` in the same transaction.
  Result<void> (*convert)(Connection&) = nullptr;
};

// Append only: a released migration is never edited, a change is a new one.
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE decisions(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT,
  interaction_id TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  workflow TEXT NOT NULL,
  channel TEXT NOT NULL,
  event_index INTEGER NOT NULL,
  type TEXT NOT NULL,
  at_us INTEGER NOT NULL,
  event_json TEXT NOT NULL,
  decision_json TEXT NOT NULL,
  outcome TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  task_id TEXT NOT NULL DEFAULT '');
CREATE UNIQUE INDEX decisions_event_id ON decisions(event_id) WHERE event_id IS NOT NULL;
CREATE INDEX decisions_interaction ON decisions(interaction_id, seq);
CREATE INDEX decisions_customer ON decisions(customer_id, seq);

CREATE TABLE tasks(
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  interaction_id TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  workflow TEXT NOT NULL,
  queue TEXT NOT NULL,
  skills TEXT NOT NULL,
  language TEXT NOT NULL,
  priority INTEGER NOT NULL,
  created_at_us INTEGER NOT NULL,
  due_at_us INTEGER NOT NULL,
  hold_notice_at_us INTEGER,
  escalated INTEGER NOT NULL,
  context_json TEXT NOT NULL,
  lease_owner TEXT,
  lease_id TEXT,
  lease_expires_us INTEGER,
  claim_count INTEGER NOT NULL,
  verdict_kind TEXT,
  verdict_reviewer TEXT,
  verdict_at_us INTEGER,
  verdict_edited_text TEXT,
  verdict_edited_action_json TEXT,
  verdict_reason TEXT,
  verdict_customer_message TEXT,
  verdict_note TEXT,
  decision_seq INTEGER NOT NULL);
-- ClaimNext walks this index in claim order.
CREATE INDEX tasks_claim ON tasks(status, priority, due_at_us, created_at_us, id);
CREATE INDEX tasks_lease ON tasks(status, lease_expires_us);
CREATE INDEX tasks_owner ON tasks(lease_owner) WHERE status = 'claimed';
CREATE INDEX tasks_due ON tasks(escalated, due_at_us);
CREATE INDEX tasks_interaction ON tasks(interaction_id, created_at_us);
CREATE INDEX tasks_created ON tasks(created_at_us, id);

CREATE TABLE policies(
  version TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  source_yaml TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at_us INTEGER NOT NULL);
CREATE TABLE policy_activations(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  version TEXT NOT NULL,
  actor TEXT NOT NULL,
  at_us INTEGER NOT NULL);

CREATE TABLE api_keys(
  key_id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  skills TEXT NOT NULL,
  languages TEXT NOT NULL,
  workflows TEXT NOT NULL,
  max_concurrent INTEGER NOT NULL,
  created_at_us INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at_us INTEGER);

CREATE TABLE webhooks(
  workflow TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  updated_at_us INTEGER NOT NULL);
CREATE TABLE outbox(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workflow TEXT NOT NULL,
  url TEXT NOT NULL,
  event_type TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  next_attempt_us INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  delivered_at_us INTEGER);
CREATE INDEX outbox_due ON outbox(next_attempt_us, id) WHERE delivered_at_us IS NULL;

-- The hash-chained audit log (docs/audit-format.md). seq is assigned by the
-- writer from the head it reads inside the transaction, never by rowid.
CREATE TABLE audit(
  seq INTEGER PRIMARY KEY,
  at_us INTEGER NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  subject TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
)sql"},
    {2, R"sql(
-- Supervisors' interventions in force (workflow paused, hold next, taken over).
CREATE TABLE controls(
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  at_us INTEGER NOT NULL,
  PRIMARY KEY(kind, target));
)sql"},
    {3, R"sql(
-- Approval limits per currency ("EUR=200", U+001F-joined; '' = none).
ALTER TABLE api_keys ADD COLUMN approval_limits TEXT NOT NULL DEFAULT '';
)sql"},
    {4, R"sql(
-- Claims walk each of the reviewer's queues in claim order, so a backlog in
-- a queue they cannot work (escalations to supervisors) costs them nothing.
CREATE INDEX tasks_queue_claim ON tasks(status, queue, priority, due_at_us, created_at_us, id);
)sql"},
    {5, R"sql(
-- An event_id is unique within its workflow (ADR 0009); the digest of the
-- event tells a retry of the same event from a different one.
ALTER TABLE decisions ADD COLUMN event_digest TEXT NOT NULL DEFAULT '';
DROP INDEX decisions_event_id;
CREATE UNIQUE INDEX decisions_workflow_event_id ON decisions(workflow, event_id)
  WHERE event_id IS NOT NULL;
)sql"},
    {6, R"sql(
-- Hold notices due since the last tick are found without scanning every
-- open task.
CREATE INDEX tasks_hold_notice ON tasks(hold_notice_at_us) WHERE hold_notice_at_us IS NOT NULL;
)sql"},
    {7, R"sql(
-- An agent's deadline on a held proposal (event deadline_ms), the policy's
-- fallback for it, and when it settled the task. The index finds the
-- deadlines that passed without scanning every open task.
ALTER TABLE tasks ADD COLUMN deadline_at_us INTEGER;
ALTER TABLE tasks ADD COLUMN on_deadline TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN expired_at_us INTEGER;
CREATE INDEX tasks_deadline ON tasks(deadline_at_us)
  WHERE deadline_at_us IS NOT NULL AND expired_at_us IS NULL;
)sql"},
    {8, R"sql(
-- The task a webhook message announces, so erasing its customer removes
-- the message too; and a delivered message keeps no payload (it carried
-- customer text that the receiver now has).
ALTER TABLE outbox ADD COLUMN task_id TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_task ON outbox(task_id) WHERE task_id != '';
UPDATE outbox SET payload_json = '' WHERE delivered_at_us IS NOT NULL;
)sql"},
    {9, R"sql(
-- Agent assist's procedures and articles, versioned like policies: every
-- upload is kept (id = sha256 of the canonical document), the latest
-- activation is the active one.
CREATE TABLE knowledge_versions(
  id TEXT PRIMARY KEY,
  document_json TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at_us INTEGER NOT NULL,
  procedures INTEGER NOT NULL,
  articles INTEGER NOT NULL);
CREATE TABLE knowledge_activations(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  version TEXT NOT NULL REFERENCES knowledge_versions(id),
  actor TEXT NOT NULL,
  at_us INTEGER NOT NULL);
CREATE INDEX knowledge_activations_version ON knowledge_activations(version, id);
)sql"},
    {10, R"sql(
-- The JSON kept per event and per task, and the audit log's payloads, are
-- stored packed (a BLOB, see storage/packed_json.h), the audit hashes as
-- 32-byte BLOBs; PackStoredJson converts the rows already there.
SELECT 1;
)sql",
     PackStoredJson},
    {11, R"sql(
-- The policy version, the same 71 characters for thousands of decisions, is
-- kept once: decisions.policy_version holds the id of its policy_refs row
-- (readers look it up, rows.cc kDecisionColumns). DigestsAsBlobs stores
-- event_digest as 32 bytes.
CREATE TABLE policy_refs(
  id INTEGER PRIMARY KEY,
  version TEXT NOT NULL UNIQUE);
INSERT INTO policy_refs(version) SELECT DISTINCT policy_version FROM decisions ORDER BY 1;
UPDATE decisions SET policy_version = (SELECT id FROM policy_refs WHERE version = decisions.policy_version);
)sql",
     DigestsAsBlobs},
    {12, R"sql(
-- A task's packed context has a column of its own, as on PostgreSQL, so one
-- SaveTask and ReadTask serve both engines (storage/sql/task_rows.h): new
-- and rewritten rows keep it there with '' in context_json; older rows keep
-- theirs in context_json (packed or text) until their next write. Adding a
-- column rewrites nothing.
ALTER TABLE tasks ADD COLUMN context_packed BLOB;
)sql"},
};

Result<int> CurrentVersion(Connection& conn) {
  auto st = conn.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  HITLGATE_RETURN_IF_ERROR(st);
  auto row = st->Step();
  HITLGATE_RETURN_IF_ERROR(row);
  return static_cast<int>(st->Int(0));
}

}  // namespace

Result<void> Migrate(Connection& conn) {
  if (auto r = conn.Exec("BEGIN IMMEDIATE"); !r) return r;
  auto fail = [&](Error e) -> Result<void> {
    (void)conn.Exec("ROLLBACK");
    return std::unexpected(std::move(e));
  };
  if (auto r = conn.Exec("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER PRIMARY KEY)");
      !r) {
    return fail(r.error());
  }
  auto current = CurrentVersion(conn);
  if (!current) return fail(current.error());
  if (*current > kSchemaVersion) {
    return fail(Error(ErrorCode::kFailedPrecondition,
                      "database schema version " + std::to_string(*current) +
                          " is newer than this hitlgate's (" + std::to_string(kSchemaVersion) +
                          ")"));
  }
  for (const auto& m : kMigrations) {
    if (m.version <= *current) continue;
    if (auto r = conn.Exec(m.sql); !r) return fail(r.error());
    if (m.convert != nullptr) {
      if (auto r = m.convert(conn); !r) return fail(r.error());
    }
    auto st = conn.Prepare("INSERT INTO schema_version(version) VALUES(?1)");
    if (!st) return fail(st.error());
    if (auto r = st->BindAll(m.version).Run(); !r) return fail(r.error());
  }
  return conn.Exec("COMMIT");
}

}  // namespace hitlgate::store::sqlite
