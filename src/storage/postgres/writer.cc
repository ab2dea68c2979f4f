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

Result<std::vector<audit::AuditRecord>> WriteTxn::Append(std::vector<audit::AuditEntry> entries,
                                                         TimePoint at) {
  std::vector<audit::AuditRecord> out;
  if (entries.empty()) return out;
  out.reserve(entries.size());
  std::vector<std::string> cols[6];  // kind, actor, subject, payload, prev_hash, hash
  for (auto& e : entries) {
    audit::AuditRecord r = audit::Seal(std::move(e), head_.seq + 1, at, head_.hash);
    head_ = {r.seq, r.hash};
    cols[0].push_back(r.kind);
    cols[1].push_back(r.actor);
    cols[2].push_back(r.subject);
    cols[3].push_back(r.payload_json);
    cols[4].push_back(r.prev_hash);
    cols[5].push_back(r.hash);
    out.push_back(std::move(r));
  }
  // One statement for the whole run of records: seq counts up from the first.
  auto ins = conn_->Query(
      "INSERT INTO audit(seq, at_us, kind, actor, subject, payload_json, prev_hash, hash) "
      "SELECT $1::bigint + o - 1, $2::bigint, k, a, s, p, ph, h FROM unnest($3::text[], "
      "$4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY "
      "AS x(k, a, s, p, ph, h, o)",
      Params::Of(out.front().seq, at, TextArray(cols[0]), TextArray(cols[1]), TextArray(cols[2]),
                 TextArray(cols[3]), TextArray(cols[4]), TextArray(cols[5])));
  HITLGATE_RETURN_IF_ERROR(ins);
  return out;
}

Writer::Writer(ConnectOptions options, IdGenerator* ids, size_t max_batch)
    : options_(std::move(options)),
      ids_(ids),
      max_batch_(max_batch == 0 ? 1 : max_batch),
      thread_([this] { Loop(); }) {}

Writer::~Writer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void Writer::Submit(WriteOp* op) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(op);
  }
  cv_.notify_one();
}

void Writer::Loop() {
  std::vector<WriteOp*> batch;
  while (true) {
    batch.clear();
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything was served
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    RunBatch(batch);
  }
}

void Writer::RunBatch(const std::vector<WriteOp*>& batch) {
  ++transactions_;
  ops_ += static_cast<std::int64_t>(batch.size());
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
  // The cluster-wide write lock and the chain head, in one statement.
  auto head_row = conn.Query("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
  if (!head_row) return fail_all(head_row.error());
  if (head_row->empty()) return fail_all(Error(ErrorCode::kDataLoss, "audit_head row is missing"));
  const AuditHead start{head_row->Int(0, 0), head_row->Text(0, 1)};
  WriteTxn txn(&conn, ids_, start);
  const bool single = batch.size() == 1;
  bool any_ok = false;
  for (WriteOp* op : batch) {
    if (savepoints) {
      if (auto r = conn.Exec("SAVEPOINT op"); !r) return fail_all(r.error());
    }
    AuditHead saved = txn.head();
    const std::int64_t writes_before = conn.writes();
    const bool ok = op->Run(txn);
    if (conn.Broken()) {
      return fail_all(Error(ErrorCode::kUnavailable, "postgres connection lost in a write"));
    }
    if (ok) {
      any_ok = true;
    } else {
      txn.RestoreHead(std::move(saved));
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
  if (txn.head().seq != start.seq) {
    auto r = conn.Query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1",
                        Params::Of(txn.head().seq, txn.head().hash));
    if (!r) return fail_all(r.error());
  }
  if (conn.InFailedTransaction()) {
    // An op reported success over a failed statement: COMMIT would silently
    // roll everything back, so nobody may be told it committed.
    return fail_all(Error(ErrorCode::kInternal, "write transaction failed unnoticed"));
  }
  if (auto r = conn.Exec("COMMIT"); !r) return fail_all(r.error());
  for (WriteOp* op : batch) op->Finish(nullptr);
  return true;
}

}  // namespace hitlgate::store::postgres
