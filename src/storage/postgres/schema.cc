#include "storage/postgres/schema.h"

#include "hitlgate/store/store.h"
#include "storage/postgres/rows.h"

namespace hitlgate::store::postgres {
namespace {

// Migration 12: the JSON kept per event and per task, packed
// (storage/packed_json.h) into the BYTEA columns, '' left in the TEXT ones.
// In batches by key, so a large database is converted without holding it in
// memory. Erased event text stays the plain marker data protection's queries
// compare against.
Result<void> PackStoredJson(Connection& conn) {
  constexpr int kBatch = 1000;
  for (std::int64_t after = 0;;) {
    auto rows = conn.Query(
        "SELECT seq, event_json, decision_json FROM decisions "
        "WHERE seq > $1 AND decision_packed IS NULL ORDER BY seq LIMIT $2",
        Params::Of(after, kBatch));
    HITLGATE_RETURN_IF_ERROR(rows);
    if (rows->empty()) break;
    for (int i = 0; i < rows->size(); ++i) {
      const std::string event_json = rows->Text(i, 1);
      Params p;
      if (event_json == kErasedJson) {
        p.Add(event_json).AddNull();
      } else {
        p.Add(std::string()).Add(PackedJsonParam(event_json));
      }
      p.Add(PackedJsonParam(rows->Text(i, 2))).Add(rows->Int(i, 0));
      auto up = conn.Query(
          "UPDATE decisions SET event_json = $1, event_packed = $2, decision_json = '', "
          "decision_packed = $3 WHERE seq = $4",
          p);
      HITLGATE_RETURN_IF_ERROR(up);
    }
    after = rows->Int(rows->size() - 1, 0);
  }
  for (std::string after;;) {
    auto rows = conn.Query(
        "SELECT id, context_json FROM tasks WHERE id > $1 AND context_packed IS NULL "
        "ORDER BY id LIMIT $2",
        Params::Of(after, kBatch));
    HITLGATE_RETURN_IF_ERROR(rows);
    if (rows->empty()) break;
    for (int i = 0; i < rows->size(); ++i) {
      auto up = conn.Query(
          "UPDATE tasks SET context_json = '', context_packed = $1 WHERE id = $2",
          Params::Of(PackedJsonParam(rows->Text(i, 1)), rows->Text(i, 0)));
      HITLGATE_RETURN_IF_ERROR(up);
    }
    after = rows->Text(rows->size() - 1, 0);
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
// The tables mirror the SQLite backend's (times are BIGINT microseconds,
// lists are U+001F-joined text), plus audit_head, the chain's head, and
// audit_pending, where write transactions queue records for the sealer
// (docs/adr/0011-audit-chain-without-a-cluster-lock.md).
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE decisions(
  seq BIGSERIAL PRIMARY KEY,
  event_id TEXT,
  interaction_id TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  workflow TEXT NOT NULL,
  channel TEXT NOT NULL,
  event_index BIGINT NOT NULL,
  type TEXT NOT NULL,
  at_us BIGINT NOT NULL,
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
  created_at_us BIGINT NOT NULL,
  due_at_us BIGINT NOT NULL,
  hold_notice_at_us BIGINT,
  escalated BOOLEAN NOT NULL,
  context_json TEXT NOT NULL,
  lease_owner TEXT,
  lease_id TEXT,
  lease_expires_us BIGINT,
  claim_count INTEGER NOT NULL,
  verdict_kind TEXT,
  verdict_reviewer TEXT,
  verdict_at_us BIGINT,
  verdict_edited_text TEXT,
  verdict_edited_action_json TEXT,
  verdict_reason TEXT,
  verdict_customer_message TEXT,
  verdict_note TEXT,
  decision_seq BIGINT NOT NULL);
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
  uploaded_at_us BIGINT NOT NULL);
CREATE TABLE policy_activations(
  id BIGSERIAL PRIMARY KEY,
  version TEXT NOT NULL,
  actor TEXT NOT NULL,
  at_us BIGINT NOT NULL);

CREATE TABLE api_keys(
  key_id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  skills TEXT NOT NULL,
  languages TEXT NOT NULL,
  workflows TEXT NOT NULL,
  max_concurrent INTEGER NOT NULL,
  created_at_us BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at_us BIGINT);

CREATE TABLE webhooks(
  workflow TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  updated_at_us BIGINT NOT NULL);
CREATE TABLE outbox(
  id BIGSERIAL PRIMARY KEY,
  workflow TEXT NOT NULL,
  url TEXT NOT NULL,
  event_type TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  created_at_us BIGINT NOT NULL,
  next_attempt_us BIGINT NOT NULL,
  attempts INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  delivered_at_us BIGINT);
CREATE INDEX outbox_due ON outbox(next_attempt_us, id) WHERE delivered_at_us IS NULL;

CREATE TABLE controls(
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  at_us BIGINT NOT NULL,
  PRIMARY KEY(kind, target));

-- The hash-chained audit log (docs/audit-format.md). seq is assigned by the
-- writer from audit_head, which it holds locked until it commits.
CREATE TABLE audit(
  seq BIGINT PRIMARY KEY,
  at_us BIGINT NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  subject TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE TABLE audit_head(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL);
INSERT INTO audit_head(id, seq, hash)
  VALUES(1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Live updates too large for a NOTIFY payload (8000 bytes) wait here for
-- the other nodes; pruned by the publishing node.
CREATE TABLE live_spill(
  id BIGSERIAL PRIMARY KEY,
  payload TEXT NOT NULL);
)sql"},
    {2, R"sql(
-- Approval limits per currency ("EUR=200", U+001F-joined; '' = none).
ALTER TABLE api_keys ADD COLUMN approval_limits TEXT NOT NULL DEFAULT '';
)sql"},
    {3, R"sql(
-- The engine's conversation state, shared by every node
-- (PostgresConversationStore, docs/adr/0008-conversation-state-row-locks.md):
-- one row per open interaction and per customer, each event locks its rows
-- from Load to Record. The state is the store's own text form; last_*_us
-- (event time) lets idle rows be purged. Updated on every event, so not
-- indexed beyond the key (updates stay HOT) and left room on each page.
CREATE TABLE conversation_interactions(
  interaction_id TEXT PRIMARY KEY,
  state TEXT NOT NULL DEFAULT '',
  last_seen_us BIGINT NOT NULL DEFAULT 0) WITH (fillfactor = 70);
CREATE TABLE conversation_customers(
  customer_id TEXT PRIMARY KEY,
  contacts TEXT NOT NULL DEFAULT '',
  last_contact_us BIGINT NOT NULL DEFAULT 0) WITH (fillfactor = 70);
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
ALTER TABLE tasks ADD COLUMN deadline_at_us BIGINT;
ALTER TABLE tasks ADD COLUMN on_deadline TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN expired_at_us BIGINT;
CREATE INDEX tasks_deadline ON tasks(deadline_at_us)
  WHERE deadline_at_us IS NOT NULL AND expired_at_us IS NULL;
)sql"},
    {8, R"sql(
-- The task a webhook message announces, so erasing its customer removes
-- the message too; and a delivered message keeps no payload (it carried
-- customer text that the receiver now has).
ALTER TABLE outbox ADD COLUMN task_id TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_task ON outbox(task_id) WHERE task_id <> '';
UPDATE outbox SET payload_json = '' WHERE delivered_at_us IS NOT NULL;
)sql"},
    {9, R"sql(
-- Agent assist's procedures and articles, versioned like policies (the
-- SQLite tables' twins), and the active version's articles for PostgreSQL's
-- full-text search: the title weighs as 'A', the body as 'B' in ts_rank.
CREATE TABLE knowledge_versions(
  id TEXT PRIMARY KEY,
  document_json TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at_us BIGINT NOT NULL,
  procedures BIGINT NOT NULL,
  articles BIGINT NOT NULL);
CREATE TABLE knowledge_activations(
  id BIGSERIAL PRIMARY KEY,
  version TEXT NOT NULL REFERENCES knowledge_versions(id),
  actor TEXT NOT NULL,
  at_us BIGINT NOT NULL);
CREATE INDEX knowledge_activations_version ON knowledge_activations(version, id);
CREATE TABLE knowledge_articles(
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')) STORED);
CREATE INDEX knowledge_articles_search ON knowledge_articles USING GIN(search);
)sql"},
    {10, R"sql(
-- Claims that stay cheap however many tasks were ever open. The claim
-- indexes hold open tasks only, in claim order (per queue, and over all
-- queues), so the claim walks them and stops at the first task it may take;
-- the lease index holds claimed tasks only. With no index that leads with
-- status left, the planner cannot pick the old plan (every open version
-- through (status, ...), then a sort), and each index only ever holds
-- entries of versions that were open (or claimed), which an index scan
-- marks dead as it passes them and vacuum removes.
CREATE INDEX tasks_open_claim ON tasks(priority, due_at_us, created_at_us, id)
  WHERE status = 'open';
CREATE INDEX tasks_open_queue_claim ON tasks(queue, priority, due_at_us, created_at_us, id)
  WHERE status = 'open';
DROP INDEX tasks_claim;
DROP INDEX tasks_queue_claim;
DROP INDEX tasks_lease;
CREATE INDEX tasks_lease ON tasks(lease_expires_us) WHERE status = 'claimed';
-- Every task is written three times or more (created, claimed, answered),
-- so dead versions pile up at the pace of claims. PostgreSQL's default
-- (vacuum after 20% of the table changed) lets a big table collect hundreds
-- of thousands; 1% plus 1,000 rows keeps the claim indexes and the heap
-- small, and a short cost delay lets each run keep up.
ALTER TABLE tasks SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
  autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000,
  autovacuum_vacuum_cost_delay = 1);
)sql"},
    {11, R"sql(
-- Audit records wait here from their write transaction's commit until the
-- sealer puts them on the chain (ADR 0011): no write transaction locks
-- audit_head any more. xid is the inserting transaction's id, so the sealer
-- can tell the records of finished transactions; id is the sealing order.
-- Rows live for milliseconds: vacuum after every 1,000 of them.
CREATE TABLE audit_pending(
  id BIGSERIAL PRIMARY KEY,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  at_us BIGINT NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  subject TEXT NOT NULL,
  payload_json TEXT NOT NULL)
  WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
        autovacuum_vacuum_cost_delay = 1);
)sql"},
    {12, R"sql(
-- The JSON kept per event and per task is stored packed (storage/packed_json.h)
-- in BYTEA columns; the TEXT columns keep '' then, or the erased marker.
-- PackStoredJson converts the rows already there. (11 is the audit chain's.)
ALTER TABLE decisions ADD COLUMN event_packed BYTEA, ADD COLUMN decision_packed BYTEA;
ALTER TABLE tasks ADD COLUMN context_packed BYTEA;
)sql",
     PackStoredJson},
};

}  // namespace

int MigrationCount() { return static_cast<int>(std::size(kMigrations)); }

Result<void> Migrate(Connection& conn, const std::string& schema) {
  if (auto r = conn.Exec("BEGIN"); !r) return r;
  auto fail = [&](Error e) -> Result<void> {
    (void)conn.Exec("ROLLBACK");
    return std::unexpected(std::move(e));
  };
  // Held until COMMIT: a second node waits here, then finds the work done.
  if (auto r = conn.Query("SELECT pg_advisory_xact_lock(hashtext($1))",
                          Params::Of("hitlgate.migrate." + schema));
      !r) {
    return fail(r.error());
  }
  if (!schema.empty()) {
    if (auto r = conn.Exec("CREATE SCHEMA IF NOT EXISTS " + schema); !r) return fail(r.error());
  }
  if (auto r = conn.Exec(
          "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER PRIMARY KEY, "
          "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      !r) {
    return fail(r.error());
  }
  auto current = conn.Query("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!current) return fail(current.error());
  const int version = static_cast<int>(current->Int(0, 0));
  if (version > kSchemaVersion) {
    return fail(Error(ErrorCode::kFailedPrecondition,
                      "database schema version " + std::to_string(version) +
                          " is newer than this hitlgate's (" + std::to_string(kSchemaVersion) +
                          ")"));
  }
  for (const auto& m : kMigrations) {
    if (m.version <= version) continue;
    if (auto r = conn.Exec(m.sql); !r) return fail(r.error());
    if (m.convert != nullptr) {
      if (auto r = m.convert(conn); !r) return fail(r.error());
    }
    if (auto r = conn.Query("INSERT INTO schema_version(version) VALUES($1)",
                            Params::Of(m.version));
        !r) {
      return fail(r.error());
    }
  }
  return conn.Exec("COMMIT");
}

}  // namespace hitlgate::store::postgres
