// Approval receipts (docs/receipts.md): every approved or edited verdict on
// a task with an action gets a receipt signed by the gateway, bound to the
// exact action the agent is told to run. The receipt is an audit record
// ("approval_receipt", subject: the task) written in the verdict's own
// transaction, so it exists exactly when the verdict does; the agent gets it
// in the task view (GET /v1/tasks/{id}, the long-poll) and the webhook.
#include <algorithm>

#include "gateway/access.h"
#include "gateway/verdict_rules.h"
#include "hitlgate/audit/payload.h"
#include "hitlgate/codec/json.h"
#include "hitlgate/codec/json_reader.h"
#include "hitlgate/gateway/receipt_service.h"
#include "hitlgate/receipts/receipt.h"
#include "hitlgate/receipts/signing_keys.h"

namespace hitlgate::gateway {
namespace {

constexpr std::string_view kReceiptKind = "approval_receipt";
constexpr size_t kReceiptCacheSize = 10000;
// Audit records are stamped with their call's `now`, but concurrent calls
// may commit in a different order than they read the clock; a receipt is
// looked for this far around its verdict's time.
constexpr Duration kAuditClockSlack = std::chrono::seconds(5);

bool Approves(store::VerdictKind k) {
  return k == store::VerdictKind::kApproved || k == store::VerdictKind::kEdited;
}

// The action the agent is told to run (AgentViewJson's "final.action") and
// the policy version of the decision that held it.
struct HeldAction {
  std::string action_json;  // empty: the task has no action
  std::string policy_version;
};

// `proposal` is the task's held AI proposal (HeldProposal), already parsed.
HeldAction ActionOf(const store::Task& task, const engine::Event& proposal, const store::Verdict& verdict) {
  HeldAction held;
  if (auto context = codec::JsonObjectReader::Parse(task.context_json)) {
    if (auto raw = context->OptRaw("decision"); raw && *raw) {
      if (auto d = codec::ParseDecision(**raw)) held.policy_version = d->policy_version;
    }
  }
  if (!verdict.edited_action_json.empty()) {
    held.action_json = verdict.edited_action_json;
  } else if (proposal.action) {
    held.action_json = codec::EncodeAction(*proposal.action);
  }
  return held;
}

std::optional<std::string> ReceiptFromRecord(const audit::AuditRecord& r) {
  auto payload = codec::JsonObjectReader::Parse(r.payload_json);
  if (!payload) return std::nullopt;
  auto json = payload->OptString("receipt_json");
  if (!json || !*json) return std::nullopt;
  return **json;
}

}  // namespace

ReceiptService::ReceiptService(store::Store& store, const engine::DecisionEngine& engine,
                               const Clock& clock, ReceiptOptions options)
    : store_(store), engine_(engine), clock_(clock), options_(std::move(options)) {}

Result<std::optional<std::string>> ReceiptService::Prepare(const Principal& who, const store::Task& task,
                                                           const store::Verdict& verdict, TimePoint now,
                                                           store::VerdictOptions* options) {
  const std::optional<engine::Event> proposal = HeldProposal(task);
  if (options_.signing_keys == nullptr ||
      !ApprovesAction(task, verdict, proposal ? &*proposal : nullptr, who)) {
    return std::optional<std::string>();
  }
  // ApprovesAction above guarantees an AI proposal with an action.
  HeldAction held = ActionOf(task, *proposal, verdict);
  if (held.action_json.empty()) return std::optional<std::string>();
  if (held.policy_version.empty()) held.policy_version = engine_.policy()->version();
  receipts::Approval approval{task.id,
                              task.interaction_id,
                              verdict.reviewer,
                              std::string(store::VerdictKindName(verdict.kind)),
                              now,
                              held.policy_version};
  auto receipt = receipts::IssueReceipt(approval, held.action_json, *options_.signing_keys);
  HITLGATE_RETURN_IF_ERROR(receipt);
  std::string json = receipts::EncodeReceipt(*receipt);
  options->audit.push_back(audit::AuditEntry{
      std::string(kReceiptKind), "system", task.id,
      audit::PayloadBuilder()
          .Str("action_sha256", receipt->action_sha256)
          .Str("key_id", receipt->key_id)
          .Str("receipt_json", json)
          .Build()});
  return std::optional<std::string>(std::move(json));
}

void ReceiptService::Remember(const std::string& task_id, const std::string& receipt_json) {
  std::lock_guard lock(cache_mu_);
  if (!cache_.emplace(task_id, receipt_json).second) return;
  cache_order_.push_back(task_id);
  if (cache_order_.size() > kReceiptCacheSize) {
    cache_.erase(cache_order_.front());
    cache_order_.pop_front();
  }
}

std::optional<std::string> ReceiptService::FindInAudit(const store::Task& task) {
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = cache_.find(task.id); it != cache_.end()) return it->second;
  }
  if (!task.verdict) return std::nullopt;
  // Not cached (another node answered, or this one restarted): the receipt
  // record sits next to the verdict's in the audit log, which is in time
  // order up to kAuditClockSlack. Binary search for the window, then scan it.
  const TimePoint from = task.verdict->at - kAuditClockSlack;
  const TimePoint to = task.verdict->at + kAuditClockSlack;
  auto head = store_.GetAuditHead();
  auto first = store_.ReadAudit(1, 1);
  if (!head || !first || first->empty()) return std::nullopt;
  std::int64_t lo = first->front().seq, hi = head->seq + 1;  // first seq with at >= from is in [lo, hi]
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    auto r = store_.ReadAudit(mid, 1);
    if (!r || r->empty()) return std::nullopt;
    if (r->front().at < from) lo = mid + 1; else hi = mid;
  }
  constexpr int kBatch = 256;
  for (std::int64_t seq = lo; seq <= head->seq; seq += kBatch) {
    auto batch = store_.ReadAudit(seq, kBatch);
    if (!batch || batch->empty()) return std::nullopt;
    for (const audit::AuditRecord& r : *batch) {
      if (r.at > to) return std::nullopt;
      if (r.kind == kReceiptKind && r.subject == task.id) {
        auto json = ReceiptFromRecord(r);
        if (json) Remember(task.id, *json);
        return json;
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> ReceiptService::For(const store::Task& task) {
  if (options_.signing_keys == nullptr || task.status != store::TaskStatus::kAnswered ||
      !task.verdict || !Approves(task.verdict->kind)) {
    return std::nullopt;
  }
  return FindInAudit(task);
}

void ReceiptService::ClearCacheForTest() {
  std::lock_guard lock(cache_mu_);
  cache_.clear();
  cache_order_.clear();
}

Result<std::vector<receipts::PublicKeyInfo>> ReceiptService::Keys() const {
  if (options_.signing_keys == nullptr) {
    return FailedPrecondition("approval receipts are not enabled on this gateway");
  }
  return options_.signing_keys->PublicKeys();
}

Result<std::vector<receipts::PublicKeyInfo>> ReceiptService::RotateKey(const Principal& who) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kManageKeys));
  if (options_.signing_keys == nullptr) {
    return FailedPrecondition("approval receipts are not enabled on this gateway");
  }
  const TimePoint now = clock_.Now();
  const std::string previous = options_.signing_keys->Current().key_id;
  auto rotated = options_.signing_keys->Rotate(now);
  HITLGATE_RETURN_IF_ERROR(rotated);
  auto audited = store_.AppendAudit(
      {audit::AuditEntry{"signing_key_rotated", who.key_id, rotated->key_id,
                         audit::PayloadBuilder()
                             .Str("previous_key_id", previous)
                             .Str("public_key", rotated->public_key)
                             .Time("not_before", rotated->not_before)
                             .Build()}},
      now);
  HITLGATE_RETURN_IF_ERROR(audited);
  return options_.signing_keys->PublicKeys();
}

// Signed audit checkpoints (docs/audit-format.md, "Checkpoints"): Tick
// feeds the audit log's new records to a CheckpointWriter and has it sign
// and export a checkpoint every N records, or every interval when anything
// was written. The writer resumes after the files already exported, and
// refuses to continue a log that no longer extends them: a rewritten history
// stops checkpointing and fails every Tick until someone looks.
Result<int> ReceiptService::WriteCheckpoints(TimePoint now) {
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
    auto batch = store_.ReadAuditLinks(w.added_seq() + 1, kBatch);
    HITLGATE_RETURN_IF_ERROR(batch);
    if (batch->empty()) break;
    for (const audit::AuditLink& r : *batch) {
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
