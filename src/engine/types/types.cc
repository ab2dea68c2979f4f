// Small functions over the engine's value types (event.h, decision.h,
// conversation.h). A separate target so that policy/ can use them without
// depending on the engine that depends on policy/.
#include <algorithm>

#include "hitlgate/engine/conversation.h"
#include "hitlgate/engine/decision.h"
#include "hitlgate/engine/event.h"

namespace hitlgate::engine {

std::string_view EventTypeName(EventType t) {
  switch (t) {
    case EventType::kCustomerMessage: return "customer_message";
    case EventType::kAiProposal: return "ai_proposal";
    case EventType::kInteractionClosed: return "interaction_closed";
  }
  return "customer_message";
}

std::string_view OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kAllow: return "allow";
    case Outcome::kAllowMonitored: return "allow_monitored";
    case Outcome::kHold: return "hold";
    case Outcome::kHandoff: return "handoff";
    case Outcome::kBlock: return "block";
  }
  return "block";
}

std::optional<Outcome> ParseOutcome(std::string_view name) {
  for (Outcome o : {Outcome::kAllow, Outcome::kAllowMonitored, Outcome::kHold, Outcome::kHandoff,
                    Outcome::kBlock}) {
    if (OutcomeName(o) == name) return o;
  }
  return std::nullopt;
}

std::string_view OversightName(Oversight o) {
  switch (o) {
    case Oversight::kHootl: return "hootl";
    case Oversight::kHotl: return "hotl";
    case Oversight::kHitl: return "hitl";
  }
  return "hitl";
}

std::optional<Oversight> ParseOversight(std::string_view name) {
  for (Oversight o : {Oversight::kHootl, Oversight::kHotl, Oversight::kHitl}) {
    if (OversightName(o) == name) return o;
  }
  return std::nullopt;
}

Outcome OutcomeForOversight(Oversight o) {
  switch (o) {
    case Oversight::kHootl: return Outcome::kAllow;
    case Oversight::kHotl: return Outcome::kAllowMonitored;
    case Oversight::kHitl: return Outcome::kHold;
  }
  return Outcome::kHold;
}

Oversight OversightForOutcome(Outcome o) {
  switch (o) {
    case Outcome::kAllow: return Oversight::kHootl;
    case Outcome::kAllowMonitored:
    case Outcome::kBlock: return Oversight::kHotl;  // blocked turns show on the supervisors' board
    case Outcome::kHold:
    case Outcome::kHandoff: return Oversight::kHitl;
  }
  return Oversight::kHitl;
}

std::uint64_t StableHash(std::string_view s) {
  // FNV-1a 64: stable across platforms and releases, which audit sampling
  // and stored snapshots rely on. Not for security.
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

int ConversationSnapshot::MessagesWithin(Duration window) const {
  const TimePoint since = now - window;
  int n = 0;
  for (int i = recent_message_count - 1; i >= 0; --i) {
    if (recent_messages[i] <= since) break;  // oldest first: stop at the first too old
    if (recent_messages[i] <= now) ++n;
  }
  return n;
}

int ConversationSnapshot::ContactsWithin(Duration window, std::uint64_t intent) const {
  const TimePoint since = now - window;
  int n = 0;
  for (int i = 0; i < contact_count; ++i) {
    const Contact& c = contacts[i];
    if (c.first_at <= since || c.first_at > now) continue;
    if (intent != 0 && c.intent_hash != intent) continue;
    ++n;
  }
  return n;
}

}  // namespace hitlgate::engine
