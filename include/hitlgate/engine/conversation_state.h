// ConversationState: what a ConversationStore keeps per interaction and per
// customer, and the two rules on it: the snapshot before an event and the
// state after it. Plain values and pure functions, so that every store (in
// memory; PostgreSQL, which keeps them as rows) applies the same rules and
// only where the state lives differs.
#pragma once

#include <array>
#include <cstdint>

#include "hitlgate/engine/conversation.h"

namespace hitlgate::engine {

struct InteractionState {
  std::int64_t event_count = 0;
  TimePoint last_seen{};
  // Customer message times, oldest first.
  std::array<TimePoint, ConversationSnapshot::kMaxRecentMessages> recent{};
  int recent_count = 0;
  int customer_message_count = 0;
  double first_sentiment = 0.0;
  double smoothed_sentiment = 0.0;
  double last_sentiment = 0.0;
  bool last_human_request = false;
  bool legal_threat_seen = false;
  bool last_frustration = false;
  std::uint64_t sticky_bits = 0;
  std::uint64_t intent_hash = 0;
};

struct CustomerState {
  std::array<Contact, ConversationSnapshot::kMaxContacts> contacts{};  // oldest first
  int count = 0;
};

struct ConversationRules {
  Duration idle_ttl;         // an interaction idle longer starts afresh
  Duration contact_horizon;  // contacts older than this are forgotten
};

// The snapshot before `event` (null: no state stored).
ConversationSnapshot SnapshotBefore(const InteractionState* interaction, const CustomerState* customer,
                                    const Event& event, TimePoint at, const ConversationRules& rules);

// Folds a non-closing `event` into its interaction's state.
void FoldInteraction(InteractionState& s, const Event& event, TimePoint at, const ConversationUpdate& update,
                     const ConversationRules& rules);
// Records the event's interaction among its customer's contacts.
void FoldCustomer(CustomerState& c, const Event& event, TimePoint at);

}  // namespace hitlgate::engine
