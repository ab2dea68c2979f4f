// ReceiptService: what makes the gateway's answers checkable afterwards.
// Approval receipts (docs/receipts.md): an approved or edited verdict on a
// task with an AI action gets a receipt signed by the gateway, bound to the
// exact action; it is an audit record ("approval_receipt") written in the
// verdict's own transaction, so it exists exactly when the verdict does.
// The signing keys' published history and their rotation. Signed audit
// checkpoints (docs/audit-format.md, "Checkpoints") exported by the tick.
//
// Thread-safe. The store, engine, clock and signing keys must outlive it.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/engine/engine.h"
#include "hitlgate/gateway/principal.h"
#include "hitlgate/receipts/checkpoint.h"
#include "hitlgate/receipts/signing_keys.h"
#include "hitlgate/store/store.h"

namespace hitlgate::gateway {

struct ReceiptOptions {
  // Signs receipts and checkpoints (docs/receipts.md); must outlive the
  // service. Null: no receipts and no checkpoints.
  receipts::SigningKeys* signing_keys = nullptr;
  // Signed audit checkpoints (docs/audit-format.md, "Checkpoints"), one JSON
  // file each in this folder (empty: none), written by the tick every
  // `checkpoint_every_records` new records or, when there are new records,
  // every `checkpoint_interval`. One node of a cluster.
  std::string checkpoint_dir;
  std::int64_t checkpoint_every_records = 1000;
  Duration checkpoint_interval = std::chrono::minutes(10);
};

class ReceiptService {
 public:
  ReceiptService(store::Store& store, const engine::DecisionEngine& engine, const Clock& clock,
                 ReceiptOptions options);

  // Before a verdict's transaction: the receipt for it (nullopt when the
  // verdict approves no AI action, or receipts are off), with its audit
  // record added to `verdict_options`.
  [[nodiscard]] Result<std::optional<std::string>> Prepare(const Principal& who, const store::Task& task,
                                                           const store::Verdict& verdict, TimePoint now,
                                                           store::VerdictOptions* verdict_options);
  // After the verdict is durable: keeps the receipt for agents polling the task.
  void Remember(const std::string& task_id, const std::string& receipt_json);
  // The answered task's receipt (JSON), when it has one: from the cache, or
  // found in the audit log (another node answered, or this one restarted).
  std::optional<std::string> For(const store::Task& task);
  // Forgets cached receipts, so the next For reads the audit log.
  void ClearCacheForTest();

  // The public signing keys, oldest first. FailedPrecondition when off.
  [[nodiscard]] Result<std::vector<receipts::PublicKeyInfo>> Keys() const;
  // Admins: a new current signing key; the old one stays published. Audited.
  [[nodiscard]] Result<std::vector<receipts::PublicKeyInfo>> RotateKey(const Principal& who);

  // Brings the checkpoint writer up to the audit head when a checkpoint is
  // due; returns how many were written. One node of a cluster.
  [[nodiscard]] Result<int> WriteCheckpoints(TimePoint now);

 private:
  std::optional<std::string> FindInAudit(const store::Task& task);

  store::Store& store_;
  const engine::DecisionEngine& engine_;
  const Clock& clock_;
  const ReceiptOptions options_;

  std::mutex cache_mu_;
  std::map<std::string, std::string> cache_ HITLGATE_GUARDED_BY(cache_mu_);  // task -> receipt
  std::deque<std::string> cache_order_ HITLGATE_GUARDED_BY(cache_mu_);      // oldest first

  std::mutex checkpoint_mu_;
  std::unique_ptr<receipts::CheckpointWriter> checkpoint_writer_ HITLGATE_GUARDED_BY(checkpoint_mu_);
};

}  // namespace hitlgate::gateway
