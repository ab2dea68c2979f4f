// Event: one step of a customer-service conversation, as an AI agent reports
// it to hitlgate (docs/schema/event.schema.json). Plain value type; the JSON
// codec (hitlgate/codec) builds it and rejects unknown fields. Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hitlgate/common/clock.h"

namespace hitlgate::engine {

enum class EventType {
  kCustomerMessage,    // the customer said something
  kAiProposal,         // the governed AI wants to say or do something
  kInteractionClosed,  // the conversation ended; its state may be dropped
};

std::string_view EventTypeName(EventType t);

// An action the AI proposes to execute, e.g. refund(amount, currency, order).
struct Action {
  std::string name;               // "refund", "cancel_order", "update_address"
  std::optional<double> amount;   // monetary value, where the action has one
  std::string currency;           // ISO 4217, upper case; empty when no amount
  std::string params_json = "{}";  // the action's other parameters, canonical JSON object
};

struct Event {
  std::string interaction_id;
  std::string customer_id;
  std::string workflow;
  std::string channel;  // "chat", "voice", "email", ...
  EventType type = EventType::kCustomerMessage;
  std::string text;
  std::string language;  // BCP 47 tag; empty when unknown

  // The governed AI's own view, where it reports one (proposals mostly).
  std::string intent;
  std::optional<double> confidence;  // [0, 1]
  std::optional<Action> action;
  std::string summary;  // the AI's summary of the conversation, for handoffs
  // Slots the AI collected so far (order id, address...), in the order given.
  // Non-string JSON values are kept as their canonical JSON text.
  std::vector<std::pair<std::string, std::string>> collected;

  // When it happened; conversation state (rates, repeat contacts) is computed
  // from these, so replays give the same answers as live traffic.
  std::optional<TimePoint> at;
  // Caller's idempotency key; optional.
  std::string event_id;
  // How long the agent can wait for a person's verdict (a voice agent cannot
  // leave a caller in silence); when it passes, the task is settled with the
  // policy's fallback. Unset: wait as long as the SLA says. 1..3,600,000.
  std::optional<std::int64_t> deadline_ms;
};

// The names of the fields in which two events differ ("text",
// "action.amount", "at" ...), in schema order; empty when they are the same
// event. An idempotency conflict names them (ADR 0009).
std::vector<std::string> DifferingFields(const Event& a, const Event& b);

}  // namespace hitlgate::engine
