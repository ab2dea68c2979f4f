#include "storage/sqlite/write_txn.h"

#include "storage/packed_json.h"
#include "storage/sqlite/rows.h"

namespace hitlgate::store::sqlite {
namespace {

// A zero-length BLOB (X''), not NULL: the column is NOT NULL, and "" here
// has a non-null data pointer, which sqlite3_bind_blob needs for a BLOB.
constexpr std::string_view kLinkToPreviousRow{"", 0};

}  // namespace

Result<void> WriteTxn::LoadHead() {
  auto st = conn_->Prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
  HITLGATE_RETURN_IF_ERROR(st);
  auto row = st->Step();
  HITLGATE_RETURN_IF_ERROR(row);
  head_ = *row ? AuditHead{st->Int(0), ReadHash(*st, 1)} : AuditHead{};
  return {};
}

Result<std::vector<audit::AuditRecord>> WriteTxn::Append(std::vector<audit::AuditEntry> entries,
                                                         TimePoint at) {
  std::vector<audit::AuditRecord> out;
  out.reserve(entries.size());
  for (auto& e : entries) {
    audit::AuditRecord r = audit::Seal(std::move(e), head_.seq + 1, at, head_.hash);
    auto st = conn_->Prepare(
        "INSERT INTO audit(seq, at_us, kind, actor, subject, payload_json, prev_hash, hash) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    HITLGATE_RETURN_IF_ERROR(st);
    st->BindAll(r.seq, r.at, r.kind, r.actor, r.subject)
        .BindBlob(6, internal::PackAuditPayload(r.payload_json));
    // The link is the previous record's hash, which sits in row seq - 1:
    // a zero-length BLOB says so (storage/sql/audit_log.cc reads it back).
    // Only a record with no row before it stores the link in full: the
    // first ever; after a purge, the purge writes the first kept record's
    // link (or its own, when it kept none) in full (docs/audit-format.md,
    // "Storage form").
    if (head_.seq >= 1) {
      st->BindBlob(7, kLinkToPreviousRow);
    } else {
      BindHash(*st, 7, r.prev_hash);
    }
    BindHash(*st, 8, r.hash);
    if (auto run = st->Run(); !run) {
      return std::unexpected(run.error());
    }
    head_ = {r.seq, r.hash};
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace hitlgate::store::sqlite
