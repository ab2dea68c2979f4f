#include "hitlgate/engine/memory_conversation_store.h"

#include <gtest/gtest.h>

#include "hitlgate/common/time_format.h"

namespace hitlgate::engine {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

TimePoint T0() { return *ParseRfc3339("2026-11-22T10:00:00Z"); }

Event Message(std::string interaction, std::string customer = "u-1") {
  Event e;
  e.interaction_id = std::move(interaction);
  e.customer_id = std::move(customer);
  e.workflow = "w";
  e.type = EventType::kCustomerMessage;
  e.text = "hello";
  return e;
}

// Load + Record, as the engine does.
ConversationSnapshot Step(MemoryConversationStore& store, const Event& e, TimePoint at,
                          ConversationUpdate update = {}) {
  ConversationSnapshot snap = store.Load(e, at);
  store.Record(e, at, update);
  return snap;
}

TEST(MemoryConversationStoreTest, CountsMessagesInsideTheWindowIncludingCurrent) {
  MemoryConversationStore store;
  Event e = Message("c-1");
  Step(store, e, T0());
  Step(store, e, T0() + seconds(20));
  Step(store, e, T0() + seconds(50));
  ConversationSnapshot snap = store.Load(e, T0() + seconds(70));
  EXPECT_EQ(snap.event_index, 3);
  EXPECT_EQ(snap.MessagesWithin(seconds(60)), 3);   // 20s, 50s, 70s (now)
  EXPECT_EQ(snap.MessagesWithin(seconds(30)), 2);   // 50s, 70s
  EXPECT_EQ(snap.MessagesWithin(hours(1)), 4);
}

TEST(MemoryConversationStoreTest, RepeatContactsCountDistinctInteractionsInWindow) {
  MemoryConversationStore store;
  Step(store, Message("c-1"), T0());
  Step(store, Message("c-1"), T0() + seconds(5));  // same interaction: one contact
  Step(store, Message("c-2"), T0() + hours(24));
  ConversationSnapshot snap = store.Load(Message("c-3"), T0() + hours(48));
  EXPECT_EQ(snap.ContactsWithin(hours(24 * 7), 0), 3);
  EXPECT_EQ(snap.ContactsWithin(hours(36), 0), 2);  // c-2 and c-3
  // Another customer's interactions never count.
  ConversationSnapshot other = store.Load(Message("c-9", "u-2"), T0() + hours(48));
  EXPECT_EQ(other.ContactsWithin(hours(24 * 7), 0), 1);
}

TEST(MemoryConversationStoreTest, SameIntentContactsUseTheLatestIntent) {
  MemoryConversationStore store;
  Event a = Message("c-1");
  a.type = EventType::kAiProposal;
  a.intent = "billing_dispute";
  Step(store, a, T0());
  Event b = a;
  b.interaction_id = "c-2";
  b.intent = "delivery";
  Step(store, b, T0() + hours(1));
  Event c = a;
  c.interaction_id = "c-3";
  ConversationSnapshot snap = store.Load(c, T0() + hours(2));
  EXPECT_EQ(snap.ContactsWithin(hours(24), StableHash("billing_dispute")), 2);
  EXPECT_EQ(snap.ContactsWithin(hours(24), 0), 3);
}

TEST(MemoryConversationStoreTest, SentimentHistoryAndStickyTopicsCarryOver) {
  MemoryConversationStore store;
  Event e = Message("c-1");
  Step(store, e, T0(), {.sentiment = 0.4, .legal_threat = true, .category_bits = 0b100});
  Step(store, e, T0() + seconds(1), {.sentiment = -0.6, .human_request = true});
  ConversationSnapshot snap = store.Load(e, T0() + seconds(2));
  EXPECT_DOUBLE_EQ(snap.first_sentiment, 0.4);
  EXPECT_DOUBLE_EQ(snap.last_sentiment, -0.6);
  EXPECT_DOUBLE_EQ(snap.smoothed_sentiment, -0.1);
  EXPECT_TRUE(snap.legal_threat_seen);
  EXPECT_TRUE(snap.last_human_request);
  EXPECT_EQ(snap.sticky_category_bits, 0b100u);
  EXPECT_EQ(snap.customer_message_count, 2);
}

TEST(MemoryConversationStoreTest, ClosedInteractionForgetsStateButKeepsTheContact) {
  MemoryConversationStore store;
  Step(store, Message("c-1"), T0());
  Event close = Message("c-1");
  close.type = EventType::kInteractionClosed;
  Step(store, close, T0() + seconds(1));
  EXPECT_EQ(store.interaction_count(), 0u);
  ConversationSnapshot snap = store.Load(Message("c-2"), T0() + seconds(2));
  EXPECT_EQ(snap.ContactsWithin(hours(1), 0), 2);
}

TEST(MemoryConversationStoreTest, IdleInteractionStartsOver) {
  MemoryConversationStore store(ConversationLimits{.idle_ttl = hours(1)});
  Step(store, Message("c-1"), T0(), {.sentiment = -0.9});
  ConversationSnapshot snap = store.Load(Message("c-1"), T0() + hours(2));
  EXPECT_FALSE(snap.known_interaction);
  EXPECT_EQ(snap.event_index, 0);
}

TEST(MemoryConversationStoreTest, MemoryStaysWithinTheBound) {
  MemoryConversationStore store(ConversationLimits{.max_interactions = 160, .max_customers = 160});
  for (int i = 0; i < 5000; ++i) {
    Step(store, Message("c-" + std::to_string(i), "u-" + std::to_string(i)), T0() + seconds(i));
  }
  // Each of 16 shards keeps at most bound/16 + 1 entries.
  EXPECT_LE(store.interaction_count(), 160u + 16u);
  EXPECT_LE(store.customer_count(), 160u + 16u);
  EXPECT_GT(store.interaction_count(), 0u);
}

TEST(MemoryConversationStoreTest, RecentMessageRingKeepsTheNewest) {
  MemoryConversationStore store;
  Event e = Message("c-1");
  for (int i = 0; i < 100; ++i) Step(store, e, T0() + seconds(i));
  ConversationSnapshot snap = store.Load(e, T0() + seconds(100));
  EXPECT_EQ(snap.recent_message_count, ConversationSnapshot::kMaxRecentMessages);
  EXPECT_EQ(snap.recent_messages[snap.recent_message_count - 1], T0() + seconds(100));
  EXPECT_EQ(snap.MessagesWithin(seconds(10)), 10);
}

}  // namespace
}  // namespace hitlgate::engine
