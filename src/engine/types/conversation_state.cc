#include "hitlgate/engine/conversation_state.h"

#include <algorithm>

namespace hitlgate::engine {

ConversationSnapshot SnapshotBefore(const InteractionState* interaction, const CustomerState* customer,
                                    const Event& event, TimePoint at, const ConversationRules& rules) {
  ConversationSnapshot snap;
  snap.now = at;
  const std::uint64_t self_hash = InteractionHash(event);
  const InteractionState* s = interaction;
  if (s != nullptr && at - s->last_seen > rules.idle_ttl) s = nullptr;  // idle: a new start
  if (s != nullptr) {
    snap.known_interaction = true;
    snap.event_index = s->event_count;
    std::copy_n(s->recent.begin(), s->recent_count, snap.recent_messages.begin());
    snap.recent_message_count = s->recent_count;
    snap.customer_message_count = s->customer_message_count;
    snap.first_sentiment = s->first_sentiment;
    snap.smoothed_sentiment = s->smoothed_sentiment;
    snap.last_sentiment = s->last_sentiment;
    snap.last_human_request = s->last_human_request;
    snap.legal_threat_seen = s->legal_threat_seen;
    snap.last_frustration = s->last_frustration;
    snap.sticky_category_bits = s->sticky_bits;
    snap.intent_hash = s->intent_hash;
  }
  if (event.type == EventType::kCustomerMessage) {
    // The current message counts toward its own rate.
    if (snap.recent_message_count == ConversationSnapshot::kMaxRecentMessages) {
      std::shift_left(snap.recent_messages.begin(), snap.recent_messages.end(), 1);
      --snap.recent_message_count;
    }
    snap.recent_messages[snap.recent_message_count++] = at;
  }
  const std::uint64_t intent = event.intent.empty() ? snap.intent_hash : StableHash(event.intent);
  if (!event.customer_id.empty() && customer != nullptr) {
    for (int i = 0; i < customer->count; ++i) {
      if (at - customer->contacts[i].first_at > rules.contact_horizon) continue;
      snap.contacts[snap.contact_count++] = customer->contacts[i];
    }
  }
  bool self_listed = false;
  for (int i = 0; i < snap.contact_count; ++i) {
    if (snap.contacts[i].interaction_hash == self_hash) {
      self_listed = true;
      if (intent != 0) snap.contacts[i].intent_hash = intent;
    }
  }
  if (!self_listed) {
    if (snap.contact_count == ConversationSnapshot::kMaxContacts) {
      std::shift_left(snap.contacts.begin(), snap.contacts.end(), 1);
      --snap.contact_count;
    }
    snap.contacts[snap.contact_count++] = Contact{self_hash, at, intent};
  }
  return snap;
}

void FoldInteraction(InteractionState& s, const Event& event, TimePoint at, const ConversationUpdate& update,
                     const ConversationRules& rules) {
  if (s.event_count > 0 && at - s.last_seen > rules.idle_ttl) s = InteractionState{};
  ++s.event_count;
  s.last_seen = std::max(s.last_seen, at);
  if (!event.intent.empty()) s.intent_hash = StableHash(event.intent);
  s.sticky_bits |= update.category_bits;
  s.legal_threat_seen |= update.legal_threat;
  if (event.type != EventType::kCustomerMessage) return;
  if (s.recent_count == ConversationSnapshot::kMaxRecentMessages) {
    std::shift_left(s.recent.begin(), s.recent.end(), 1);
    --s.recent_count;
  }
  s.recent[s.recent_count++] = at;
  if (s.customer_message_count == 0) {
    s.first_sentiment = update.sentiment;
    s.smoothed_sentiment = update.sentiment;
  } else {
    s.smoothed_sentiment = 0.5 * update.sentiment + 0.5 * s.smoothed_sentiment;
  }
  ++s.customer_message_count;
  s.last_sentiment = update.sentiment;
  s.last_human_request = update.human_request;
  s.last_frustration = update.frustration;
}

void FoldCustomer(CustomerState& c, const Event& event, TimePoint at) {
  const std::uint64_t self_hash = InteractionHash(event);
  const std::uint64_t intent = event.intent.empty() ? 0 : StableHash(event.intent);
  for (int i = 0; i < c.count; ++i) {
    if (c.contacts[i].interaction_hash == self_hash) {
      if (intent != 0) c.contacts[i].intent_hash = intent;
      return;
    }
  }
  if (c.count == ConversationSnapshot::kMaxContacts) {
    std::shift_left(c.contacts.begin(), c.contacts.end(), 1);
    --c.count;
  }
  c.contacts[c.count++] = Contact{self_hash, at, intent};
}

}  // namespace hitlgate::engine
