// Decision: hitlgate's answer for one event (docs/schema/decision.schema.json).
// Value type; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/engine/signals.h"

namespace hitlgate::engine {

// Ordered from least to most strict; when several rules fire the largest wins.
enum class Outcome : std::uint8_t {
  kAllow = 0,           // deliver; human-out-of-the-loop (maybe audit-sampled)
  kAllowMonitored = 1,  // deliver; supervisors see it live (human-on-the-loop)
  kHold = 2,            // wait for a person's verdict (human-in-the-loop)
  kHandoff = 3,         // a person takes the conversation over
  kBlock = 4,           // never delivered
};
std::string_view OutcomeName(Outcome o);
std::optional<Outcome> ParseOutcome(std::string_view name);

enum class Oversight : std::uint8_t { kHootl = 0, kHotl = 1, kHitl = 2 };
std::string_view OversightName(Oversight o);
std::optional<Oversight> ParseOversight(std::string_view name);
// hitl -> hold, hotl -> allow_monitored, hootl -> allow.
Outcome OutcomeForOversight(Oversight o);
// allow -> hootl, allow_monitored/block -> hotl, hold/handoff -> hitl.
Oversight OversightForOutcome(Outcome o);

struct Reason {
  std::string trigger;  // "action_value_above", "repeat_contact", "condition", "default", ...
  std::string rule;     // the policy rule's name
  std::string detail;   // for people: "120.00 EUR > 100.00 EUR"
  Outcome outcome = Outcome::kAllow;  // what this rule alone asked for
  bool floor = false;   // a hard floor: earned autonomy can never relax it
};

struct Route {
  std::string queue;
  std::vector<std::string> skills;
  int priority = 3;  // 1 is the most urgent
  int sla_seconds = 0;
  // After this long on hold, the agent should show the customer a holding
  // message; 0 = policy default applies.
  int hold_notice_seconds = 0;
};

// What happens to a held proposal when the agent's deadline (Event::deadline_ms)
// passes before a person decided.
enum class DeadlineFallback : std::uint8_t {
  kFailClosed = 0,  // do not deliver; tell the customer the policy's line
  kFailOpen = 1,    // deliver the proposal as it was (no approval, no receipt)
  kHandoff = 2,     // a person takes the conversation over
};
std::string_view DeadlineFallbackName(DeadlineFallback f);
std::optional<DeadlineFallback> ParseDeadlineFallback(std::string_view name);

// The policy's answer for an event that carries a deadline and is held.
struct DeadlinePlan {
  std::int64_t deadline_ms = 0;
  TimePoint at{};  // when it passes: set by the gateway, which knows the time
  DeadlineFallback fallback = DeadlineFallback::kFailClosed;
  std::string wait_message;      // what the agent can say while it waits; may be empty
  std::string customer_message;  // what the customer hears if it fails closed; may be empty
  std::string rule;              // "workflows.voice-bot.deadline.actions.refund", for audits
};

struct Decision {
  std::string interaction_id;
  std::int64_t event_index = 0;  // 0-based position of the event in its interaction
  Outcome outcome = Outcome::kAllow;
  Oversight oversight = Oversight::kHootl;
  std::vector<Reason> reasons;
  std::optional<Route> route;  // set for hold and handoff
  Signals signals;
  std::string policy_version;  // "sha256:<hex>"
  bool audit_sample = false;   // picked for post-hoc audit (deterministic per interaction)
  // Set for a hold whose event carries deadline_ms.
  std::optional<DeadlinePlan> deadline;
};

}  // namespace hitlgate::engine
