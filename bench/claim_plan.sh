#!/usr/bin/env bash
# The claim query's plan on PostgreSQL, EXPLAIN (ANALYZE, BUFFERS), on a tasks
# table after claim churn: CLOSED tasks that each went open -> claimed ->
# answered (three row versions, two of them dead, autovacuum off as between
# two of its runs), then OPEN open tasks. The statement is the store's own
# (SqlStore::ClaimNext's first page of open tasks in one queue, with
# PostgreSQL's claim filter: storage/sql/tasks.cc and
# storage/postgres/sql_session.cc) run as a prepared statement with the
# generic plan, as the store runs it after five calls.
# Also SQLite's plan for its claim (EXPLAIN QUERY PLAN).
#
#   bench/claim_plan.sh [CLOSED] [OPEN]       (defaults 50000 100)
#
# Run it with HITLGATE_BIN pointing at a build before and after a schema
# change to compare plans (figures in docs/cluster.md, "Claims").
#
# Needs the build's hitlgate (HITLGATE_BIN, default build/dev/src/cli/hitlgate)
# to create the schema; starts and removes a private PostgreSQL (scripts/pg.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
closed=${1:-50000}
open=${2:-100}
bin=${HITLGATE_BIN:-build/dev/src/cli/hitlgate}
work=$(mktemp -d /tmp/hitlgate-claimplan.XXXXXX)
eval "$(scripts/pg.sh start 2>/dev/null)"
trap 'kill "$serve_pid" 2>/dev/null || true; scripts/pg.sh stop "$HITLGATE_TEST_PG_DIR" 2>/dev/null; rm -rf "$work"' EXIT
url=$HITLGATE_TEST_PG_URL

# One start migrates the schema (PostgreSQL) or creates the file (SQLite).
migrate() {
  HITLGATE_ADMIN_KEY="hg_c1a2b3c4d5e6_$(printf '9%.0s' $(seq 64))" "$bin" serve --data "$work/$1" \
    --port 0 "${@:2}" >"$work/$1.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 100); do grep -q "listening on" "$work/$1.log" && break; sleep 0.1; done
  kill "$serve_pid"; wait "$serve_pid" || true
}
migrate pg --store "$url"

# Rows as the store writes them: every column of kTaskColumns filled.
psql -q -v ON_ERROR_STOP=1 "$url" <<SQL
ALTER TABLE tasks SET (autovacuum_enabled = false);
INSERT INTO tasks(id, kind, status, interaction_id, customer_id, workflow, queue, skills, language,
  priority, created_at_us, due_at_us, escalated, context_json, claim_count, decision_seq)
SELECT 't-' || g, 'approval', 'open', 'i-' || g, 'c-' || g, 'retail-bot', 'billing', 'billing', 'en',
  2, g * 1000, g * 1000 + 600000000, false, '{}', 0, g
FROM generate_series(1, $closed) g;
UPDATE tasks SET status = 'claimed', lease_owner = 'rev', lease_id = 'l-' || id,
  lease_expires_us = 9e15, claim_count = 1;
UPDATE tasks SET status = 'answered', verdict_kind = 'approved', verdict_reviewer = 'rev',
  verdict_at_us = 1, lease_owner = NULL, lease_id = NULL, lease_expires_us = NULL;
INSERT INTO tasks(id, kind, status, interaction_id, customer_id, workflow, queue, skills, language,
  priority, created_at_us, due_at_us, escalated, context_json, claim_count, decision_seq)
SELECT 'o-' || g, 'approval', 'open', 'i-o' || g, 'c-o' || g, 'retail-bot', 'billing', 'billing', 'en',
  2, 1e12 + g, 1e12 + g + 600000000, false, '{}', 0, g
FROM generate_series(1, $open) g;
ANALYZE tasks;
SQL
echo "== PostgreSQL: $closed closed tasks (each claimed and answered), $open open =="
cols="id, kind, status, interaction_id, customer_id, workflow, queue, skills, language, priority,
  created_at_us, due_at_us, hold_notice_at_us, escalated, context_json, lease_owner, lease_id,
  lease_expires_us, claim_count, verdict_kind, verdict_reviewer, verdict_at_us, verdict_edited_text,
  verdict_edited_action_json, verdict_reason, verdict_customer_message, verdict_note, decision_seq,
  deadline_at_us, on_deadline, expired_at_us, context_packed"
qualifies="AND string_to_array(skills, chr(31)) <@ string_to_array(\$1, chr(31))
 AND (language = '' OR \$2 = '' OR EXISTS (SELECT 1 FROM unnest(string_to_array(\$2, chr(31))) AS l(tag)
      WHERE lower(t.language) = lower(l.tag)
         OR left(lower(t.language), length(l.tag) + 1) = lower(l.tag) || '-'))
 AND (\$3 = '' OR queue = ANY(string_to_array(\$3, chr(31))))
 AND (\$4 = '' OR workflow = ANY(string_to_array(\$4, chr(31))))
 ORDER BY priority, due_at_us, created_at_us, id LIMIT \$5 FOR UPDATE SKIP LOCKED"
# Each EXPLAIN in its own transaction, rolled back: nothing stays locked.
explain() {
  printf 'BEGIN;\nEXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE %s;\nROLLBACK;\n' "$1"
}
psql -q -v ON_ERROR_STOP=1 "$url" <<SQL
SELECT n_live_tup, n_dead_tup FROM pg_stat_user_tables WHERE relname = 'tasks';
SET plan_cache_mode = force_generic_plan;
PREPARE in_queue(text, text, text, text, int, text) AS SELECT $cols FROM tasks t
 WHERE status = 'open' AND queue = \$6 $qualifies;
PREPARE any_queue(text, text, text, text, int) AS SELECT $cols FROM tasks t
 WHERE status = 'open' $qualifies;
\echo '-- open tasks of one queue (a reviewer with queues), first run'
$(explain "in_queue('billing', '', 'billing', '', 1, 'billing')")
\echo '-- the same again: the first run marked the index entries of dead rows'
$(explain "in_queue('billing', '', 'billing', '', 1, 'billing')")
\echo '-- open tasks of every queue (a reviewer without queues)'
$(explain "any_queue('billing', '', '', '', 1)")
VACUUM tasks;
\echo '-- after VACUUM (what autovacuum does between runs), one queue'
$(explain "in_queue('billing', '', 'billing', '', 1, 'billing')")
SQL

echo "== SQLite: the same claim (EXPLAIN QUERY PLAN) =="
migrate sqlite
sqlite3 "$work/sqlite/hitlgate.db" <<SQL
EXPLAIN QUERY PLAN SELECT * FROM tasks t WHERE status = 'open' AND queue = 'billing'
 ORDER BY priority, due_at_us, created_at_us, id LIMIT 1;
EXPLAIN QUERY PLAN SELECT * FROM tasks t WHERE status = 'open'
 ORDER BY priority, due_at_us, created_at_us, id LIMIT 1;
EXPLAIN QUERY PLAN WITH expired AS MATERIALIZED (SELECT id FROM tasks WHERE status = 'claimed'
 AND lease_expires_us <= 1) SELECT * FROM tasks t WHERE id IN (SELECT id FROM expired)
 AND status = 'claimed' AND lease_expires_us <= 1 ORDER BY priority, due_at_us, created_at_us, id LIMIT 1;
-- a later page of a walk: one index seek past the last row seen
EXPLAIN QUERY PLAN SELECT * FROM tasks t WHERE status = 'open' AND queue = 'billing'
 AND (priority, due_at_us, created_at_us, id) > (2, 0, 0, 'x')
 ORDER BY priority, due_at_us, created_at_us, id LIMIT 16;
SQL
