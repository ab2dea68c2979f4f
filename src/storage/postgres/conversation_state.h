// The conversation state PostgresConversationStore keeps per interaction and
// per customer, its text form in the database, and the two steps the engine
// needs: a snapshot before an event and the state after it. The rules are
// MemoryConversationStore's (the test compares both field by field); here
// they work on plain values so that the database round trips stay outside.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hitlgate/engine/conversation.h"

namespace hitlgate::store::postgres {

struct InteractionState {
  std::int64_t event_count = 0;
  TimePoint last_seen{};
  // Customer message times, oldest first.
  std::array<TimePoint, engine::ConversationSnapshot::kMaxRecentMessages> recent{};
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
  std::array<engine::Contact, engine::ConversationSnapshot::kMaxContacts> contacts{};  // oldest first
  int count = 0;
};

// Text forms (space-separated numbers; doubles in shortest round-trip form,
// so a value read back is bit for bit the one written). "" = no state.
std::string EncodeInteraction(const InteractionState& s);
std::string EncodeCustomer(const CustomerState& c);
// nullopt for "" and for text that does not parse (treated as no state).
std::optional<InteractionState> DecodeInteraction(std::string_view text);
std::optional<CustomerState> DecodeCustomer(std::string_view text);

struct ConversationRules {
  Duration idle_ttl;
  Duration contact_horizon;
};

// The snapshot before `event` from the stored states (nullopt = none).
engine::ConversationSnapshot Snapshot(const std::optional<InteractionState>& interaction,
                                      const std::optional<CustomerState>& customer,
                                      const engine::Event& event, TimePoint at,
                                      const ConversationRules& rules);

// The states after `event`. The interaction becomes nullopt when the event
// closes it; the customer is untouched when the event names none.
void Fold(std::optional<InteractionState>& interaction, std::optional<CustomerState>& customer,
          const engine::Event& event, TimePoint at, const engine::ConversationUpdate& update,
          const ConversationRules& rules);

}  // namespace hitlgate::store::postgres
