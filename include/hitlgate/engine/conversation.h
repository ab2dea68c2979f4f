// ConversationSnapshot: what the engine knows about an interaction and its
// customer just before an event, and ConversationStore: where that state
// lives between events. Snapshots are fixed-size values (no allocation on the
// hot path); the store's bound on memory is configurable.
//
// The store is an interface so that several gateway nodes can later share the
// state through the database (scale-out) while a single process or a replay
// keeps it in memory.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "hitlgate/common/clock.h"
#include "hitlgate/engine/event.h"
#include "hitlgate/engine/signals.h"

namespace hitlgate::engine {

// Stable 64-bit hash (FNV-1a) used for ids and intents inside snapshots and
// for deterministic audit sampling. Not cryptographic.
std::uint64_t StableHash(std::string_view s);

// Conversations are scoped by workflow: the same interaction id sent by two
// workflows' agents is two conversations, so one workflow's agent cannot
// read, move or close another's state. The key is "<workflow>\x1f<id>".
std::string InteractionKey(const Event& event);
std::uint64_t InteractionHash(const Event& event);  // StableHash(InteractionKey(event))

struct Contact {
  std::uint64_t interaction_hash = 0;
  TimePoint first_at{};
  std::uint64_t intent_hash = 0;  // latest intent seen in that interaction; 0 = none
};

struct ConversationSnapshot {
  static constexpr int kMaxRecentMessages = 32;
  static constexpr int kMaxContacts = 16;

  TimePoint now{};               // the event's time
  std::int64_t event_index = 0;  // position of this event in its interaction
  bool known_interaction = false;

  // Interaction: customer message times, oldest first (ring already unrolled).
  std::array<TimePoint, kMaxRecentMessages> recent_messages{};
  int recent_message_count = 0;
  int customer_message_count = 0;      // all customer messages so far
  double first_sentiment = 0.0;        // of the first customer message
  double smoothed_sentiment = 0.0;     // EWMA over customer messages
  double last_sentiment = 0.0;         // latest customer message
  bool last_human_request = false;
  bool legal_threat_seen = false;
  bool last_frustration = false;    // the latest customer message showed frustration
  std::uint64_t sticky_category_bits = 0;  // sensitive topics raised so far
  std::uint64_t intent_hash = 0;

  // Customer: this customer's interactions (including this one), oldest first.
  std::array<Contact, kMaxContacts> contacts{};
  int contact_count = 0;

  // Customer messages in (now - window, now], including the current event
  // when it is a customer message.
  int MessagesWithin(Duration window) const;
  // Distinct interactions of this customer started in (now - window, now];
  // with intent_hash != 0, only those on that intent.
  int ContactsWithin(Duration window, std::uint64_t intent_hash) const;
};

// What the engine records after deciding an event.
struct ConversationUpdate {
  double sentiment = 0.0;  // of this event when it is a customer message
  bool human_request = false;
  bool legal_threat = false;
  bool frustration = false;
  std::uint64_t category_bits = 0;
};

class ConversationStore {
 public:
  virtual ~ConversationStore() = default;
  // The state before `event`, including `event` itself in the message and
  // contact counts. Thread-safe.
  virtual ConversationSnapshot Load(const Event& event, TimePoint at) = 0;
  // Folds `event` into the state. Thread-safe; events of one interaction must
  // be recorded in order.
  virtual void Record(const Event& event, TimePoint at, const ConversationUpdate& update) = 0;
  // Ends a Load whose event will not be recorded (its write failed, or it
  // was a duplicate): the state stays as it was. Stores that hold the
  // interaction between Load and Record release it here. Thread-safe.
  virtual void Abandon(const Event& event) { (void)event; }
};

}  // namespace hitlgate::engine
