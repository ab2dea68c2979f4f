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

std::string_view DeadlineFallbackName(DeadlineFallback f) {
  switch (f) {
    case DeadlineFallback::kFailClosed: return "fail_closed";
    case DeadlineFallback::kFailOpen: return "fail_open";
    case DeadlineFallback::kHandoff: return "handoff";
  }
  return "fail_closed";
}

std::optional<DeadlineFallback> ParseDeadlineFallback(std::string_view name) {
  for (auto f : {DeadlineFallback::kFailClosed, DeadlineFallback::kFailOpen,
                 DeadlineFallback::kHandoff}) {
    if (DeadlineFallbackName(f) == name) return f;
  }
  return std::nullopt;
}

std::vector<std::string> DifferingFields(const Event& a, const Event& b) {
  std::vector<std::string> out;
  auto check = [&](bool same, const char* name) {
    if (!same) out.emplace_back(name);
  };
  check(a.event_id == b.event_id, "event_id");
  check(a.interaction_id == b.interaction_id, "interaction_id");
  check(a.customer_id == b.customer_id, "customer_id");
  check(a.workflow == b.workflow, "workflow");
  check(a.channel == b.channel, "channel");
  check(a.type == b.type, "type");
  check(a.text == b.text, "text");
  check(a.language == b.language, "language");
  check(a.intent == b.intent, "intent");
  check(a.confidence == b.confidence, "confidence");
  if (a.action.has_value() != b.action.has_value()) {
    out.emplace_back("action");
  } else if (a.action) {
    check(a.action->name == b.action->name, "action.name");
    check(a.action->amount == b.action->amount, "action.amount");
    check(a.action->currency == b.action->currency, "action.currency");
    check(a.action->params_json == b.action->params_json, "action.params");
  }
  check(a.summary == b.summary, "summary");
  check(a.collected == b.collected, "collected");
  check(a.at == b.at, "at");
  check(a.deadline_ms == b.deadline_ms, "deadline_ms");
  return out;
}

std::string InteractionKey(const Event& event) {
  std::string key;
  key.reserve(event.workflow.size() + 1 + event.interaction_id.size());
  key.append(event.workflow).push_back('\x1f');
  key.append(event.interaction_id);
  return key;
}

std::uint64_t InteractionHash(const Event& event) { return StableHash(InteractionKey(event)); }

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
