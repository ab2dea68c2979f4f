// PostgresConversationStore: the same snapshots as MemoryConversationStore
// for the same events, whichever of several stores ("nodes") on one database
// each event goes through; events of one interaction sent to two nodes at
// once are serialized by the row locks; a lock held too long degrades to a
// plain read instead of hanging; erasing a customer deletes their row. Each
// test gets a fresh schema, dropped at exit.
//
// Needs a server: set HITLGATE_TEST_PG_URL (scripts/pg.sh start prints it);
// the database tests skip with a message when it is unset.
#include "hitlgate/store/postgres_conversation_store.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "hitlgate/engine/memory_conversation_store.h"
#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/postgres_store.h"
#include "storage/postgres/conversation_state.h"

namespace hitlgate::store {
namespace {

using engine::ConversationSnapshot;
using engine::ConversationUpdate;
using engine::Event;
using engine::EventType;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kSkipMessage[] =
    "HITLGATE_TEST_PG_URL is not set: no PostgreSQL to test against "
    "(eval \"$(scripts/pg.sh start)\" starts a private one)";

std::string PgUrl() {
  const char* url = std::getenv("HITLGATE_TEST_PG_URL");
  return url != nullptr ? url : "";
}

std::mutex g_schemas_mu;
std::vector<std::string> g_schemas;

std::string NewSchema() {
  static std::atomic<int> n{0};
  std::string name = "hgconv_" + std::to_string(::getpid()) + "_" + std::to_string(n++);
  std::lock_guard lock(g_schemas_mu);
  g_schemas.push_back(name);
  return name;
}

class DropSchemas : public ::testing::Environment {
 public:
  void TearDown() override {
    if (PgUrl().empty()) return;
    PGconn* conn = PQconnectdb(PgUrl().c_str());
    if (PQstatus(conn) == CONNECTION_OK) {
      PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
      std::lock_guard lock(g_schemas_mu);
      for (const auto& s : g_schemas) PQclear(PQexec(conn, ("DROP SCHEMA IF EXISTS " + s + " CASCADE").c_str()));
    }
    PQfinish(conn);
  }
};
const auto* const kDropSchemas = ::testing::AddGlobalTestEnvironment(new DropSchemas);

TimePoint T(std::int64_t s) { return TimePoint(seconds(1'700'000'000 + s)); }

Event Message(std::string interaction, std::string customer, std::string intent = "") {
  Event e;
  e.interaction_id = std::move(interaction);
  e.customer_id = std::move(customer);
  e.type = EventType::kCustomerMessage;
  e.intent = std::move(intent);
  return e;
}

// Field by field, so a failure names the field.
void ExpectSameSnapshot(const ConversationSnapshot& want, const ConversationSnapshot& got,
                        const std::string& where) {
  SCOPED_TRACE(where);
  EXPECT_EQ(want.now, got.now);
  EXPECT_EQ(want.event_index, got.event_index);
  EXPECT_EQ(want.known_interaction, got.known_interaction);
  ASSERT_EQ(want.recent_message_count, got.recent_message_count);
  for (int i = 0; i < want.recent_message_count; ++i) {
    EXPECT_EQ(want.recent_messages[i], got.recent_messages[i]) << "recent message " << i;
  }
  EXPECT_EQ(want.customer_message_count, got.customer_message_count);
  EXPECT_EQ(want.first_sentiment, got.first_sentiment);  // exact: the text form round-trips
  EXPECT_EQ(want.smoothed_sentiment, got.smoothed_sentiment);
  EXPECT_EQ(want.last_sentiment, got.last_sentiment);
  EXPECT_EQ(want.last_human_request, got.last_human_request);
  EXPECT_EQ(want.legal_threat_seen, got.legal_threat_seen);
  EXPECT_EQ(want.last_frustration, got.last_frustration);
  EXPECT_EQ(want.sticky_category_bits, got.sticky_category_bits);
  EXPECT_EQ(want.intent_hash, got.intent_hash);
  ASSERT_EQ(want.contact_count, got.contact_count);
  for (int i = 0; i < want.contact_count; ++i) {
    EXPECT_EQ(want.contacts[i].interaction_hash, got.contacts[i].interaction_hash) << "contact " << i;
    EXPECT_EQ(want.contacts[i].first_at, got.contacts[i].first_at) << "contact " << i;
    EXPECT_EQ(want.contacts[i].intent_hash, got.contacts[i].intent_hash) << "contact " << i;
  }
}

class PostgresConversationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PgUrl().empty()) GTEST_SKIP() << kSkipMessage;
    schema_ = NewSchema();
  }

  std::unique_ptr<PostgresConversationStore> Node(PostgresConversationOptions options = {}) {
    options.schema = schema_;
    auto store = PostgresConversationStore::Open(PgUrl(), options);
    EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().ToString());
    return store ? std::move(*store) : nullptr;
  }

  std::string schema_;
};

// ---- Text form (no database) ----

TEST(ConversationStateTextTest, RoundTripsBitForBit) {
  postgres::InteractionState s;
  s.event_count = 7;
  s.last_seen = T(99);
  s.recent_count = 3;
  s.recent[0] = T(1);
  s.recent[1] = T(2);
  s.recent[2] = T(99);
  s.customer_message_count = 3;
  s.first_sentiment = 0.1;
  s.smoothed_sentiment = -0.30000000000000004;
  s.last_sentiment = -1.0 / 3.0;
  s.legal_threat_seen = true;
  s.sticky_bits = 0x8000000000000001ULL;
  s.intent_hash = 0xFFFFFFFFFFFFFFFFULL;
  auto back = postgres::DecodeInteraction(postgres::EncodeInteraction(s));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->event_count, 7);
  EXPECT_EQ(back->last_seen, T(99));
  EXPECT_EQ(back->recent_count, 3);
  EXPECT_EQ(back->recent[2], T(99));
  EXPECT_EQ(back->smoothed_sentiment, -0.30000000000000004);
  EXPECT_EQ(back->last_sentiment, -1.0 / 3.0);
  EXPECT_TRUE(back->legal_threat_seen);
  EXPECT_FALSE(back->last_frustration);
  EXPECT_EQ(back->sticky_bits, 0x8000000000000001ULL);
  EXPECT_EQ(back->intent_hash, 0xFFFFFFFFFFFFFFFFULL);

  postgres::CustomerState c;
  c.count = 2;
  c.contacts[0] = {11, T(5), 0};
  c.contacts[1] = {12, T(6), 13};
  auto cback = postgres::DecodeCustomer(postgres::EncodeCustomer(c));
  ASSERT_TRUE(cback.has_value());
  ASSERT_EQ(cback->count, 2);
  EXPECT_EQ(cback->contacts[1].interaction_hash, 12u);
  EXPECT_EQ(cback->contacts[1].first_at, T(6));
  EXPECT_EQ(cback->contacts[1].intent_hash, 13u);
}

TEST(ConversationStateTextTest, DamagedTextReadsAsNoState) {
  EXPECT_FALSE(postgres::DecodeInteraction("").has_value());
  EXPECT_FALSE(postgres::DecodeInteraction("i1 1 2").has_value());             // truncated
  EXPECT_FALSE(postgres::DecodeInteraction("x9 1 2 3 4 5 6 0 0 0 0 0 0").has_value());  // other form
  EXPECT_FALSE(postgres::DecodeCustomer("c1 99").has_value());                 // count out of range
  EXPECT_FALSE(postgres::DecodeCustomer("c1 1 5 6 7 8").has_value());          // trailing data
}

// ---- Against the database ----

// Random conversations: several customers, interactions that close or go
// idle, intents, sentiments with full double precision, sent round-robin
// through three nodes; every snapshot must equal the one-process store's.
TEST_F(PostgresConversationStoreTest, MatchesTheMemoryStoreWhicheverNodeTakesEachEvent) {
  const Duration idle_ttl = hours(2);
  const Duration horizon = hours(6);
  engine::MemoryConversationStore memory(
      engine::ConversationLimits{.idle_ttl = idle_ttl, .contact_horizon = horizon});
  std::vector<std::unique_ptr<PostgresConversationStore>> nodes;
  for (int i = 0; i < 3; ++i) {
    nodes.push_back(Node({.idle_ttl = idle_ttl, .contact_horizon = horizon}));
    ASSERT_NE(nodes.back(), nullptr);
  }
  std::mt19937_64 rng(20261201);
  const std::vector<std::string> intents = {"", "", "refund", "billing_dispute", "address_change"};
  std::int64_t clock_s = 0;
  std::vector<int> generation(8, 0);  // a closed interaction comes back under a new id
  for (int step = 0; step < 400; ++step) {
    const int slot = static_cast<int>(rng() % generation.size());
    Event e;
    e.interaction_id = "i" + std::to_string(slot) + "." + std::to_string(generation[slot]);
    e.customer_id = slot == 7 ? "" : "c" + std::to_string(slot % 3);
    const std::uint64_t kind = rng() % 20;
    e.type = kind == 0 ? EventType::kInteractionClosed
             : kind < 8 ? EventType::kAiProposal
                        : EventType::kCustomerMessage;
    if (e.type == EventType::kInteractionClosed) ++generation[slot];
    e.intent = intents[rng() % intents.size()];
    const std::uint64_t gap = rng() % 100;
    clock_s += gap < 90 ? static_cast<std::int64_t>(rng() % 40) : gap < 98 ? 1800 : 3 * 3600;
    const TimePoint at = T(clock_s);
    ConversationUpdate u;
    u.sentiment = std::uniform_real_distribution<double>(-1.0, 1.0)(rng);
    u.human_request = rng() % 7 == 0;
    u.legal_threat = rng() % 31 == 0;
    u.frustration = rng() % 5 == 0;
    u.category_bits = rng() % 4 == 0 ? (std::uint64_t{1} << (rng() % 64)) : 0;

    PostgresConversationStore& node = *nodes[step % nodes.size()];
    const ConversationSnapshot want = memory.Load(e, at);
    const ConversationSnapshot got = node.Load(e, at);
    ExpectSameSnapshot(want, got, "step " + std::to_string(step) + " " + e.interaction_id);
    if (::testing::Test::HasFatalFailure()) return;
    memory.Record(e, at, u);
    node.Record(e, at, u);
  }
  for (const auto& node : nodes) EXPECT_EQ(node->failures(), 0);
}

TEST_F(PostgresConversationStoreTest, NextEventOnAnotherNodeSeesTheRecordedState) {
  auto a = Node();
  auto b = Node();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  Event first = Message("int-1", "cust-1", "refund");
  (void)a->Load(first, T(0));
  a->Record(first, T(0), ConversationUpdate{.sentiment = -0.5, .legal_threat = true});

  ConversationSnapshot snap = b->Load(Message("int-1", "cust-1"), T(10));
  EXPECT_TRUE(snap.known_interaction);
  EXPECT_EQ(snap.event_index, 1);
  EXPECT_EQ(snap.customer_message_count, 1);
  EXPECT_EQ(snap.first_sentiment, -0.5);
  EXPECT_TRUE(snap.legal_threat_seen);
  EXPECT_EQ(snap.MessagesWithin(seconds(60)), 2);
  EXPECT_EQ(snap.intent_hash, engine::StableHash("refund"));
  b->Record(Message("int-1", "cust-1"), T(10), {});

  // The customer's second interaction, on a third node, counts the first.
  auto c = Node();
  ASSERT_NE(c, nullptr);
  ConversationSnapshot other = c->Load(Message("int-2", "cust-1"), T(20));
  EXPECT_FALSE(other.known_interaction);
  EXPECT_EQ(other.ContactsWithin(hours(24), 0), 2);
  c->Record(Message("int-2", "cust-1"), T(20), {});
}

TEST_F(PostgresConversationStoreTest, ClosingOnOneNodeForgetsTheInteractionOnAll) {
  auto a = Node();
  auto b = Node();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  Event msg = Message("int-1", "cust-1");
  (void)a->Load(msg, T(0));
  a->Record(msg, T(0), {});
  Event close = msg;
  close.type = EventType::kInteractionClosed;
  (void)b->Load(close, T(5));
  b->Record(close, T(5), {});
  ConversationSnapshot snap = a->Load(msg, T(10));
  EXPECT_FALSE(snap.known_interaction);
  EXPECT_EQ(snap.event_index, 0);
  EXPECT_EQ(snap.ContactsWithin(hours(1), 0), 1);  // the contact itself stays
  a->Record(msg, T(10), {});
}

// Two nodes take events of one interaction at the same moment: the row lock
// orders them, so every event sees all earlier ones (distinct positions, no
// update lost), as one node's interaction lock would.
TEST_F(PostgresConversationStoreTest, SimultaneousEventsOnTwoNodesAreSerialized) {
  auto a = Node();
  auto b = Node();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  constexpr int kThreadsPerNode = 3;
  constexpr int kEventsPerThread = 40;
  std::mutex mu;
  std::set<std::int64_t> indexes;
  std::set<int> message_counts;
  std::vector<std::thread> threads;
  for (int t = 0; t < 2 * kThreadsPerNode; ++t) {
    PostgresConversationStore* node = t % 2 == 0 ? a.get() : b.get();
    threads.emplace_back([&, node] {
      for (int i = 0; i < kEventsPerThread; ++i) {
        Event e = Message("shared", "cust-shared");
        ConversationSnapshot snap = node->Load(e, T(0));
        node->Record(e, T(0), ConversationUpdate{.sentiment = 0.25});
        std::lock_guard lock(mu);
        indexes.insert(snap.event_index);
        message_counts.insert(snap.customer_message_count);
      }
    });
  }
  for (auto& t : threads) t.join();
  constexpr int kTotal = 2 * kThreadsPerNode * kEventsPerThread;
  EXPECT_EQ(indexes.size(), static_cast<size_t>(kTotal));
  EXPECT_EQ(*indexes.begin(), 0);
  EXPECT_EQ(*indexes.rbegin(), kTotal - 1);
  EXPECT_EQ(message_counts.size(), static_cast<size_t>(kTotal));
  ConversationSnapshot after = a->Load(Message("shared", "cust-shared"), T(1));
  EXPECT_EQ(after.customer_message_count, kTotal);
  a->Record(Message("shared", "cust-shared"), T(1), {});
  EXPECT_EQ(a->failures() + b->failures(), 0);
}

// A node that stops between Load and Record holds the rows; another node's
// event waits at most lock_timeout, is decided on a plain read, and still
// records its state once the rows are free.
TEST_F(PostgresConversationStoreTest, RowsHeldTooLongDegradeToAPlainRead) {
  auto slow = Node();
  auto other = Node({.lock_timeout = milliseconds(200)});
  ASSERT_NE(slow, nullptr);
  ASSERT_NE(other, nullptr);
  Event e = Message("int-held", "cust-held");
  (void)slow->Load(e, T(0));
  slow->Record(e, T(0), {});

  std::atomic<bool> loaded{false};
  std::thread holder([&] {
    (void)slow->Load(e, T(1));  // locks, then "stops" until the other node gave up
    while (!loaded.load()) std::this_thread::sleep_for(milliseconds(5));
    slow->Record(e, T(1), {});
  });
  std::this_thread::sleep_for(milliseconds(100));
  ConversationSnapshot snap = other->Load(e, T(2));
  loaded = true;
  EXPECT_GE(other->failures(), 1);
  EXPECT_EQ(snap.customer_message_count, 1);  // what was committed: the first message
  holder.join();
  other->Record(e, T(2), {});  // locks anew now that the holder committed

  ConversationSnapshot after = slow->Load(e, T(3));
  EXPECT_EQ(after.customer_message_count, 3);
  slow->Record(e, T(3), {});
}

// Erasing a customer (PostgresStore::EraseCustomer) removes the row the
// conversation state keeps under their id: their repeat contacts are gone.
TEST_F(PostgresConversationStoreTest, ErasingTheCustomerDeletesTheirConversationRow) {
  SequentialIdGenerator ids;
  auto store = PostgresStore::Open(PgUrl(), {.ids = &ids, .schema = schema_});
  ASSERT_TRUE(store.has_value()) << store.error().ToString();
  auto node = Node();
  ASSERT_NE(node, nullptr);
  for (const char* interaction : {"int-1", "int-2"}) {
    Event e = Message(interaction, "cust-erase");
    (void)node->Load(e, T(0));
    node->Record(e, T(0), {});
  }
  DecisionRecord d;
  d.event_id = "e-1";
  d.interaction_id = "int-1";
  d.customer_id = "cust-erase";
  d.workflow = "w";
  d.channel = "chat";
  d.at = T(0);
  d.event_json = "{}";
  d.decision_json = "{}";
  d.policy_version = "v1";
  d.recorded_by = "k";
  ASSERT_TRUE((*store)->RecordDecision(d, std::nullopt, {}, T(0)).has_value());
  ASSERT_EQ(node->Load(Message("int-3", "cust-erase"), T(1)).ContactsWithin(hours(1), 0), 3);
  node->Record(Message("int-3", "cust-erase"), T(1), {});

  ErasureRequest req;
  req.customer_id = "cust-erase";
  req.pseudonym = "erased-1";
  req.actor = "k-admin";
  req.now = T(2);
  auto erased = (*store)->EraseCustomer(req);
  ASSERT_TRUE(erased.has_value()) << erased.error().ToString();
  // Only the new interaction itself: nothing of the erased history remains.
  ConversationSnapshot after = node->Load(Message("int-4", "cust-erase"), T(3));
  EXPECT_EQ(after.ContactsWithin(hours(1), 0), 1);
  node->Record(Message("int-4", "cust-erase"), T(3), {});
}

}  // namespace
}  // namespace hitlgate::store
