#include "storage/sqlite/write_txn.h"

#include "storage/packed_json.h"
#include "storage/sqlite/rows.h"

namespace hitlgate::store::sqlite {

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
    BindHash(*st, 7, r.prev_hash);
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
