// Signed audit checkpoints (docs/audit-format.md, "Checkpoints"): Tick
// feeds the audit log's new records to a CheckpointWriter and has it sign
// and export a checkpoint every N records, or every interval when anything
// was written. The writer resumes after the files already exported, and
// refuses to continue a log that no longer extends them: a rewritten history
// stops checkpointing and fails every Tick until someone looks.
#include "hitlgate/gateway/gateway.h"
#include "hitlgate/receipts/checkpoint.h"

namespace hitlgate::gateway {

Result<int> Gateway::WriteCheckpoints(TimePoint now) {
  if (options_.checkpoint_dir.empty() || options_.signing_keys == nullptr) return 0;
  std::lock_guard lock(checkpoint_mu_);
  if (!checkpoint_writer_) {
    auto opened = receipts::CheckpointWriter::Open(options_.checkpoint_dir, *options_.signing_keys);
    HITLGATE_RETURN_IF_ERROR(opened);
    checkpoint_writer_ = std::move(*opened);
  }
  receipts::CheckpointWriter& w = *checkpoint_writer_;
  auto head = store_.GetAuditHead();
  HITLGATE_RETURN_IF_ERROR(head);
  const std::int64_t fresh = head->seq - w.added_seq();
  const bool interval_due = !w.last_at() || now - *w.last_at() >= options_.checkpoint_interval;
  if (fresh + w.pending_count() <= 0 ||
      (fresh + w.pending_count() < options_.checkpoint_every_records && !interval_due)) {
    return 0;
  }
  const std::int64_t every = std::max<std::int64_t>(options_.checkpoint_every_records, 1);
  int written = 0;
  constexpr int kBatch = 1000;
  while (w.added_seq() < head->seq) {
    auto batch = store_.ReadAudit(w.added_seq() + 1, kBatch);
    HITLGATE_RETURN_IF_ERROR(batch);
    if (batch->empty()) break;
    for (const audit::AuditRecord& r : *batch) {
      if (r.seq > head->seq) break;
      HITLGATE_RETURN_IF_ERROR(w.Add(r));
      if (w.pending_count() >= every) {
        auto cp = w.Write(now);
        HITLGATE_RETURN_IF_ERROR(cp);
        ++written;
      }
    }
  }
  auto cp = w.Write(now);
  HITLGATE_RETURN_IF_ERROR(cp);
  if (*cp) ++written;
  return written;
}

}  // namespace hitlgate::gateway
