#include "storage/postgres/writer.h"

namespace hitlgate::store::postgres {

std::string TextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('"');
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

Result<void> WriteTxn::Append(std::vector<audit::AuditEntry> entries, TimePoint at) {
  if (entries.empty()) return {};
  std::vector<std::string> cols[4];  // kind, actor, subject, payload
  for (auto& e : entries) {
    cols[0].push_back(std::move(e.kind));
    cols[1].push_back(std::move(e.actor));
    cols[2].push_back(std::move(e.subject));
    cols[3].push_back(std::move(e.payload_json));
  }
  // ORDER BY o: the ids (the sealing order) follow the entries' order.
  auto ins = conn_->Query(
      "INSERT INTO audit_pending(at_us, kind, actor, subject, payload_json) "
      "SELECT $1::bigint, k, a, s, p FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) "
      "WITH ORDINALITY AS x(k, a, s, p, o) ORDER BY o",
      Params::Of(at, TextArray(cols[0]), TextArray(cols[1]), TextArray(cols[2]), TextArray(cols[3])));
  HITLGATE_RETURN_IF_ERROR(ins);
  queued_ = true;
  return {};
}

Result<AuditHead> WriteTxn::ChainHead() {
  if (!sealed_head_) {
    HITLGATE_RETURN_IF_ERROR(TakeSealerLock(*conn_, /*wait=*/true));
    auto head = ReadSealedHead(*conn_);
    HITLGATE_RETURN_IF_ERROR(head);
    // What other transactions committed goes first; this transaction's own
    // queued records are not sealable yet and follow later.
    while (true) {
      auto sealed = SealPending(*conn_, *head, Sealer::kBatch);
      HITLGATE_RETURN_IF_ERROR(sealed);
      if (*sealed < Sealer::kBatch) break;
    }
    sealed_head_ = std::move(*head);
  }
  return *sealed_head_;
}

Result<std::vector<audit::AuditRecord>> WriteTxn::AppendSealed(std::vector<audit::AuditEntry> entries,
                                                               TimePoint at) {
  HITLGATE_RETURN_IF_ERROR(ChainHead());
  return SealDirect(*conn_, *sealed_head_, std::move(entries), at);
}

Writer::Writer(ConnectOptions options, IdGenerator* ids, size_t max_batch)
    : options_(std::move(options)),
      ids_(ids),
      sealer_(options_),
      queue_(max_batch, [this](const std::vector<WriteOp*>& batch) { RunBatch(batch); }) {}

void Writer::RunBatch(const std::vector<WriteOp*>& batch) {
  // A single op needs no savepoint: if it fails, the whole transaction goes.
  if (!TryBatch(batch, /*savepoints=*/false)) (void)TryBatch(batch, /*savepoints=*/true);
}

bool Writer::TryBatch(const std::vector<WriteOp*>& batch, bool savepoints) {
  auto fail_all = [&](const Error& e) {
    if (conn_ != nullptr && conn_->InTransaction()) (void)conn_->Exec("ROLLBACK");
    for (WriteOp* op : batch) op->Finish(&e);
    return true;
  };
  if (conn_ == nullptr || conn_->Broken()) {
    conn_.reset();
    auto opened = Connection::Open(options_);
    if (!opened) return fail_all(opened.error());
    conn_ = std::move(*opened);
  }
  Connection& conn = *conn_;
  if (auto r = conn.Exec("BEGIN"); !r) return fail_all(r.error());
  WriteTxn txn(&conn, ids_);
  const bool single = batch.size() == 1;
  bool any_ok = false;
  for (WriteOp* op : batch) {
    if (savepoints) {
      if (auto r = conn.Exec("SAVEPOINT op"); !r) return fail_all(r.error());
    }
    std::optional<AuditHead> saved = txn.sealed_state();
    const std::int64_t writes_before = conn.writes();
    const bool ok = op->Run(txn);
    if (conn.Broken()) {
      return fail_all(Error(ErrorCode::kUnavailable, "postgres connection lost in a write"));
    }
    if (ok) {
      any_ok = true;
    } else {
      txn.RestoreSealedState(std::move(saved));
      const bool dirty = conn.InFailedTransaction() || conn.writes() != writes_before;
      if (savepoints) {
        if (auto r = conn.Exec("ROLLBACK TO SAVEPOINT op"); !r) return fail_all(r.error());
      } else if (dirty && !single) {
        (void)conn.Exec("ROLLBACK");
        return false;  // again, with savepoints
      }
    }
    if (savepoints) {
      if (auto r = conn.Exec("RELEASE SAVEPOINT op"); !r) return fail_all(r.error());
    }
  }
  if (!any_ok) {
    // Nothing to keep: every op failed (and holds its own error).
    (void)conn.Exec("ROLLBACK");
    for (WriteOp* op : batch) op->Finish(nullptr);
    return true;
  }
  if (conn.InFailedTransaction()) {
    // An op reported success over a failed statement: COMMIT would silently
    // roll everything back, so nobody may be told it committed.
    return fail_all(Error(ErrorCode::kInternal, "write transaction failed unnoticed"));
  }
  if (auto r = conn.Exec("COMMIT"); !r) return fail_all(r.error());
  if (txn.queued()) sealer_.Poke();
  for (WriteOp* op : batch) op->Finish(nullptr);
  return true;
}

}  // namespace hitlgate::store::postgres
