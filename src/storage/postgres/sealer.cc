#include "storage/postgres/sealer.h"

#include <string>

#include "storage/postgres/writer.h"

namespace hitlgate::store::postgres {

namespace {

// The same key in every node of one schema, like the leader lock's.
const std::string kLockArgs = "hashtext('hitlgate.audit_sealer'), hashtext(current_schema())";

std::string IntArray(const std::vector<std::int64_t>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += std::to_string(items[i]);
  }
  out.push_back('}');
  return out;
}

// One statement: records sealed here onto the chain, and the head after them.
Result<void> StoreSealed(Connection& conn, const std::vector<audit::AuditRecord>& records) {
  std::vector<std::string> cols[6];  // kind, actor, subject, payload, prev_hash, hash
  std::vector<std::int64_t> at;
  for (const audit::AuditRecord& r : records) {
    at.push_back(Us(r.at));
    cols[0].push_back(r.kind);
    cols[1].push_back(r.actor);
    cols[2].push_back(r.subject);
    cols[3].push_back(r.payload_json);
    cols[4].push_back(r.prev_hash);
    cols[5].push_back(r.hash);
  }
  const audit::AuditRecord& last = records.back();
  auto ins = conn.Query(
      "WITH head AS (UPDATE audit_head SET seq = $9, hash = $10 WHERE id = 1) "
      "INSERT INTO audit(seq, at_us, kind, actor, subject, payload_json, prev_hash, hash) "
      "SELECT $1::bigint + o - 1, t, k, a, s, p, ph, h FROM unnest($2::bigint[], $3::text[], "
      "$4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY "
      "AS x(t, k, a, s, p, ph, h, o)",
      Params::Of(records.front().seq, IntArray(at), TextArray(cols[0]), TextArray(cols[1]),
                 TextArray(cols[2]), TextArray(cols[3]), TextArray(cols[4]), TextArray(cols[5]),
                 last.seq, last.hash));
  HITLGATE_RETURN_IF_ERROR(ins);
  if (ins->affected() != static_cast<std::int64_t>(records.size())) {
    return MakeError(ErrorCode::kInternal, "audit seal inserted " + std::to_string(ins->affected()) +
                                               " of " + std::to_string(records.size()) + " records");
  }
  return {};
}

}  // namespace

Result<bool> TakeSealerLock(Connection& conn, bool wait) {
  if (wait) {
    HITLGATE_RETURN_IF_ERROR(conn.Query("SELECT pg_advisory_xact_lock(" + kLockArgs + ")"));
    return true;
  }
  auto got = conn.Query("SELECT pg_try_advisory_xact_lock(" + kLockArgs + ")::int");
  HITLGATE_RETURN_IF_ERROR(got);
  return got->Int(0, 0) == 1;
}

Result<AuditHead> ReadSealedHead(Connection& conn) {
  // A statement of its own, after the lock: READ COMMITTED then sees the
  // head the previous sealer committed. FOR UPDATE only matters while a
  // node of the previous release (which locks the head row to write) still
  // runs during a rolling upgrade.
  auto rows = conn.Query("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
  HITLGATE_RETURN_IF_ERROR(rows);
  if (rows->empty()) return MakeError(ErrorCode::kDataLoss, "audit_head row is missing");
  return AuditHead{rows->Int(0, 0), rows->Text(0, 1)};
}

Result<int> SealPending(Connection& conn, AuditHead& head, int limit) {
  auto rows = conn.Query(
      "SELECT id, at_us, kind, actor, subject, payload_json FROM audit_pending "
      "WHERE xid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY id LIMIT $1",
      Params::Of(limit));
  HITLGATE_RETURN_IF_ERROR(rows);
  if (rows->empty()) return 0;
  std::vector<std::int64_t> ids, seqs;
  std::vector<std::string> prev_hashes, hashes;
  AuditHead next = head;
  for (int i = 0; i < rows->size(); ++i) {
    audit::AuditRecord r = audit::Seal({rows->Text(i, 2), rows->Text(i, 3), rows->Text(i, 4), rows->Text(i, 5)},
                                       next.seq + 1, rows->Time(i, 1), next.hash);
    ids.push_back(rows->Int(i, 0));
    seqs.push_back(r.seq);
    prev_hashes.push_back(std::move(r.prev_hash));
    next = {r.seq, r.hash};
    hashes.push_back(std::move(r.hash));
  }
  // The rows move inside the server: only their ids and new hashes travel.
  auto moved = conn.Query(
      "WITH gone AS (DELETE FROM audit_pending WHERE id = ANY($1::bigint[]) "
      "  RETURNING id, at_us, kind, actor, subject, payload_json), "
      "head AS (UPDATE audit_head SET seq = $5, hash = $6 WHERE id = 1) "
      "INSERT INTO audit(seq, at_us, kind, actor, subject, payload_json, prev_hash, hash) "
      "SELECT x.seq, g.at_us, g.kind, g.actor, g.subject, g.payload_json, x.ph, x.h "
      "FROM gone g JOIN unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS x(id, seq, ph, h) "
      "ON x.id = g.id",
      Params::Of(IntArray(ids), IntArray(seqs), TextArray(prev_hashes), TextArray(hashes), next.seq, next.hash));
  HITLGATE_RETURN_IF_ERROR(moved);
  if (moved->affected() != rows->size()) {
    return MakeError(ErrorCode::kInternal, "audit seal moved " + std::to_string(moved->affected()) + " of " +
                                               std::to_string(rows->size()) + " pending records");
  }
  head = std::move(next);
  return rows->size();
}

Result<std::vector<audit::AuditRecord>> SealDirect(Connection& conn, AuditHead& head,
                                                    std::vector<audit::AuditEntry> entries, TimePoint at) {
  std::vector<audit::AuditRecord> out;
  if (entries.empty()) return out;
  AuditHead next = head;
  for (auto& e : entries) {
    audit::AuditRecord r = audit::Seal(std::move(e), next.seq + 1, at, next.hash);
    next = {r.seq, r.hash};
    out.push_back(std::move(r));
  }
  HITLGATE_RETURN_IF_ERROR(StoreSealed(conn, out));
  head = std::move(next);
  return out;
}

Result<SealPass> SealOnce(Connection& conn, int limit) {
  auto rollback = [&](const Error& e) -> Result<SealPass> {
    if (conn.InTransaction()) (void)conn.Exec("ROLLBACK");
    return std::unexpected(e);
  };
  if (auto r = conn.Exec("BEGIN"); !r) return rollback(r.error());
  auto locked = TakeSealerLock(conn, /*wait=*/false);
  if (!locked) return rollback(locked.error());
  SealPass pass;
  pass.locked = *locked;
  if (pass.locked) {
    auto head = ReadSealedHead(conn);
    if (!head) return rollback(head.error());
    auto sealed = SealPending(conn, *head, limit);
    if (!sealed) return rollback(sealed.error());
    pass.sealed = *sealed;
  }
  if (auto r = conn.Exec(pass.sealed > 0 ? "COMMIT" : "ROLLBACK"); !r) return rollback(r.error());
  return pass;
}

Result<void> SealCommitted(Connection& conn, std::chrono::milliseconds limit) {
  // Every transaction that committed before now has an xid below xmax. One
  // round trip when nothing waits, which is the common case for readers.
  auto first = conn.Query(
      "SELECT pg_snapshot_xmax(s)::text, "
      "EXISTS(SELECT 1 FROM audit_pending WHERE xid < pg_snapshot_xmax(s))::int "
      "FROM pg_current_snapshot() AS s");
  HITLGATE_RETURN_IF_ERROR(first);
  if (first->Int(0, 1) == 0) return {};
  const Params target = Params::Of(first->Text(0, 0));
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    auto pass = SealOnce(conn, Sealer::kBatch);
    HITLGATE_RETURN_IF_ERROR(pass);
    if (!pass->locked || pass->sealed == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    auto left = conn.Query("SELECT EXISTS(SELECT 1 FROM audit_pending WHERE xid < $1::xid8)::int", target);
    HITLGATE_RETURN_IF_ERROR(left);
    if (left->Int(0, 0) == 0) return {};
    if (std::chrono::steady_clock::now() > deadline) {
      return MakeError(ErrorCode::kUnavailable,
                       "audit records wait for a long-running transaction to end before they can be sealed");
    }
  }
}

Sealer::Sealer(ConnectOptions options) : options_(std::move(options)), thread_([this] { Loop(); }) {}

Sealer::~Sealer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void Sealer::Poke() {
  {
    std::lock_guard lock(mu_);
    poked_ = true;
  }
  cv_.notify_one();
}

void Sealer::Loop() {
  bool waiting = true;  // look once at start: a node may have died with records queued
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, waiting ? kRetry : kIdlePoll, [this] { return stopping_ || poked_; });
      if (stopping_ && !poked_ && !waiting) return;
      poked_ = false;
    }
    if (stopping_now()) {
      // A clean shutdown seals what this node queued, if it can right away.
      (void)SealAvailable();
      return;
    }
    waiting = SealAvailable();
    // Pokes during the pause gather into the next pass: fewer, larger seals.
    std::this_thread::sleep_for(kRetry);
  }
}

bool Sealer::stopping_now() {
  std::lock_guard lock(mu_);
  return stopping_;
}

bool Sealer::SealAvailable() {
  if (conn_ == nullptr || conn_->Broken()) {
    conn_.reset();
    auto opened = Connection::Open(options_);
    if (!opened) return false;  // the idle poll tries again
    conn_ = std::move(*opened);
  }
  while (true) {
    // One cheap look before any transaction: most looks find nothing to do.
    auto look = conn_->Query(
        "SELECT COALESCE(bool_or(xid < pg_snapshot_xmin(pg_current_snapshot())), false)::int, "
        "count(*) FROM audit_pending");
    if (!look) return true;
    if (look->Int(0, 0) == 0) return look->Int(0, 1) > 0;
    auto pass = SealOnce(*conn_, kBatch);
    if (!pass || !pass->locked) return true;  // the holder may have missed ours: again shortly
    if (pass->sealed < kBatch) return true;   // look again after the pause
  }
}

}  // namespace hitlgate::store::postgres
