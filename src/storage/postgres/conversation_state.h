// The text form in the database of the conversation state
// PostgresConversationStore keeps per interaction and per customer
// (engine::InteractionState, engine::CustomerState; the rules on them are
// the engine's, shared with MemoryConversationStore).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hitlgate/engine/conversation_state.h"

namespace hitlgate::store::postgres {

using engine::ConversationRules;
using engine::CustomerState;
using engine::InteractionState;

// Text forms (space-separated numbers; doubles in shortest round-trip form,
// so a value read back is bit for bit the one written). "" = no state.
std::string EncodeInteraction(const InteractionState& s);
std::string EncodeCustomer(const CustomerState& c);
// nullopt for "" and for text that does not parse (treated as no state).
std::optional<InteractionState> DecodeInteraction(std::string_view text);
std::optional<CustomerState> DecodeCustomer(std::string_view text);

}  // namespace hitlgate::store::postgres
