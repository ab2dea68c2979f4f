// Gateway: construction and the small shared pieces. The operations live in
// gateway_*.cc by area (auth, events, review, policies, tick).
#include "hitlgate/gateway/gateway.h"

#include <algorithm>

#include "gateway/interaction_turns.h"
#include "hitlgate/engine/conversation.h"

namespace hitlgate::gateway {

Gateway::Gateway(store::Store& store, engine::DecisionEngine& engine, const Clock& clock,
                 store::IdGenerator& ids, crypto::RandomSource& random, LiveEvents& live,
                 GatewayMetrics& metrics, GatewayOptions options)
    : store_(store),
      engine_(engine),
      clock_(clock),
      ids_(ids),
      random_(random),
      live_(live),
      metrics_(metrics),
      options_(std::move(options)),
      turns_(std::make_unique<InteractionTurns>()),
      policies_(std::make_unique<PolicyService>(store, engine, clock, live)),
      supervision_(std::make_unique<SupervisionService>(store, engine, clock, live,
                                                        options_.escalation_queue)) {}

Gateway::~Gateway() = default;


store::ClaimRequest Gateway::ClaimRequestFor(const Principal& who) const {
  store::ClaimRequest r;
  r.reviewer = who.key_id;
  r.skills = who.skills;
  r.languages = who.languages;
  r.max_concurrent = who.max_concurrent;
  r.now = clock_.Now();
  r.lease_ttl = options_.lease_ttl;
  if (who.Can(Permission::kSuperviseTasks)) {
    // Supervisors work the escalation queue with every skill a task may need:
    // escalated tasks must not wait for a rare specialist.
    for (const auto& q : engine_.policy()->queues()) {
      for (const std::string& s : q.skills) {
        if (std::find(r.skills.begin(), r.skills.end(), s) == r.skills.end()) r.skills.push_back(s);
      }
    }
  }
  return r;
}

Result<void> Gateway::RefreshQueueMetrics() {
  auto counts = store_.CountOpenByQueue();
  HITLGATE_RETURN_IF_ERROR(counts);
  for (const auto& q : engine_.policy()->queues()) {
    auto it = counts->find(q.name);
    metrics_.QueueDepth(q.name, it == counts->end() ? 0 : it->second);
  }
  for (const auto& [queue, open] : *counts) metrics_.QueueDepth(queue, open);
  return {};
}

}  // namespace hitlgate::gateway
