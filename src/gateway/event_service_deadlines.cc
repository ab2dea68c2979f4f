// Agents' deadlines on held proposals (event deadline_ms): a voice agent
// cannot leave a caller in silence while a person decides, so when its
// deadline passes the task is settled with the policy's fallback. The store
// settles and audits; this tells the waiting agent by every channel it may
// be listening on.
#include "hitlgate/codec/review_json.h"
#include "hitlgate/gateway/event_service.h"
#include "hitlgate/gateway/live_events.h"
#include "hitlgate/gateway/review_service.h"

namespace hitlgate::gateway {

Result<int> EventService::SettleDeadlines(TimePoint now, const std::string& task_id) {
  auto settled = store_.ExpireDeadlines(now, task_id);
  HITLGATE_RETURN_IF_ERROR(settled);
  if (settled->empty()) return 0;
  // Webhooks after the transaction, unlike a verdict's: a crash in between
  // loses the webhook, not the outcome, which the agent's long-poll and the
  // task's status still give.
  auto hooks = store_.ListWebhooks();
  std::vector<store::OutboxMessage> outbox;
  for (const store::Task& t : *settled) {
    live_.TaskChanged(t.id);
    live_.Publish("task.expired", t.workflow, codec::TaskJson(t, false));
    metrics_.DeadlinePassed(t.workflow, t.deadline->fallback);
    if (!hooks) continue;
    for (const store::Webhook& hook : *hooks) {
      if (hook.workflow != t.workflow) continue;
      store::OutboxMessage m;
      m.workflow = hook.workflow;
      m.url = hook.url;
      m.event_type = "task.expired";
      m.task_id = t.id;
      m.payload_json = codec::AgentTaskJson(review_.AgentView(t, now, std::nullopt));
      m.next_attempt_at = now;
      outbox.push_back(std::move(m));
    }
  }
  if (!outbox.empty()) HITLGATE_RETURN_IF_ERROR(store_.EnqueueDeliveries(outbox, now));
  return static_cast<int>(settled->size());
}

}  // namespace hitlgate::gateway
