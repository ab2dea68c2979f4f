// PostgresStore: review tasks, leases, verdicts, escalation.
#include "hitlgate/store/postgres_store.h"
#include "storage/audit_entries.h"
#include "storage/postgres/store_ops.h"
#include "storage/postgres/sql_session.h"
#include "storage/sql/admin_rows.h"
#include "storage/task_rules.h"

namespace hitlgate::store {

using postgres::Connection;
using postgres::Params;
using postgres::WriteTxn;

namespace {

// Claimable tasks the reviewer qualifies for, in claim order, locked for
// this transaction. SKIP LOCKED passes over rows another transaction holds
// (another node's claim in flight) instead of waiting for them. Skills,
// languages (none declared: any) and queues are checked in SQL (the same rules as Qualifies,
// which the caller applies again), so the rows locked are only ones the
// reviewer can take. Open tasks and expired leases are two queries, each
// walking a partial index in order and stopping at the first match (one
// query with OR would sort every claimable task): tasks_open_claim holds
// open tasks only, in claim order (migration 9, bench/claim_plan.sh shows
// the plan). $1 now, $2 skills, $3 languages, $4 queues, $6 workflows
// (U+001F-joined lists), $5 how many.
//
// The claim takes no cluster-wide lock (ADR 0011): SKIP LOCKED never waits,
// so claims on several nodes walk past each other's rows. The walk is cheap:
// it reads the index entries ahead of the first task not locked by another
// node (docs/cluster.md, "Claims").
const std::string kQualifies =
    " AND string_to_array(skills, chr(31)) <@ string_to_array($2, chr(31))"
    " AND (language = '' OR $3 = '' OR EXISTS (SELECT 1 FROM unnest(string_to_array($3, chr(31))) AS l(tag)"
    "      WHERE lower(t.language) = lower(l.tag)"
    "         OR left(lower(t.language), length(l.tag) + 1) = lower(l.tag) || '-'))"
    " AND ($4 = '' OR queue = ANY(string_to_array($4, chr(31))))"
    " AND ($6 = '' OR workflow = ANY(string_to_array($6, chr(31))))"
    " ORDER BY priority, due_at_us, created_at_us, id LIMIT $5 FOR UPDATE SKIP LOCKED";
const std::string kClaimableOpen = std::string("SELECT ") + postgres::kTaskColumns +
                                   " FROM tasks t WHERE status = 'open' AND $1::bigint IS NOT NULL" +
                                   kQualifies;
// The same within one queue ($7), walking tasks_open_queue_claim: a reviewer's
// claim visits only the queues they work, whatever backlog the others have
// (escalations waiting for supervisors sort first and would be walked over).
const std::string kClaimableOpenInQueue = std::string("SELECT ") + postgres::kTaskColumns +
                                          " FROM tasks t WHERE status = 'open' AND queue = $7 AND "
                                          "$1::bigint IS NOT NULL" +
                                          kQualifies;
// Expired leases are found through tasks_lease (claimed tasks by expiry)
// first: walking claimed tasks in claim order would visit every one of
// them, since none may match (and their dead row versions too).
const std::string kClaimableExpired =
    std::string("WITH expired AS MATERIALIZED (SELECT id FROM tasks WHERE status = 'claimed' AND "
                "lease_expires_us <= $1) SELECT ") +
    postgres::kTaskColumns +
    " FROM tasks t WHERE id IN (SELECT id FROM expired) AND status = 'claimed' AND "
    "lease_expires_us <= $1" +
    kQualifies;

// A reviewer's lease count is checked, then a lease added: two nodes claiming
// for one reviewer at once must not both pass the check. The audit head lock
// used to serialize them; now a lock per reviewer does, held to the commit
// (hash collisions only make two reviewers wait for each other).
Result<void> CountLeasesAlone(Connection& conn, const ClaimRequest& r) {
  if (r.max_concurrent <= 0) return {};
  HITLGATE_RETURN_IF_ERROR(conn.Query(
      "SELECT pg_advisory_xact_lock(hashtext('hitlgate.reviewer_leases'), hashtext($1))",
      Params::Of(r.reviewer)));
  return {};
}

// The first task in claim order from `sql` that `r` may claim.
Result<std::optional<Task>> FirstClaimable(Connection& conn, const std::string& sql,
                                           const ClaimRequest& r, const std::string* queue = nullptr) {
  // SQL applies the same rules, so the first row qualifies; a wider look
  // only happens if SQL's lower() and the C++ rules ever disagree
  // (non-ASCII language tags), and it locks more rows for a moment.
  for (int limit : {1, 64}) {
    Params params = Params::Of(r.now, internal::JoinList(r.skills), internal::JoinList(r.languages),
                               internal::JoinList(r.queues), limit, internal::JoinList(r.workflows));
    if (queue != nullptr) params.Add(*queue);
    auto rows = conn.Query(sql, params);
    HITLGATE_RETURN_IF_ERROR(rows);
    for (int i = 0; i < rows->size(); ++i) {
      auto t = postgres::ReadTask(*rows, i);
      HITLGATE_RETURN_IF_ERROR(t);
      if (internal::Claimable(*t, r.now) && Qualifies(*t, r)) return std::optional<Task>(std::move(*t));
    }
    if (rows->size() < limit) break;  // nothing more to look at
  }
  return std::optional<Task>();
}

// Claims `t` for `r`: lease, row, audit.
Result<Task> DoClaim(WriteTxn& txn, Task t, const ClaimRequest& r) {
  std::vector<audit::AuditEntry> entries;
  internal::ApplyClaim(t, r, txn.ids().NewId("l"), &entries);
  HITLGATE_RETURN_IF_ERROR(postgres::SaveTask(txn.conn(), t));
  HITLGATE_RETURN_IF_ERROR(txn.Append(std::move(entries), r.now));
  return t;
}

// Loads and locks a task, applies `change` (which checks and returns the
// audit entries, or an error), saves it and appends the entries.
template <typename Change>
Result<Task> Mutate(WriteTxn& txn, const std::string& task_id, TimePoint now, Change change) {
  auto t = postgres::LoadTask(txn.conn(), task_id, /*for_update=*/true);
  HITLGATE_RETURN_IF_ERROR(t);
  Result<std::vector<audit::AuditEntry>> entries = change(*t);
  HITLGATE_RETURN_IF_ERROR(entries);
  HITLGATE_RETURN_IF_ERROR(postgres::SaveTask(txn.conn(), *t));
  HITLGATE_RETURN_IF_ERROR(txn.Append(std::move(*entries), now));
  return t;
}

using Entries = Result<std::vector<audit::AuditEntry>>;

// Every task a SELECT of kTaskColumns with `params` returns, each changed by
// `apply` (which returns its audit entry), saved and audited.
template <typename Apply>
Result<std::vector<Task>> MutateAll(WriteTxn& txn, const std::string& sql, const Params& params,
                                    TimePoint now, Apply apply) {
  auto rows = txn.conn().Query(sql, params);
  HITLGATE_RETURN_IF_ERROR(rows);
  auto tasks = postgres::ReadTasks(*rows);
  HITLGATE_RETURN_IF_ERROR(tasks);
  std::vector<audit::AuditEntry> entries;
  for (Task& t : *tasks) {
    entries.push_back(apply(t));
    HITLGATE_RETURN_IF_ERROR(postgres::SaveTask(txn.conn(), t));
  }
  HITLGATE_RETURN_IF_ERROR(txn.Append(std::move(entries), now));
  return tasks;
}

}  // namespace

Result<Task> PostgresStore::ClaimNext(const ClaimRequest& r) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateClaimRequest(r));
  return Write<Task>([&](WriteTxn& txn) -> Result<Task> {
    HITLGATE_RETURN_IF_ERROR(CountLeasesAlone(txn.conn(), r));
    auto live = postgres::LiveLeases(txn.conn(), r.reviewer, r.now);
    HITLGATE_RETURN_IF_ERROR(live);
    HITLGATE_RETURN_IF_ERROR(internal::CheckConcurrency(r, *live));
    Result<std::optional<Task>> open = std::optional<Task>();
    if (r.queues.empty()) {
      open = FirstClaimable(txn.conn(), kClaimableOpen, r);
    } else {
      for (const std::string& queue : r.queues) {
        auto first = FirstClaimable(txn.conn(), kClaimableOpenInQueue, r, &queue);
        HITLGATE_RETURN_IF_ERROR(first);
        if (*first && (!*open || internal::ClaimOrderLess(**first, **open))) open = std::move(first);
      }
    }
    HITLGATE_RETURN_IF_ERROR(open);
    auto expired = FirstClaimable(txn.conn(), kClaimableExpired, r);
    HITLGATE_RETURN_IF_ERROR(expired);
    std::optional<Task>& best =
        (*open && (!*expired || internal::ClaimOrderLess(**open, **expired))) ? *open : *expired;
    if (best) return DoClaim(txn, std::move(*best), r);
    return NotFound("no task for reviewer " + r.reviewer);
  });
}

Result<Task> PostgresStore::Claim(const std::string& task_id, const ClaimRequest& r) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateClaimRequest(r));
  return Write<Task>([&](WriteTxn& txn) -> Result<Task> {
    auto t = postgres::LoadTask(txn.conn(), task_id, /*for_update=*/true);
    HITLGATE_RETURN_IF_ERROR(t);
    HITLGATE_RETURN_IF_ERROR(CountLeasesAlone(txn.conn(), r));
    auto live = postgres::LiveLeases(txn.conn(), r.reviewer, r.now);
    HITLGATE_RETURN_IF_ERROR(live);
    auto held = internal::CheckClaimOne(*t, r, *live);
    HITLGATE_RETURN_IF_ERROR(held);
    if (*held) return t;
    return DoClaim(txn, std::move(*t), r);
  });
}

Result<Task> PostgresStore::RenewLease(const std::string& task_id, const std::string& lease_id,
                                       const std::string& reviewer, TimePoint now, Duration ttl) {
  if (ttl <= Duration::zero()) return InvalidArgument("renew: ttl must be > 0");
  return Write<Task>([&](WriteTxn& txn) {
    return Mutate(txn, task_id, now, [&](Task& t) -> Entries {
      HITLGATE_RETURN_IF_ERROR(internal::CheckLeaseHolder(t, lease_id, reviewer, now));
      return std::vector{internal::ApplyRenew(t, now, ttl)};
    });
  });
}

Result<Task> PostgresStore::Release(const std::string& task_id, const std::string& lease_id,
                                    const std::string& reviewer, TimePoint now) {
  return Write<Task>([&](WriteTxn& txn) {
    return Mutate(txn, task_id, now, [&](Task& t) -> Entries {
      HITLGATE_RETURN_IF_ERROR(internal::CheckLeaseHolder(t, lease_id, reviewer, now));
      return std::vector{internal::ApplyRelease(t, now)};
    });
  });
}

Result<Task> PostgresStore::SubmitVerdict(const std::string& task_id, const std::string& lease_id,
                                          const Verdict& verdict, TimePoint now,
                                          const VerdictOptions& options) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(options.audit));
  return Write<Task>([&](WriteTxn& txn) -> Result<Task> {
    auto t = Mutate(txn, task_id, now, [&](Task& task) -> Entries {
      HITLGATE_RETURN_IF_ERROR(internal::CheckVerdict(task, lease_id, verdict, now, options.override));
      std::vector entries{internal::ApplyVerdict(task, lease_id, verdict, now, options.override)};
      entries.insert(entries.end(), options.audit.begin(), options.audit.end());
      return entries;
    });
    if (!t) return t;
    postgres::SqlSession session(txn.conn());
    HITLGATE_RETURN_IF_ERROR(sql::InsertOutbox(session, options.outbox, now));
    return t;
  });
}

Result<Task> PostgresStore::CancelTask(const std::string& task_id, const std::string& actor,
                                       const std::string& reason, TimePoint now) {
  return Write<Task>([&](WriteTxn& txn) {
    return Mutate(txn, task_id, now, [&](Task& t) -> Entries {
      HITLGATE_RETURN_IF_ERROR(internal::CheckCancel(t));
      return std::vector{internal::ApplyCancel(t, actor, reason, now)};
    });
  });
}

Result<std::vector<Task>> PostgresStore::ExpireLeases(TimePoint now) {
  static const std::string kSql = std::string("SELECT ") + postgres::kTaskColumns +
                                  " FROM tasks WHERE status = 'claimed' AND lease_expires_us <= $1"
                                  " ORDER BY lease_expires_us, id FOR UPDATE";
  return Write<std::vector<Task>>([&](WriteTxn& txn) {
    return MutateAll(txn, kSql, Params::Of(now), now,
                     [&](Task& t) { return internal::ApplyExpire(t, now); });
  });
}

Result<std::vector<Task>> PostgresStore::EscalateOverdue(TimePoint now,
                                                         const std::string& escalation_queue) {
  if (escalation_queue.empty()) return InvalidArgument("escalation queue is empty");
  static const std::string kSql = std::string("SELECT ") + postgres::kTaskColumns +
                                  " FROM tasks WHERE escalated = false AND due_at_us < $1"
                                  " AND status IN ('open', 'claimed') ORDER BY due_at_us, id"
                                  " FOR UPDATE";
  return Write<std::vector<Task>>([&](WriteTxn& txn) {
    return MutateAll(txn, kSql, Params::Of(now), now, [&](Task& t) {
      return internal::ApplyEscalate(t, escalation_queue, now);
    });
  });
}

Result<std::vector<Task>> PostgresStore::ExpireDeadlines(TimePoint now, const std::string& task_id) {
  static const std::string kSql = std::string("SELECT ") + postgres::kTaskColumns +
                                  " FROM tasks WHERE deadline_at_us <= $1 AND expired_at_us IS NULL"
                                  " AND status IN ('open', 'claimed') AND ($2 = '' OR id = $2)"
                                  " ORDER BY deadline_at_us, id FOR UPDATE";
  return Write<std::vector<Task>>([&](WriteTxn& txn) {
    return MutateAll(txn, kSql, Params::Of(now, task_id), now,
                     [&](Task& t) { return internal::ApplyDeadline(t, now); });
  });
}

Result<Task> PostgresStore::GetTask(const std::string& task_id) {
  return Read<Task>([&](Connection& conn) { return postgres::LoadTask(conn, task_id); });
}

Result<std::vector<Task>> PostgresStore::ListTasks(const TaskFilter& f) {
  // NULL parameters switch filters off, so one prepared statement serves all.
  static const std::string kSql =
      std::string("SELECT ") + postgres::kTaskColumns +
      " FROM tasks WHERE ($1::text IS NULL OR queue = $1) AND ($2::text IS NULL OR status = $2)"
      " AND ($3::text IS NULL OR workflow = $3) AND ($4::text IS NULL OR interaction_id = $4)"
      " AND ($6::bigint IS NULL OR (hold_notice_at_us > $6 AND hold_notice_at_us <= $7))"
      " ORDER BY CASE WHEN $6::bigint IS NULL THEN created_at_us ELSE hold_notice_at_us END, id LIMIT $5";
  Params p;
  p.Add(f.queue);
  if (f.status) {
    p.Add(TaskStatusName(*f.status));
  } else {
    p.AddNull();
  }
  p.Add(f.workflow).Add(f.interaction_id);
  if (f.limit < 0) {
    p.AddNull();  // LIMIT NULL: no limit
  } else {
    p.Add(f.limit);
  }
  if (f.hold_notice_after && f.hold_notice_until) {
    p.Add(*f.hold_notice_after).Add(*f.hold_notice_until);
  } else {
    p.AddNull().AddNull();
  }
  return Read<std::vector<Task>>([&](Connection& conn) -> Result<std::vector<Task>> {
    auto rows = conn.Query(kSql, p);
    HITLGATE_RETURN_IF_ERROR(rows);
    return postgres::ReadTasks(*rows);
  });
}

namespace {

// Rows of (name, count), as the open-task counts' queries return them.
Result<std::map<std::string, std::int64_t>> CountsOf(Connection& conn, const char* sql) {
  auto rows = conn.Query(sql);
  HITLGATE_RETURN_IF_ERROR(rows);
  std::map<std::string, std::int64_t> out;
  for (int i = 0; i < rows->size(); ++i) out[rows->Text(i, 0)] = rows->Int(i, 1);
  return out;
}

}  // namespace

Result<std::map<std::string, std::int64_t>> PostgresStore::CountOpenByQueue() {
  return Read<std::map<std::string, std::int64_t>>([&](Connection& conn) {
    return CountsOf(conn, "SELECT queue, COUNT(*) FROM tasks WHERE status = 'open' GROUP BY queue");
  });
}

Result<std::map<std::string, std::int64_t>> PostgresStore::CountOpenByWorkflow() {
  return Read<std::map<std::string, std::int64_t>>([&](Connection& conn) {
    return CountsOf(conn, "SELECT workflow, COUNT(*) FROM tasks WHERE status = 'open' GROUP BY workflow");
  });
}

}  // namespace hitlgate::store
