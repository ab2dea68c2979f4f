// SqlStore: reading the audit chain (docs/audit-format.md). Appends, the
// head and purges stay with each engine: SQLite chains inside its one
// writer, PostgreSQL through the sealer (ADR 0011).
#include <algorithm>

#include "storage/packed_json.h"
#include "storage/sql/store_ops.h"

namespace hitlgate::store {
namespace {

using sql::Params;
using sql::Rows;
using sql::Session;

constexpr char kAuditColumns[] = "seq, at_us, kind, actor, subject, payload_json, prev_hash, hash";

// Hashes are 64 lower-case hex digits to every reader; SQLite keeps them as
// 32-byte BLOBs (migration 10), PostgreSQL as the text.
std::string ReadHash(const Rows& rows, int row, int col) {
  if (!rows.IsBytes(row, col)) return rows.Text(row, col);
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string bytes = rows.Text(row, col);
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex;
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
    r.prev_hash = ReadHash(rows, i, 6);
    r.hash = ReadHash(rows, i, 7);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

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
        auto rows = s.Query("SELECT seq, prev_hash, hash FROM audit WHERE seq >= $1 ORDER BY seq LIMIT $2",
                            Params::Of(from_seq, std::max(limit, 0)));
        HITLGATE_RETURN_IF_ERROR(rows);
        std::vector<audit::AuditLink> out;
        out.reserve(static_cast<size_t>(rows->size()));
        for (int i = 0; i < rows->size(); ++i) {
          out.push_back({rows->Int(i, 0), ReadHash(*rows, i, 1), ReadHash(*rows, i, 2)});
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
