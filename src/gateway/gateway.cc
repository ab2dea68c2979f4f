// Gateway: construction (the services wired together) and the small shared
// pieces. The periodic work is in gateway_tick.cc; everything else lives in
// the services (*_service.cc).
#include "hitlgate/gateway/gateway.h"

#include <algorithm>

#include "gateway/access.h"
#include "hitlgate/engine/conversation.h"

namespace hitlgate::gateway {

Gateway::Gateway(store::Store& store, engine::DecisionEngine& engine, const Clock& clock,
                 store::IdGenerator& ids, crypto::RandomSource& random, LiveEvents& live,
                 GatewayMetrics& metrics, GatewayOptions options)
    : store_(store),
      engine_(engine),
      clock_(clock),
      random_(random),
      live_(live),
      metrics_(metrics),
      options_(std::move(options)),
      access_(store, clock, random, options_.access,
              [&live](const std::string& key_id) { live.KeyRevoked(key_id); }),
      autonomy_(store, clock, live, options_.autonomy, options_.escalation_queue),
      receipts_(store, engine, clock, options_.receipts),
      policies_(std::make_unique<PolicyService>(store, engine, clock, live)),
      supervision_(std::make_unique<SupervisionService>(store, engine, clock, live,
                                                        options_.escalation_queue)) {
  // The review side reaches agents' deadlines (the event service) and
  // receipts through these.
  ReviewHooks hooks;
  hooks.settle_deadlines = [this](TimePoint now, const std::string& task_id) {
    return events_->SettleDeadlines(now, task_id);
  };
  hooks.prepare_receipt = [this](const Principal& who, const store::Task& task, const store::Verdict& verdict,
                                 TimePoint now, store::VerdictOptions* verdict_options) {
    return receipts_.Prepare(who, task, verdict, now, verdict_options);
  };
  hooks.remember_receipt = [this](const std::string& task_id, const std::string& receipt_json) {
    receipts_.Remember(task_id, receipt_json);
  };
  hooks.receipt_for = [this](const store::Task& task) { return receipts_.For(task); };
  review_ = std::make_unique<ReviewService>(store_, engine_, clock_, options_, live_, metrics_, std::move(hooks));
  events_ = std::make_unique<EventService>(
      store_, engine_, clock_, ids, live_, metrics_, options_,
      EventServiceDeps{autonomy_, *supervision_, *policies_, *review_});
}

Gateway::~Gateway() = default;

Result<void> Gateway::RefreshQueueMetrics() {
  auto counts = store_.CountOpenByWorkflowAndQueue();
  HITLGATE_RETURN_IF_ERROR(counts);
  std::map<std::string, std::int64_t> by_queue;  // the metric is per queue, every workflow's
  for (const auto& q : engine_.policy()->queues()) by_queue[q.name] = 0;
  for (const auto& [workflow_queue, open] : *counts) by_queue[workflow_queue.second] += open;
  for (const auto& [queue, open] : by_queue) metrics_.QueueDepth(queue, open);
  return {};
}

Result<std::vector<audit::AuditRecord>> Gateway::ReadAudit(const Principal& who,
                                                           std::int64_t from_seq, int limit) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kReadAudit));
  HITLGATE_RETURN_IF_ERROR(RequireAllWorkflows(who, "the audit log"));
  return store_.ReadAudit(from_seq, std::clamp(limit, 1, 10000));
}


}  // namespace hitlgate::gateway
