// SqlStore: the audit chain (docs/audit-format.md): reading it, sealed
// appends, purges. How a write appends (Txn::Append) and the head stay with
// each engine: SQLite chains inside its one writer, PostgreSQL through the
// sealer after commit (ADR 0011).
#include <algorithm>

#include "hitlgate/audit/purge.h"
#include "storage/audit_entries.h"
#include "storage/packed_json.h"
#include "storage/sql/store_ops.h"

namespace hitlgate::store {
namespace {

using sql::Params;
using sql::Rows;
using sql::Session;

// A record's prev_hash as every reader gets it. SQLite stores a zero-length
// BLOB where the link is the hash of row seq - 1 (docs/audit-format.md,
// "Storage form"); PostgreSQL stores every link as text and never ''. Where
// row seq - 1 is gone (only by tampering: a purge writes the first kept link
// in full) this is NULL, which reads as "", and the verifier reports the gap.
constexpr char kPrevHash[] =
    "CASE WHEN length(prev_hash) = 0 THEN (SELECT p.hash FROM audit p WHERE p.seq = audit.seq - 1) "
    "ELSE prev_hash END";
const std::string kAuditColumns =
    std::string("seq, at_us, kind, actor, subject, payload_json, ") + kPrevHash + ", hash";

// Stores record `seq`'s link in full if it is kept short, before the row it
// points to is deleted (a no-op on PostgreSQL, which never keeps it short).
Result<void> KeepLinkInFull(Session& s, std::int64_t seq, const std::string& prev_hash) {
  Params p;
  p.AddHash(prev_hash, s.dialect().hashes_as_bytes).Add(seq);
  auto updated = s.Query("UPDATE audit SET prev_hash = $1 WHERE seq = $2 AND length(prev_hash) = 0", p);
  HITLGATE_RETURN_IF_ERROR(updated);
  return {};
}

Result<std::vector<audit::AuditRecord>> ReadRecords(const Rows& rows) {
  std::vector<audit::AuditRecord> out;
  out.reserve(static_cast<size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    audit::AuditRecord r{.seq = rows.Int(i, 0), .at = rows.Time(i, 1), .kind = rows.Text(i, 2),
                         .actor = rows.Text(i, 3), .subject = rows.Text(i, 4)};
    // A packed payload (SQLite, migration 10) reads back as the exact bytes
    // that were hashed; text payloads read as they are.
    if (rows.IsBytes(i, 5)) {
      auto payload = internal::UnpackJson(rows.Text(i, 5));
      HITLGATE_RETURN_IF_ERROR(payload);
      r.payload_json = std::move(*payload);
    } else {
      r.payload_json = rows.Text(i, 5);
    }
    r.prev_hash = rows.Hash(i, 6);
    r.hash = rows.Hash(i, 7);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

Result<std::vector<audit::AuditRecord>> SqlStore::AppendAudit(const std::vector<audit::AuditEntry>& entries,
                                                              TimePoint at) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(entries));
  return WriteSql<std::vector<audit::AuditRecord>>([&](sql::Txn& txn) { return txn.AppendSealed(entries, at); });
}

Result<PurgeResult> SqlStore::PurgeAuditBefore(TimePoint cutoff, TimePoint now, const PurgeOptions& options) {
  if (cutoff > now - options.min_retention && !options.allow_short_retention) {
    return FailedPrecondition("purge cutoff is inside the retention period");
  }
  return WriteSql<PurgeResult>([&](sql::Txn& txn) -> Result<PurgeResult> {
    auto head = txn.ChainHead();
    HITLGATE_RETURN_IF_ERROR(head);
    audit::PurgeAnchor anchor;
    anchor.cutoff = cutoff;
    anchor.retention_days = std::chrono::duration_cast<std::chrono::days>(options.min_retention).count();
    anchor.first_kept_seq = head->seq + 1;
    anchor.first_kept_prev_hash = head->hash;
    // The purge removes a prefix of the chain (never a hole): the first
    // record young enough to keep ends it.
    auto first = txn.session().Query(
        std::string("SELECT seq, ") + kPrevHash + " FROM audit WHERE at_us >= $1 ORDER BY seq LIMIT 1",
        Params::Of(cutoff));
    HITLGATE_RETURN_IF_ERROR(first);
    if (!first->empty()) {
      anchor.first_kept_seq = first->Int(0, 0);
      anchor.first_kept_prev_hash = first->Hash(0, 1);
      // A kept record never depends on a deleted one.
      HITLGATE_RETURN_IF_ERROR(KeepLinkInFull(txn.session(), anchor.first_kept_seq, anchor.first_kept_prev_hash));
    }
    auto removed = txn.session().Query("DELETE FROM audit WHERE seq < $1", Params::Of(anchor.first_kept_seq));
    HITLGATE_RETURN_IF_ERROR(removed);
    anchor.purged_count = removed->affected();
    auto sealed = txn.AppendSealed(
        {{std::string(audit::kinds::kAuditPurged), options.actor, "audit", audit::EncodePurgePayload(anchor)}}, now);
    HITLGATE_RETURN_IF_ERROR(sealed);
    if (first->empty()) {
      // Nothing kept: the purge's own record follows the deleted head.
      HITLGATE_RETURN_IF_ERROR(KeepLinkInFull(txn.session(), sealed->front().seq, sealed->front().prev_hash));
    }
    return PurgeResult{anchor.purged_count, anchor.first_kept_seq, sealed->back().seq};
  });
}

Result<std::vector<audit::AuditRecord>> SqlStore::ReadAudit(std::int64_t from_seq, int limit) {
  static const std::string kSql =
      std::string("SELECT ") + kAuditColumns + " FROM audit WHERE seq >= $1 ORDER BY seq LIMIT $2";
  return ReadSql<std::vector<audit::AuditRecord>>(
      [&](Session& s) -> Result<std::vector<audit::AuditRecord>> {
        HITLGATE_RETURN_IF_ERROR(BeforeAuditRead(s));
        auto rows = s.Query(kSql, Params::Of(from_seq, std::max(limit, 0)));
        HITLGATE_RETURN_IF_ERROR(rows);
        return ReadRecords(*rows);
      },
      /*snapshot=*/false);
}

Result<std::vector<audit::AuditLink>> SqlStore::ReadAuditLinks(std::int64_t from_seq, int limit) {
  return ReadSql<std::vector<audit::AuditLink>>(
      [&](Session& s) -> Result<std::vector<audit::AuditLink>> {
        HITLGATE_RETURN_IF_ERROR(BeforeAuditRead(s));
        static const std::string kSql =
            std::string("SELECT seq, ") + kPrevHash + ", hash FROM audit WHERE seq >= $1 ORDER BY seq LIMIT $2";
        auto rows = s.Query(kSql, Params::Of(from_seq, std::max(limit, 0)));
        HITLGATE_RETURN_IF_ERROR(rows);
        std::vector<audit::AuditLink> out;
        out.reserve(static_cast<size_t>(rows->size()));
        for (int i = 0; i < rows->size(); ++i) {
          out.push_back({rows->Int(i, 0), rows->Hash(i, 1), rows->Hash(i, 2)});
        }
        return out;
      },
      /*snapshot=*/false);
}

Result<std::vector<audit::AuditRecord>> SqlStore::ReadAuditOfKinds(std::int64_t from_seq, std::int64_t to_seq,
                                                                   const std::vector<std::string>& kinds) {
  if (kinds.empty()) return std::vector<audit::AuditRecord>();
  // One statement text per number of kinds (a handful), each prepared once.
  std::string sql = std::string("SELECT ") + kAuditColumns + " FROM audit WHERE seq >= $1 AND seq < $2 AND kind IN (";
  Params params = Params::Of(from_seq, to_seq);
  for (size_t i = 0; i < kinds.size(); ++i) {
    sql += (i ? ", $" : "$") + std::to_string(i + 3);
    params.Add(kinds[i]);
  }
  sql += ") ORDER BY seq";
  return ReadSql<std::vector<audit::AuditRecord>>(
      [&](Session& s) -> Result<std::vector<audit::AuditRecord>> {
        HITLGATE_RETURN_IF_ERROR(BeforeAuditRead(s));
        auto rows = s.Query(sql, params);
        HITLGATE_RETURN_IF_ERROR(rows);
        return ReadRecords(*rows);
      },
      /*snapshot=*/false);
}

}  // namespace hitlgate::store
