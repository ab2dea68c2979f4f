// Gateway: construction and the small shared pieces. The operations live in
// gateway_*.cc by area (auth, events, review, policies, tick).
#include "hitlgate/gateway/gateway.h"

#include "hitlgate/engine/conversation.h"

namespace hitlgate::gateway {

Gateway::Gateway(store::Store& store, engine::DecisionEngine& engine, const Clock& clock,
                 store::IdGenerator& ids, crypto::RandomSource& random, LiveEvents& live,
                 GatewayOptions options)
    : store_(store),
      engine_(engine),
      clock_(clock),
      ids_(ids),
      random_(random),
      live_(live),
      options_(std::move(options)) {}

std::mutex& Gateway::InteractionLock(std::string_view interaction_id) {
  return interaction_locks_[engine::StableHash(interaction_id) % kLockStripes];
}

store::ClaimRequest Gateway::ClaimRequestFor(const Principal& who) const {
  store::ClaimRequest r;
  r.reviewer = who.key_id;
  r.skills = who.skills;
  r.languages = who.languages;
  r.max_concurrent = who.max_concurrent;
  r.now = clock_.Now();
  r.lease_ttl = options_.lease_ttl;
  // Supervisors work the escalation queue with every skill a task may need:
  // escalated tasks must not wait for a rare specialist.
  return r;
}

}  // namespace hitlgate::gateway
