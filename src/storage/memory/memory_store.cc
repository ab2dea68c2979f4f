#include "hitlgate/store/memory_store.h"

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>

#include "hitlgate/audit/purge.h"
#include "storage/audit_entries.h"
#include "storage/knowledge_versions.h"
#include "storage/erasure_rules.h"
#include "storage/task_rules.h"

namespace hitlgate::store {
namespace {

using audit::AuditEntry;
using audit::AuditRecord;

struct Activation {
  std::string version;
  std::string actor;
  TimePoint at;
};

class MemoryStore final : public Store {
 public:
  MemoryStore(IdGenerator* ids, MemoryStoreFaults* faults) : ids_(ids), faults_(faults) {}

  Result<RecordedDecision> RecordDecision(const DecisionRecord& decision,
                                          const std::optional<NewTask>& task,
                                          const std::vector<AuditEntry>& extra_audit,
                                          TimePoint now,
                                          const std::vector<OutboxMessage>& outbox) override {
    HITLGATE_RETURN_IF_ERROR(internal::ValidateDecision(decision, task));
    HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(extra_audit));
    if (faults_ != nullptr && faults_->fail_decisions.load() > 0) {
      faults_->fail_decisions.fetch_sub(1);
      return MakeError(ErrorCode::kUnavailable, "injected fault: the decision was not written");
    }
    std::lock_guard lock(mu_);
    const std::string event_key = EventKey(decision.workflow, decision.event_id);
    if (!decision.event_id.empty()) {
      if (auto first = FindRecordedLocked(event_key)) {
        RecordedDecision dup{first->decision_seq, first->task_id, true, std::nullopt, std::nullopt};
        dup.first = std::move(first);
        return dup;
      }
    }
    StoredDecision stored{next_decision_seq_++, decision, ""};
    std::optional<Task> new_task;
    if (task) {
      new_task = internal::MakeTask(*task, decision, ids_->NewId("t"), stored.seq);
      if (tasks_.contains(new_task->id)) {
        return MakeError(ErrorCode::kAlreadyExists, "task id " + new_task->id + " is taken");
      }
      stored.task_id = new_task->id;
    }
    AppendLocked(internal::DecisionAudit(decision, stored.seq, new_task ? &*new_task : nullptr,
                                         extra_audit),
                 now);
    EnqueueLocked(outbox, now);
    if (!decision.event_id.empty()) by_event_id_[event_key] = decisions_.size();
    decisions_.push_back(stored);
    if (new_task) tasks_[new_task->id] = *new_task;
    return RecordedDecision{stored.seq, stored.task_id, false, new_task, std::nullopt};
  }

  Result<Task> ClaimNext(const ClaimRequest& request) override {
    HITLGATE_RETURN_IF_ERROR(internal::ValidateClaimRequest(request));
    std::lock_guard lock(mu_);
    HITLGATE_RETURN_IF_ERROR(internal::CheckConcurrency(request, LiveLeasesLocked(request)));
    Task* best = nullptr;
    for (auto& [id, t] : tasks_) {
      if (!internal::Claimable(t, request.now) || !Qualifies(t, request)) continue;
      if (best == nullptr || internal::ClaimOrderLess(t, *best)) best = &t;
    }
    if (best == nullptr) return NotFound("no task for reviewer " + request.reviewer);
    return ClaimLocked(*best, request);
  }

  Result<Task> Claim(const std::string& task_id, const ClaimRequest& request) override {
    HITLGATE_RETURN_IF_ERROR(internal::ValidateClaimRequest(request));
    std::lock_guard lock(mu_);
    auto t = FindLocked(task_id);
    HITLGATE_RETURN_IF_ERROR(t);
    auto held = internal::CheckClaimOne(**t, request, LiveLeasesLocked(request));
    HITLGATE_RETURN_IF_ERROR(held);
    if (*held) return **t;
    return ClaimLocked(**t, request);
  }

  Result<Task> RenewLease(const std::string& task_id, const std::string& lease_id,
                          const std::string& reviewer, TimePoint now, Duration ttl) override {
    if (ttl <= Duration::zero()) return InvalidArgument("renew: ttl must be > 0");
    std::lock_guard lock(mu_);
    auto t = FindLocked(task_id);
    HITLGATE_RETURN_IF_ERROR(t);
    HITLGATE_RETURN_IF_ERROR(internal::CheckLeaseHolder(**t, lease_id, reviewer, now));
    AppendLocked({internal::ApplyRenew(**t, now, ttl)}, now);
    return **t;
  }

  Result<Task> Release(const std::string& task_id, const std::string& lease_id,
                       const std::string& reviewer, TimePoint now) override {
    std::lock_guard lock(mu_);
    auto t = FindLocked(task_id);
    HITLGATE_RETURN_IF_ERROR(t);
    HITLGATE_RETURN_IF_ERROR(internal::CheckLeaseHolder(**t, lease_id, reviewer, now));
    AppendLocked({internal::ApplyRelease(**t, now)}, now);
    return **t;
  }

  Result<Task> SubmitVerdict(const std::string& task_id, const std::string& lease_id,
                             const Verdict& verdict, TimePoint now,
                             const VerdictOptions& options) override {
    HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(options.audit));
    std::lock_guard lock(mu_);
    auto t = FindLocked(task_id);
    HITLGATE_RETURN_IF_ERROR(t);
    HITLGATE_RETURN_IF_ERROR(internal::CheckVerdict(**t, lease_id, verdict, now, options.override));
    std::vector<AuditEntry> entries{
        internal::ApplyVerdict(**t, lease_id, verdict, now, options.override)};
    entries.insert(entries.end(), options.audit.begin(), options.audit.end());
    AppendLocked(std::move(entries), now);
    EnqueueLocked(options.outbox, now);
    return **t;
  }

  Result<Task> CancelTask(const std::string& task_id, const std::string& actor,
                          const std::string& reason, TimePoint now) override {
    std::lock_guard lock(mu_);
    auto t = FindLocked(task_id);
    HITLGATE_RETURN_IF_ERROR(t);
    HITLGATE_RETURN_IF_ERROR(internal::CheckCancel(**t));
    AppendLocked({internal::ApplyCancel(**t, actor, reason, now)}, now);
    return **t;
  }

  Result<std::vector<Task>> ExpireLeases(TimePoint now) override {
    std::lock_guard lock(mu_);
    std::vector<Task*> expired;
    for (auto& [id, t] : tasks_) {
      if (t.status == TaskStatus::kClaimed && !HasLiveLease(t, now)) expired.push_back(&t);
    }
    std::sort(expired.begin(), expired.end(), [](const Task* a, const Task* b) {
      return std::tie(a->lease->expires_at, a->id) < std::tie(b->lease->expires_at, b->id);
    });
    std::vector<AuditEntry> entries;
    std::vector<Task> out;
    for (Task* t : expired) {
      entries.push_back(internal::ApplyExpire(*t, now));
      out.push_back(*t);
    }
    AppendLocked(std::move(entries), now);
    return out;
  }

  Result<std::vector<Task>> ExpireDeadlines(TimePoint now, const std::string& task_id) override {
    std::lock_guard lock(mu_);
    std::vector<Task*> passed;
    for (auto& [id, t] : tasks_) {
      if ((task_id.empty() || id == task_id) && DeadlinePassed(t, now)) passed.push_back(&t);
    }
    std::sort(passed.begin(), passed.end(), [](const Task* a, const Task* b) {
      return std::tie(a->deadline->at, a->id) < std::tie(b->deadline->at, b->id);
    });
    std::vector<AuditEntry> entries;
    std::vector<Task> out;
    for (Task* t : passed) {
      entries.push_back(internal::ApplyDeadline(*t, now));
      out.push_back(*t);
    }
    AppendLocked(std::move(entries), now);
    return out;
  }

  Result<std::vector<Task>> EscalateOverdue(TimePoint now,
                                            const std::string& escalation_queue) override {
    if (escalation_queue.empty()) return InvalidArgument("escalation queue is empty");
    std::lock_guard lock(mu_);
    std::vector<Task*> overdue;
    for (auto& [id, t] : tasks_) {
      if (internal::Overdue(t, now)) overdue.push_back(&t);
    }
    std::sort(overdue.begin(), overdue.end(), [](const Task* a, const Task* b) {
      return std::tie(a->due_at, a->id) < std::tie(b->due_at, b->id);
    });
    std::vector<AuditEntry> entries;
    std::vector<Task> out;
    for (Task* t : overdue) {
      entries.push_back(internal::ApplyEscalate(*t, escalation_queue, now));
      out.push_back(*t);
    }
    AppendLocked(std::move(entries), now);
    return out;
  }

  Result<Task> GetTask(const std::string& task_id) override {
    std::lock_guard lock(mu_);
    auto t = FindLocked(task_id);
    HITLGATE_RETURN_IF_ERROR(t);
    return **t;
  }

  Result<std::vector<Task>> ListTasks(const TaskFilter& f) override {
    std::lock_guard lock(mu_);
    std::vector<Task> out;
    for (const auto& [id, t] : tasks_) {
      if (f.queue && t.queue != *f.queue) continue;
      if (f.status && t.status != *f.status) continue;
      if (f.workflow && t.workflow != *f.workflow) continue;
      if (f.interaction_id && t.interaction_id != *f.interaction_id) continue;
      const bool notices = f.hold_notice_after && f.hold_notice_until;
      if (notices && (!t.hold_notice_at || *t.hold_notice_at <= *f.hold_notice_after ||
                      *t.hold_notice_at > *f.hold_notice_until)) {
        continue;
      }
      out.push_back(t);
    }
    SortByCreation(out);
    if (f.hold_notice_after && f.hold_notice_until) {
      std::stable_sort(out.begin(), out.end(),
                       [](const Task& a, const Task& b) { return *a.hold_notice_at < *b.hold_notice_at; });
    }
    if (f.limit >= 0 && out.size() > static_cast<size_t>(f.limit)) out.resize(f.limit);
    return out;
  }

  Result<std::map<std::pair<std::string, std::string>, std::int64_t>> CountOpenByWorkflowAndQueue() override {
    std::lock_guard lock(mu_);
    std::map<std::pair<std::string, std::string>, std::int64_t> out;
    for (const auto& [id, t] : tasks_) {
      if (t.status == TaskStatus::kOpen) ++out[{t.workflow, t.queue}];
    }
    return out;
  }

  Result<std::map<std::string, std::int64_t>> CountOpenByWorkflow() override {
    if (faults_ != nullptr && faults_->fail_counts.load() > 0) {
      faults_->fail_counts.fetch_sub(1);
      return MakeError(ErrorCode::kUnavailable, "injected fault: the tasks were not counted");
    }
    std::lock_guard lock(mu_);
    std::map<std::string, std::int64_t> out;
    for (const auto& [id, t] : tasks_) {
      if (t.status == TaskStatus::kOpen) ++out[t.workflow];
    }
    return out;
  }

  Result<InteractionRecord> GetInteraction(const std::string& interaction_id) override {
    std::lock_guard lock(mu_);
    auto r = InteractionLocked(interaction_id);
    if (r.decisions.empty() && r.tasks.empty()) {
      return NotFound("no interaction " + interaction_id);
    }
    return r;
  }

  Result<std::vector<InteractionRecord>> ListCustomerInteractions(const std::string& customer_id,
                                                                 int newest = 0) override {
    std::lock_guard lock(mu_);
    std::vector<std::string> ids;
    for (const auto& d : decisions_) {
      if (d.record.customer_id == customer_id &&
          std::find(ids.begin(), ids.end(), d.record.interaction_id) == ids.end()) {
        ids.push_back(d.record.interaction_id);
      }
    }
    // decisions_ is in seq order, so ids are by first event already.
    if (newest > 0 && ids.size() > static_cast<size_t>(newest)) ids.erase(ids.begin(), ids.end() - newest);
    std::vector<InteractionRecord> out;
    for (const auto& id : ids) out.push_back(InteractionLocked(id));
    return out;
  }

  Result<void> SavePolicyVersion(const PolicyVersion& policy) override {
    if (policy.version.empty()) return InvalidArgument("policy: version is empty");
    std::lock_guard lock(mu_);
    auto it = policies_.find(policy.version);
    if (it != policies_.end()) {
      if (it->second.source_yaml == policy.source_yaml) return {};
      return MakeError(ErrorCode::kAlreadyExists,
                       "policy version " + policy.version + " exists with another source");
    }
    AppendLocked({internal::PolicyUploadedAudit(policy)}, policy.uploaded_at);
    policies_[policy.version] = policy;
    return {};
  }

  Result<void> ActivatePolicy(const std::string& version, const std::string& actor,
                              TimePoint at) override {
    std::lock_guard lock(mu_);
    if (!policies_.contains(version)) return NotFound("no policy version " + version);
    std::string previous = activations_.empty() ? "" : activations_.back().version;
    AppendLocked({internal::PolicyActivatedAudit(version, actor, previous)}, at);
    activations_.push_back({version, actor, at});
    return {};
  }

  Result<PolicyVersionInfo> GetActivePolicy() override {
    std::lock_guard lock(mu_);
    if (activations_.empty()) return NotFound("no policy was activated");
    return InfoLocked(policies_.at(activations_.back().version));
  }

  Result<std::vector<PolicyVersionInfo>> ListPolicyVersions() override {
    std::lock_guard lock(mu_);
    std::vector<PolicyVersionInfo> out;
    for (const auto& [v, p] : policies_) out.push_back(InfoLocked(p));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(b.policy.uploaded_at, b.policy.version) <
             std::tie(a.policy.uploaded_at, a.policy.version);
    });
    return out;
  }

  Result<void> SaveKnowledgeVersion(const KnowledgeVersion& version) override {
    HITLGATE_RETURN_IF_ERROR(internal::ValidateKnowledgeVersion(version));
    std::lock_guard lock(mu_);
    auto it = knowledge_.find(version.id);
    if (it != knowledge_.end()) {
      if (it->second.document_json == version.document_json) return {};
      return MakeError(ErrorCode::kAlreadyExists, "knowledge version " + version.id + " exists with another document");
    }
    AppendLocked({internal::KnowledgeUploadedAudit(version)}, version.uploaded_at);
    knowledge_[version.id] = version;
    return {};
  }

  Result<void> ActivateKnowledge(const std::string& id, const std::string& actor, TimePoint at) override {
    std::lock_guard lock(mu_);
    if (!knowledge_.contains(id)) return NotFound("no knowledge version " + id);
    std::string previous = knowledge_activations_.empty() ? "" : knowledge_activations_.back().version;
    AppendLocked({internal::KnowledgeActivatedAudit(id, actor, previous)}, at);
    knowledge_activations_.push_back({id, actor, at});
    return {};
  }

  Result<KnowledgeVersionInfo> GetActiveKnowledge() override {
    std::lock_guard lock(mu_);
    if (knowledge_activations_.empty()) return NotFound("no knowledge version was activated");
    return KnowledgeInfoLocked(knowledge_.at(knowledge_activations_.back().version), true);
  }

  Result<KnowledgeVersionInfo> GetKnowledgeVersion(const std::string& id) override {
    std::lock_guard lock(mu_);
    auto it = knowledge_.find(id);
    if (it == knowledge_.end()) return NotFound("no knowledge version " + id);
    return KnowledgeInfoLocked(it->second, true);
  }

  Result<std::vector<KnowledgeVersionInfo>> ListKnowledgeVersions() override {
    std::lock_guard lock(mu_);
    std::vector<KnowledgeVersionInfo> out;
    for (const auto& [id, v] : knowledge_) out.push_back(KnowledgeInfoLocked(v, false));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(b.version.uploaded_at, b.version.id) < std::tie(a.version.uploaded_at, a.version.id);
    });
    return out;
  }

  Result<void> CreateKey(const ApiKey& key) override {
    if (auto v = internal::ValidateKey(key); !v) return v;
    std::lock_guard lock(mu_);
    if (keys_.contains(key.key_id)) {
      return MakeError(ErrorCode::kAlreadyExists, "key " + key.key_id + " exists");
    }
    AppendLocked({internal::KeyCreatedAudit(key)}, key.created_at);
    keys_[key.key_id] = key;
    return {};
  }

  Result<ApiKey> FindKey(const std::string& key_id) override {
    std::lock_guard lock(mu_);
    auto it = keys_.find(key_id);
    if (it == keys_.end()) return NotFound("no key " + key_id);
    return it->second;
  }

  Result<std::vector<ApiKey>> ListKeys() override {
    std::lock_guard lock(mu_);
    std::vector<ApiKey> out;
    for (const auto& [id, k] : keys_) out.push_back(k);
    return out;
  }

  Result<void> RevokeKey(const std::string& key_id, const std::string& actor,
                         TimePoint at) override {
    std::lock_guard lock(mu_);
    auto it = keys_.find(key_id);
    if (it == keys_.end()) return NotFound("no key " + key_id);
    if (it->second.revoked_at) return FailedPrecondition("key " + key_id + " is already revoked");
    AppendLocked({internal::KeyRevokedAudit(key_id, actor)}, at);
    it->second.revoked_at = at;
    return {};
  }

  Result<void> UpsertWebhook(const Webhook& webhook, const std::string& actor) override {
    if (auto v = internal::ValidateWebhook(webhook); !v) return v;
    std::lock_guard lock(mu_);
    AppendLocked({internal::WebhookUpsertedAudit(webhook, actor)}, webhook.updated_at);
    webhooks_[webhook.workflow] = webhook;
    return {};
  }

  Result<void> SetControl(const Control& control) override {
    if (auto v = internal::ValidateControl(control); !v) return v;
    std::lock_guard lock(mu_);
    controls_[{std::string(ControlKindName(control.kind)), control.target}] = control;
    AppendLocked({internal::ControlSetAudit(control)}, control.at);
    return {};
  }

  Result<void> ClearControl(ControlKind kind, const std::string& target, const std::string& actor,
                            TimePoint at) override {
    std::lock_guard lock(mu_);
    auto it = controls_.find({std::string(ControlKindName(kind)), target});
    if (it == controls_.end()) {
      return NotFound(std::string(ControlKindName(kind)) + " is not set for " + target);
    }
    controls_.erase(it);
    AppendLocked({internal::ControlClearedAudit(kind, target, actor)}, at);
    return {};
  }

  Result<std::vector<Control>> ListControls() override {
    std::lock_guard lock(mu_);
    std::vector<Control> out;
    for (const auto& [key, c] : controls_) out.push_back(c);
    return out;
  }

  Result<std::vector<Webhook>> ListWebhooks() override {
    std::lock_guard lock(mu_);
    std::vector<Webhook> out;
    for (const auto& [w, h] : webhooks_) out.push_back(h);
    return out;
  }

  Result<std::vector<std::int64_t>> EnqueueDeliveries(const std::vector<OutboxMessage>& messages,
                                                      TimePoint now) override {
    std::lock_guard lock(mu_);
    return EnqueueLocked(messages, now);
  }

  Result<std::vector<OutboxMessage>> NextDeliveries(TimePoint now, int limit,
                                                    Duration visibility) override {
    std::lock_guard lock(mu_);
    std::vector<OutboxMessage*> due;
    for (auto& [id, m] : outbox_) {
      if (!m.delivered_at && m.next_attempt_at <= now) due.push_back(&m);
    }
    std::sort(due.begin(), due.end(), [](const auto* a, const auto* b) {
      return std::tie(a->next_attempt_at, a->id) < std::tie(b->next_attempt_at, b->id);
    });
    std::vector<OutboxMessage> out;
    for (auto* m : due) {
      if (static_cast<int>(out.size()) >= limit) break;
      out.push_back(*m);
      m->next_attempt_at = now + visibility;
    }
    return out;
  }

  Result<void> MarkDelivered(std::int64_t id, TimePoint now) override {
    std::lock_guard lock(mu_);
    auto it = outbox_.find(id);
    if (it == outbox_.end()) return NotFound("no outbox message " + std::to_string(id));
    if (it->second.delivered_at) return {};
    AppendLocked({internal::DeliveredAudit(it->second)}, now);
    it->second.delivered_at = now;
    ++it->second.attempts;
    it->second.payload_json.clear();
    return {};
  }

  Result<void> MarkFailed(std::int64_t id, TimePoint now, TimePoint next_attempt_at,
                          const std::string& error) override {
    std::lock_guard lock(mu_);
    auto it = outbox_.find(id);
    if (it == outbox_.end()) return NotFound("no outbox message " + std::to_string(id));
    if (it->second.delivered_at) {
      return FailedPrecondition("outbox message " + std::to_string(id) + " was delivered");
    }
    AppendLocked({internal::DeliveryFailedAudit(it->second, next_attempt_at, error)}, now);
    ++it->second.attempts;
    it->second.last_error = error;
    it->second.next_attempt_at = next_attempt_at;
    return {};
  }

  Result<std::vector<AuditRecord>> AppendAudit(const std::vector<AuditEntry>& entries,
                                               TimePoint at) override {
    HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(entries));
    std::lock_guard lock(mu_);
    return AppendLocked(entries, at);
  }

  Result<std::vector<AuditRecord>> ReadAudit(std::int64_t from_seq, int limit) override {
    std::lock_guard lock(mu_);
    std::vector<AuditRecord> out;
    auto it = std::lower_bound(audit_.begin(), audit_.end(), from_seq,
                               [](const AuditRecord& r, std::int64_t s) { return r.seq < s; });
    for (; it != audit_.end() && static_cast<int>(out.size()) < limit; ++it) out.push_back(*it);
    return out;
  }

  Result<AuditHead> GetAuditHead() override {
    std::lock_guard lock(mu_);
    return head_;
  }

  Result<PurgeResult> PurgeAuditBefore(TimePoint cutoff, TimePoint now,
                                       const PurgeOptions& options) override {
    if (cutoff > now - options.min_retention && !options.allow_short_retention) {
      return FailedPrecondition("purge cutoff is inside the retention period");
    }
    std::lock_guard lock(mu_);
    size_t n = 0;
    while (n < audit_.size() && audit_[n].at < cutoff) ++n;
    audit::PurgeAnchor anchor;
    anchor.cutoff = cutoff;
    anchor.purged_count = static_cast<std::int64_t>(n);
    anchor.retention_days =
        std::chrono::duration_cast<std::chrono::days>(options.min_retention).count();
    if (n < audit_.size()) {
      anchor.first_kept_seq = audit_[n].seq;
      anchor.first_kept_prev_hash = audit_[n].prev_hash;
    } else {
      // Everything goes: the purge record itself becomes the first kept one.
      anchor.first_kept_seq = head_.seq + 1;
      anchor.first_kept_prev_hash = head_.hash;
    }
    audit_.erase(audit_.begin(), audit_.begin() + static_cast<std::ptrdiff_t>(n));
    auto sealed = AppendLocked({{std::string(audit::kinds::kAuditPurged), options.actor, "audit",
                                 audit::EncodePurgePayload(anchor)}},
                               now);
    return PurgeResult{anchor.purged_count, anchor.first_kept_seq, sealed.back().seq};
  }

  Result<Task> OpenTask(const StandaloneTask& request, const std::vector<AuditEntry>& extra_audit,
                        TimePoint now) override {
    HITLGATE_RETURN_IF_ERROR(internal::ValidateStandaloneTask(request));
    HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(extra_audit));
    std::lock_guard lock(mu_);
    Task t = internal::MakeStandaloneTask(request, ids_->NewId("t"));
    if (tasks_.contains(t.id)) return MakeError(ErrorCode::kAlreadyExists, "task id " + t.id + " is taken");
    AppendLocked(internal::StandaloneTaskAudit(request, t, extra_audit), now);
    tasks_[t.id] = t;
    return t;
  }

  Result<ErasureResult> EraseCustomer(const ErasureRequest& request) override {
    HITLGATE_RETURN_IF_ERROR(internal::ValidateErasure(request));
    HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(request.audit));
    std::lock_guard lock(mu_);
    ErasureResult result;
    for (const auto& [id, t] : tasks_) {
      if (t.customer_id != request.customer_id) continue;
      HITLGATE_RETURN_IF_ERROR(internal::CheckErasable(t));
      ++result.tasks;
    }
    for (const StoredDecision& d : decisions_) result.decisions += d.record.customer_id == request.customer_id;
    if (result.decisions == 0 && result.tasks == 0) {
      return NotFound("nothing is stored for customer " + request.customer_id);
    }
    for (auto& [id, t] : tasks_) {
      if (t.customer_id != request.customer_id) continue;
      result.outbox += static_cast<std::int64_t>(
          std::erase_if(outbox_, [&](const auto& entry) { return entry.second.task_id == t.id; }));
      internal::EraseTask(t, request.pseudonym);
    }
    for (StoredDecision& d : decisions_) {
      if (d.record.customer_id != request.customer_id) continue;
      d.record.customer_id = request.pseudonym;
      d.record.event_json = std::string(kErasedJson);
    }
    AppendLocked(internal::ErasureAudit(request, result), request.now);
    return result;
  }

  Result<TextPurgeResult> PurgePersonalText(const TextPurge& request) override {
    HITLGATE_RETURN_IF_ERROR(internal::ValidateTextPurge(request));
    std::lock_guard lock(mu_);
    TextPurgeResult result;
    for (StoredDecision& d : decisions_) {
      if (d.record.at >= request.before || d.record.event_json == kErasedJson ||
          !internal::Purgeable(request, d.record.customer_id, d.record.interaction_id)) {
        continue;
      }
      d.record.event_json = std::string(kErasedJson);
      ++result.decisions;
    }
    for (auto& [id, t] : tasks_) {
      if (!internal::TaskTextExpired(request, t)) continue;
      internal::EraseTaskText(t);
      ++result.tasks;
    }
    AppendLocked({internal::TextPurgeAudit(request, result)}, request.now);
    return result;
  }

 private:
  // ---- helpers; all require mu_ ----

  std::vector<AuditRecord> AppendLocked(std::vector<AuditEntry> entries, TimePoint at) {
    std::vector<AuditRecord> out;
    for (auto& e : entries) {
      AuditRecord r = audit::Seal(std::move(e), head_.seq + 1, at, head_.hash);
      head_ = {r.seq, r.hash};
      audit_.push_back(r);
      out.push_back(std::move(r));
    }
    return out;
  }

  std::vector<std::int64_t> EnqueueLocked(const std::vector<OutboxMessage>& messages,
                                          TimePoint now) {
    std::vector<std::int64_t> ids;
    for (OutboxMessage m : messages) {
      m.id = next_outbox_id_++;
      m.created_at = now;
      if (m.next_attempt_at < now) m.next_attempt_at = now;
      m.attempts = 0;
      m.delivered_at.reset();
      ids.push_back(m.id);
      outbox_[m.id] = std::move(m);
    }
    return ids;
  }

  Result<Task*> FindLocked(const std::string& task_id) {
    auto it = tasks_.find(task_id);
    if (it == tasks_.end()) return NotFound("no task " + task_id);
    return &it->second;
  }

  std::int64_t LiveLeasesLocked(const ClaimRequest& r) const {
    std::int64_t n = 0;
    for (const auto& [id, t] : tasks_) {
      if (HasLiveLease(t, r.now) && t.lease->owner == r.reviewer) ++n;
    }
    return n;
  }

  Task ClaimLocked(Task& t, const ClaimRequest& r) {
    std::vector<AuditEntry> entries;
    internal::ApplyClaim(t, r, ids_->NewId("l"), &entries);
    AppendLocked(std::move(entries), r.now);
    return t;
  }

  static void SortByCreation(std::vector<Task>& tasks) {
    std::sort(tasks.begin(), tasks.end(), [](const Task& a, const Task& b) {
      return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
    });
  }

  InteractionRecord InteractionLocked(const std::string& interaction_id) const {
    InteractionRecord r;
    r.interaction_id = interaction_id;
    for (const auto& d : decisions_) {
      if (d.record.interaction_id != interaction_id) continue;
      r.customer_id = d.record.customer_id;
      r.decisions.push_back(d);
    }
    for (const auto& [id, t] : tasks_) {
      if (t.interaction_id == interaction_id) r.tasks.push_back(t);
    }
    SortByCreation(r.tasks);
    return r;
  }

  PolicyVersionInfo InfoLocked(const PolicyVersion& p) const {
    PolicyVersionInfo info{p, false, std::nullopt, ""};
    info.active = !activations_.empty() && activations_.back().version == p.version;
    for (const auto& a : activations_) {
      if (a.version != p.version) continue;
      info.activated_at = a.at;
      info.activated_by = a.actor;
    }
    return info;
  }

  KnowledgeVersionInfo KnowledgeInfoLocked(const KnowledgeVersion& v, bool with_document) const {
    KnowledgeVersionInfo info{v, false, std::nullopt, ""};
    if (!with_document) info.version.document_json.clear();
    info.active = !knowledge_activations_.empty() && knowledge_activations_.back().version == v.id;
    for (const auto& a : knowledge_activations_) {
      if (a.version != v.id) continue;
      info.activated_at = a.at;
      info.activated_by = a.actor;
    }
    return info;
  }

  IdGenerator* const ids_;
  MemoryStoreFaults* const faults_;  // null: none
  std::mutex mu_;
  // Everything below is guarded by mu_.
  std::vector<StoredDecision> decisions_;
  // EventKey(workflow, event_id) -> index in decisions_.
  std::map<std::string, size_t> by_event_id_;

  static std::string EventKey(const std::string& workflow, const std::string& event_id) {
    return workflow + '\x1f' + event_id;
  }
  std::optional<RecordedEvent> FindRecordedLocked(const std::string& key) const {
    auto it = by_event_id_.find(key);
    if (it == by_event_id_.end()) return std::nullopt;
    const StoredDecision& d = decisions_[it->second];
    return RecordedEvent{d.seq, d.task_id, d.record.decision_json, d.record.event_digest,
                         d.record.event_json};
  }
  std::int64_t next_decision_seq_ = 1;
  std::map<std::string, Task> tasks_;
  std::map<std::string, PolicyVersion> policies_;
  std::vector<Activation> activations_;  // in order; the last one is active
  std::map<std::string, KnowledgeVersion> knowledge_;
  std::vector<Activation> knowledge_activations_;  // in order; the last one is active
  std::map<std::string, ApiKey> keys_;
  std::map<std::string, Webhook> webhooks_;
  // By kind name, then target: the order ListControls promises.
  std::map<std::pair<std::string, std::string>, Control> controls_;
  std::map<std::int64_t, OutboxMessage> outbox_;
  std::int64_t next_outbox_id_ = 1;
  std::deque<AuditRecord> audit_;  // seq order; purges drop a prefix
  AuditHead head_;
};

}  // namespace

std::unique_ptr<Store> NewMemoryStore(IdGenerator* ids, MemoryStoreFaults* faults) {
  return std::make_unique<MemoryStore>(ids, faults);
}

}  // namespace hitlgate::store
