// PostgresStore: the conformance suite, plus what only a shared database
// has: several stores ("nodes") on one schema at once. Each test gets a fresh
// schema, dropped when the test program ends.
//
// Needs a server: set HITLGATE_TEST_PG_URL (scripts/pg.sh start prints it);
// every test skips with a message when it is unset.
#include "hitlgate/store/postgres_store.h"
#include "hitlgate/store/postgres_live_bridge.h"
#include "storage/packed_json.h"
#include "storage/postgres/schema.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <barrier>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "hitlgate/audit/verifier.h"
#include "hitlgate/store/audit_source.h"
#include "store/held_refund_records.h"
#include "store/migrated_rows.h"
#include "store/reviewer_key.h"
#include "store/store_conformance.h"
#include "testing/result_matchers.h"

namespace hitlgate::store {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsOk;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr char kSkipMessage[] =
    "HITLGATE_TEST_PG_URL is not set: no PostgreSQL to test against "
    "(eval \"$(scripts/pg.sh start)\" starts a private one)";

std::string PgUrl() {
  const char* url = std::getenv("HITLGATE_TEST_PG_URL");
  return url != nullptr ? url : "";
}

// Runs one SQL string on its own connection; "" on success, else the error.
std::string RunSql(const std::string& sql) {
  PGconn* conn = PQconnectdb(PgUrl().c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
      error = PQresultErrorMessage(r);
    }
    PQclear(r);
  }
  PQfinish(conn);
  return error;
}

// Fresh schema names, dropped at exit.
std::mutex g_schemas_mu;
std::vector<std::string> g_schemas;

std::string NewSchema() {
  static std::atomic<int> n{0};
  std::string name = "hgtest_" + std::to_string(::getpid()) + "_" + std::to_string(n++);
  std::lock_guard lock(g_schemas_mu);
  g_schemas.push_back(name);
  return name;
}

class DropSchemas : public ::testing::Environment {
 public:
  void TearDown() override {
    if (PgUrl().empty()) return;
    std::lock_guard lock(g_schemas_mu);
    for (const auto& s : g_schemas) (void)RunSql("DROP SCHEMA IF EXISTS " + s + " CASCADE");
  }
};
const auto* const kDropSchemas = ::testing::AddGlobalTestEnvironment(new DropSchemas);

std::unique_ptr<PostgresStore> OpenNode(const std::string& schema, IdGenerator* ids) {
  auto s = PostgresStore::Open(PgUrl(), {.ids = ids, .schema = schema});
  if (!s) {
    ADD_FAILURE() << s.error().ToString();
    return nullptr;
  }
  return std::move(*s);
}

std::unique_ptr<Store> OpenFresh(IdGenerator* ids) {
  if (PgUrl().empty()) {
    []() { GTEST_SKIP() << kSkipMessage; }();
    return nullptr;
  }
  return OpenNode(NewSchema(), ids);
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformanceTest,
                         ::testing::Values(StoreFactory{"postgres", OpenFresh}),
                         [](const auto& param_info) { return param_info.param.name; });

const TimePoint kT0 = TimePoint(std::chrono::duration_cast<Duration>(seconds(1'795'000'000)));

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PgUrl().empty()) GTEST_SKIP() << kSkipMessage;
    schema_ = NewSchema();
  }

  // A decision that opens a billing task for interaction `iid`.
  static DecisionRecord Decision(const std::string& iid) { return testing::HeldRefundDecision(iid, kT0); }
  static NewTask HoldTask() { return testing::BillingTask(kT0); }
  static ClaimRequest Reviewer(const std::string& name, TimePoint now) {
    ClaimRequest r;
    r.reviewer = name;
    r.skills = {"billing"};
    r.now = now;
    r.lease_ttl = minutes(5);
    return r;
  }
  static audit::VerifySummary Verify(Store& s) {
    auto head = s.GetAuditHead().value();
    StoreAuditSource src(&s);
    return audit::VerifyChain(src, {.expected_head = audit::ChainPoint{head.seq, head.hash}});
  }

  std::string schema_;
  SequentialIdGenerator ids_a_{1};
  // Another node's ids: a disjoint range, as random ids would be.
  SequentialIdGenerator ids_b_{1'000'000'000};
};

TEST_F(PostgresStoreTest, SeveralNodesMigrateTheSameSchemaAtOnce) {
  std::vector<std::unique_ptr<PostgresStore>> nodes(4);
  std::vector<std::thread> threads;
  std::vector<SequentialIdGenerator> ids(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] { nodes[i] = OpenNode(schema_, &ids[i]); });
  }
  for (auto& t : threads) t.join();
  for (const auto& n : nodes) ASSERT_NE(n, nullptr);
  EXPECT_EQ(RunSql("DO $$ BEGIN IF (SELECT COUNT(*) FROM " + schema_ +
                   ".schema_version) <> " + std::to_string(postgres::MigrationCount()) +
                   " THEN RAISE EXCEPTION 'migrated twice'; END IF; END $$"),
            "");
}

TEST_F(PostgresStoreTest, ASchemaNewerThanTheBinaryIsRefused) {
  ASSERT_NE(OpenNode(schema_, &ids_a_), nullptr);
  ASSERT_EQ(RunSql("INSERT INTO " + schema_ + ".schema_version(version) VALUES(999)"), "");
  auto again = PostgresStore::Open(PgUrl(), {.ids = &ids_a_, .schema = schema_});
  EXPECT_THAT(again, IsError(ErrorCode::kFailedPrecondition));
}

TEST_F(PostgresStoreTest, BadSchemaNameIsInvalidArgument) {
  auto s = PostgresStore::Open(PgUrl(), {.ids = &ids_a_, .schema = "x; DROP TABLE y"});
  EXPECT_THAT(s, IsError(ErrorCode::kInvalidArgument));
}

TEST_F(PostgresStoreTest, TwoNodesNeverClaimTheSameTask) {
  auto a = OpenNode(schema_, &ids_a_);
  auto b = OpenNode(schema_, &ids_b_);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  constexpr int kTasks = 120;
  for (int i = 0; i < kTasks; ++i) {
    ASSERT_THAT((i % 2 ? *a : *b).RecordDecision(Decision("i-" + std::to_string(i)), HoldTask(), {}, kT0),
                IsOk());
  }
  std::mutex mu;
  std::map<std::string, std::string> claimed_by;  // task -> reviewer
  std::atomic<int> duplicates{0};
  std::vector<std::thread> reviewers;
  for (int r = 0; r < 8; ++r) {
    reviewers.emplace_back([&, r] {
      Store& node = r % 2 ? *a : *b;
      const std::string name = "rev-" + std::to_string(r);
      while (true) {
        auto t = node.ClaimNext(Reviewer(name, kT0 + seconds(1)));
        if (!t) break;  // NotFound: the queue is empty
        std::lock_guard lock(mu);
        if (!claimed_by.emplace(t->id, name).second) ++duplicates;
      }
    });
  }
  for (auto& t : reviewers) t.join();
  EXPECT_EQ(duplicates.load(), 0);
  EXPECT_EQ(claimed_by.size(), static_cast<size_t>(kTasks));
  EXPECT_TRUE(Verify(*a).ok()) << Verify(*a).detail;
}

TEST_F(PostgresStoreTest, AVerdictIsAcceptedOnceWhicheverNodeReceivesIt) {
  auto a = OpenNode(schema_, &ids_a_);
  auto b = OpenNode(schema_, &ids_b_);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  for (int round = 0; round < 10; ++round) {
    auto rec = a->RecordDecision(Decision("v-" + std::to_string(round)), HoldTask(), {}, kT0);
    ASSERT_THAT(rec, IsOk());
    auto claimed = a->Claim(rec->task_id, Reviewer("rev", kT0 + seconds(1)));
    ASSERT_THAT(claimed, IsOk());
    Verdict v;
    v.reviewer = "rev";
    std::atomic<int> ok{0}, already{0};
    std::vector<std::thread> senders;
    for (int i = 0; i < 4; ++i) {
      senders.emplace_back([&, i] {
        auto r = (i % 2 ? *a : *b).SubmitVerdict(rec->task_id, claimed->lease->lease_id, v,
                                                 kT0 + seconds(2));
        if (r) ++ok;
        if (!r && r.error().code() == ErrorCode::kAlreadyExists) ++already;
      });
    }
    for (auto& t : senders) t.join();
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(already.load(), 3);
  }
  EXPECT_TRUE(Verify(*b).ok());
}

TEST_F(PostgresStoreTest, LeaseExpiryIsEnforcedByTheOtherNode) {
  auto a = OpenNode(schema_, &ids_a_);
  auto b = OpenNode(schema_, &ids_b_);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  auto rec = a->RecordDecision(Decision("lease"), HoldTask(), {}, kT0);
  ASSERT_THAT(rec, IsOk());
  auto first = a->ClaimNext(Reviewer("ana", kT0));
  ASSERT_THAT(first, IsOk());
  // Node B, after ana's lease ran out: bo takes the task over...
  auto second = b->ClaimNext(Reviewer("bo", kT0 + minutes(6)));
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->id, first->id);
  // ...and ana's verdict through node A is refused: her lease is gone.
  Verdict v;
  v.reviewer = "ana";
  EXPECT_THAT(a->SubmitVerdict(first->id, first->lease->lease_id, v, kT0 + minutes(6)),
              IsError(ErrorCode::kAborted));
  v.reviewer = "bo";
  EXPECT_THAT(a->SubmitVerdict(first->id, second->lease->lease_id, v, kT0 + minutes(7)), IsOk());
}

// Fails with `message` when the SQL condition over the test's schema is false.
std::string Expect(const std::string& condition, const std::string& message) {
  return RunSql("DO $$ BEGIN IF NOT (" + condition + ") THEN RAISE EXCEPTION '" + message +
                "'; END IF; END $$");
}

TEST_F(PostgresStoreTest, EventAnswerAndContextAreStoredPackedAndReadBackExactly) {
  auto s = OpenNode(schema_, &ids_a_);
  ASSERT_NE(s, nullptr);
  auto task = HoldTask();
  task.context_json = R"({"proposal":"refund"})";
  auto d = Decision("i-1");
  d.event_id = "e-1";
  auto task_id = s->RecordDecision(d, task, {}, kT0).value().task_id;
  auto got = s->GetInteraction("i-1").value();
  ASSERT_EQ(got.decisions.size(), 1u);
  EXPECT_EQ(got.decisions[0].record.event_json, R"({"text":"x"})");
  EXPECT_EQ(got.decisions[0].record.decision_json, R"({"outcome":"hold"})");
  EXPECT_EQ(s->GetTask(task_id).value().context_json, R"({"proposal":"refund"})");
  EXPECT_EQ(Expect("(SELECT event_packed IS NOT NULL AND decision_packed IS NOT NULL AND "
                   "event_json = '' AND decision_json = '' FROM " + schema_ + ".decisions)",
                   "decision not packed"),
            "");
  EXPECT_EQ(Expect("(SELECT context_packed IS NOT NULL AND context_json = '' FROM " + schema_ +
                   ".tasks)", "context not packed"),
            "");
  auto again = s->RecordDecision(d, task, {}, kT0).value();
  EXPECT_TRUE(again.duplicate);
  ASSERT_TRUE(again.first.has_value());
  EXPECT_EQ(again.first->answer_json, R"({"outcome":"hold"})");
  EXPECT_EQ(again.first->event_json, R"({"text":"x"})");
}

TEST_F(PostgresStoreTest, DamagedPackedRowReadsAsDataLoss) {
  auto s = OpenNode(schema_, &ids_a_);
  ASSERT_NE(s, nullptr);
  s->RecordDecision(Decision("i-1"), std::nullopt, {}, kT0).value();
  ASSERT_EQ(RunSql("UPDATE " + schema_ + ".decisions SET decision_packed = '\\x01ffffff'"), "");
  EXPECT_THAT(s->GetInteraction("i-1"), IsError(ErrorCode::kDataLoss));
}

// A BYTEA literal ('\\x...') of `bytes`.
std::string ByteaLiteral(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'\\x";
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out + "'";
}

// The event and answer are packed against their row's own values (format
// 0x03); values packed before that (0x01) read as they are; a primed value
// whose row changed under it is refused.
TEST_F(PostgresStoreTest, PrimedValuesReadBackOldFormatStillReadsAChangedRowIsDataLoss) {
  auto s = OpenNode(schema_, &ids_a_);
  ASSERT_NE(s, nullptr);
  auto d = Decision("i-1");
  d.event_id = "e-1";
  s->RecordDecision(d, HoldTask(), {}, kT0).value();
  d.event_id = "e-2";
  s->RecordDecision(d, std::nullopt, {}, kT0).value();
  EXPECT_EQ(Expect("(SELECT bool_and(get_byte(event_packed, 0) = 3 AND get_byte(decision_packed, 0) = 3) FROM " +
                       schema_ + ".decisions)",
                   "not primed"),
            "");
  ASSERT_EQ(RunSql("UPDATE " + schema_ + ".decisions SET event_packed = " +
                   ByteaLiteral(internal::PackJson(R"({"text":"old"})")) + ", decision_packed = " +
                   ByteaLiteral(internal::PackJson(R"({"outcome":"old"})")) + " WHERE event_id = 'e-2'"),
            "");
  auto got = s->GetInteraction("i-1").value();
  ASSERT_EQ(got.decisions.size(), 2u);
  EXPECT_EQ(got.decisions[0].record.event_json, R"({"text":"x"})");
  EXPECT_EQ(got.decisions[0].record.decision_json, R"({"outcome":"hold"})");
  EXPECT_EQ(got.decisions[1].record.event_json, R"({"text":"old"})");
  EXPECT_EQ(got.decisions[1].record.decision_json, R"({"outcome":"old"})");
  ASSERT_EQ(RunSql("UPDATE " + schema_ + ".decisions SET channel = channel || 'x' WHERE event_id = 'e-1'"), "");
  EXPECT_THAT(s->GetInteraction("i-1"), IsError(ErrorCode::kDataLoss));
}

// A schema migrated to 10 (before the packed columns) with data in it:
// migration 12 adds the columns, packs every row, keeps erased text the
// plain marker, and leaves the audit chain as it was.
TEST_F(PostgresStoreTest, MigrationTwelvePacksTheJsonOfADatabaseMadeBeforeIt) {
  std::string task_id;
  AuditHead head_before;
  {
    auto s = OpenNode(schema_, &ids_a_);
    ASSERT_NE(s, nullptr);
    auto task = HoldTask();
    task.context_json = R"({"proposal":"refund"})";
    task_id = s->RecordDecision(Decision("i-1"), task, {}, kT0).value().task_id;
    s->RecordDecision(Decision("i-2"), std::nullopt, {}, kT0).value();
    ASSERT_THAT(s->EraseCustomer({.customer_id = "c-i-2", .pseudonym = "p-2", .actor = "admin",
                                  .now = kT0 + minutes(1)}),
                IsOk());
    head_before = s->GetAuditHead().value();
  }
  // What schema 11 held: the JSON as TEXT, no packed columns.
  const std::string& sc = schema_;
  ASSERT_EQ(RunSql("UPDATE " + sc + ".decisions SET event_json = '{\"text\":\"x\"}' "
                   "WHERE customer_id = 'c-i-1';"
                   "UPDATE " + sc + ".decisions SET decision_json = '{\"outcome\":\"hold\"}';"
                   "UPDATE " + sc + ".tasks SET context_json = '{\"proposal\":\"refund\"}';"
                   "ALTER TABLE " + sc + ".decisions DROP COLUMN event_packed, "
                   "DROP COLUMN decision_packed;"
                   "ALTER TABLE " + sc + ".tasks DROP COLUMN context_packed;"
                   "DELETE FROM " + sc + ".schema_version WHERE version > 11;"),
            "");
  auto s = OpenNode(schema_, &ids_a_);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(Expect("(SELECT MAX(version) FROM " + sc + ".schema_version) = " +
                   std::to_string(postgres::kSchemaVersion), "not migrated"),
            "");
  EXPECT_EQ(Expect("NOT EXISTS (SELECT 1 FROM " + sc + ".decisions WHERE decision_packed IS NULL "
                   "OR decision_json <> '')", "a decision left unpacked"),
            "");
  EXPECT_EQ(Expect("(SELECT event_packed IS NOT NULL AND event_json = '' FROM " + sc +
                   ".decisions WHERE customer_id = 'c-i-1')", "event left unpacked"),
            "");
  EXPECT_EQ(Expect("(SELECT event_packed IS NULL AND event_json = '{\"erased\":true}' FROM " + sc +
                   ".decisions WHERE customer_id = 'p-2')", "erased text was packed"),
            "");
  EXPECT_EQ(Expect("(SELECT context_packed IS NOT NULL FROM " + sc + ".tasks)", "context unpacked"), "");
  ExpectMigratedRowsReadBack(*s, task_id, head_before.seq, head_before.hash);
  EXPECT_TRUE(Verify(*s).ok());
}

// A database whose default is bytea's escape output (set by its owner):
// the store asks for the hex form on every connection, so packed rows still
// read back.
TEST_F(PostgresStoreTest, PackedRowsReadBackWhereTheDatabaseDefaultsToEscapedBytea) {
  const std::string db = "hgtest_escape_" + std::to_string(::getpid());
  ASSERT_EQ(RunSql("DROP DATABASE IF EXISTS " + db), "");
  ASSERT_EQ(RunSql("CREATE DATABASE " + db), "");
  ASSERT_EQ(RunSql("ALTER DATABASE " + db + " SET bytea_output = escape"), "");
  const std::string base = PgUrl();
  const std::string url = base.substr(0, base.rfind('/') + 1) + db;
  {
    auto s = PostgresStore::Open(url, {.ids = &ids_a_, .schema = schema_});
    ASSERT_THAT(s, IsOk());
    auto d = Decision("i-1");
    (*s)->RecordDecision(d, std::nullopt, {}, kT0).value();
    auto got = (*s)->GetInteraction("i-1");
    ASSERT_THAT(got, IsOk());
    EXPECT_EQ(got->decisions.at(0).record.decision_json, R"({"outcome":"hold"})");
  }
  EXPECT_EQ(RunSql("DROP DATABASE " + db + " WITH (FORCE)"), "");
}

TEST_F(PostgresStoreTest, ThreeNodesWriteOneGaplessAuditChain) {
  SequentialIdGenerator ids_c{2'000'000'000};
  std::vector<std::unique_ptr<PostgresStore>> nodes;
  nodes.push_back(OpenNode(schema_, &ids_a_));
  nodes.push_back(OpenNode(schema_, &ids_b_));
  nodes.push_back(OpenNode(schema_, &ids_c));
  for (const auto& n : nodes) ASSERT_NE(n, nullptr);
  std::vector<std::thread> threads;
  std::atomic<int> records{0};
  for (int w = 0; w < 9; ++w) {
    threads.emplace_back([&, w] {
      Store& node = *nodes[w % 3];
      for (int i = 0; i < 20; ++i) {
        auto r = node.AppendAudit({{"key_used", "k-" + std::to_string(w), "s", "{}"}},
                                  kT0 + seconds(i));
        if (r) ++records;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(records.load(), 9 * 20);
  auto head = nodes[2]->GetAuditHead();
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(head->seq, 9 * 20);
  auto summary = Verify(*nodes[1]);
  EXPECT_TRUE(summary.ok()) << summary.detail;
  EXPECT_EQ(summary.records_checked, 9 * 20);
}

TEST_F(PostgresStoreTest, ConcurrentCallersShareTransactions) {
  auto a = OpenNode(schema_, &ids_a_);
  ASSERT_NE(a, nullptr);
  std::vector<std::thread> threads;
  for (int w = 0; w < 16; ++w) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) (void)a->AppendAudit({{"key_used", "k", "s", "{}"}}, kT0);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(a->WriteOpCountForTest(), 16 * 20);
  // Not a timing assertion: with 16 callers some calls always queue behind
  // a running transaction and share the next one.
  EXPECT_LT(a->TransactionCountForTest(), a->WriteOpCountForTest());
}

// Collects what a bridge hands over, and waits (bounded) for a count.
struct Inbox {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::pair<std::string, std::string>> got;
  std::vector<std::string> workflows;

  PostgresLiveBridge::Handler Handler() {
    return [this](std::string_view topic, std::string_view workflow, std::string_view data) {
      std::lock_guard lock(mu);
      got.emplace_back(topic, data);
      workflows.emplace_back(workflow);
      cv.notify_all();
    };
  }
  bool WaitFor(size_t n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, seconds(20), [&] { return got.size() >= n; });
  }
};

TEST_F(PostgresStoreTest, LiveBridgeCarriesMessagesToOtherNodesOnly) {
  ASSERT_NE(OpenNode(schema_, &ids_a_), nullptr);  // creates live_spill
  Inbox at_a, at_b;
  auto a = PostgresLiveBridge::Start(PgUrl(), schema_, at_a.Handler());
  auto b = PostgresLiveBridge::Start(PgUrl(), schema_, at_b.Handler());
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  const std::string big(20000, 'x');  // over NOTIFY's 8000-byte limit
  (*a)->Send("task.created", "retail-bot", R"({"id":"t-1"})");
  (*a)->Send("task.answered", "", big);
  (*b)->Send("decision", "retail-bot", "{}");
  ASSERT_TRUE(at_b.WaitFor(2));
  ASSERT_TRUE(at_a.WaitFor(1));
  {
    std::lock_guard lock(at_b.mu);
    ASSERT_EQ(at_b.got.size(), 2u);
    EXPECT_EQ(at_b.got[0], std::make_pair(std::string("task.created"), std::string(R"({"id":"t-1"})")));
    EXPECT_EQ(at_b.workflows[0], "retail-bot") << "the workflow travels with the message";
    EXPECT_EQ(at_b.got[1].first, "task.answered");
    EXPECT_EQ(at_b.got[1].second, big);
    EXPECT_EQ(at_b.workflows[1], "");
  }
  std::lock_guard lock(at_a.mu);
  ASSERT_EQ(at_a.got.size(), 1u);  // not its own two
  EXPECT_EQ(at_a.got[0].first, "decision");
}

TEST_F(PostgresStoreTest, TwoNodesNeverTakeTheSameDelivery) {
  auto a = OpenNode(schema_, &ids_a_);
  auto b = OpenNode(schema_, &ids_b_);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  constexpr int kMessages = 90;
  std::vector<OutboxMessage> messages;
  for (int i = 0; i < kMessages; ++i) {
    messages.push_back({.workflow = "refunds", .url = "https://hooks.example", .event_type = "task.answered",
                        .task_id = "t-" + std::to_string(i), .payload_json = "{}"});
  }
  ASSERT_THAT(a->EnqueueDeliveries(messages, kT0), IsOk());
  std::mutex mu;
  std::map<std::int64_t, int> taken;  // message -> times handed out
  std::vector<std::thread> senders;
  for (int s = 0; s < 6; ++s) {
    senders.emplace_back([&, s] {
      Store& node = s % 2 ? *a : *b;
      while (true) {
        auto due = node.NextDeliveries(kT0 + seconds(1), 4, minutes(5));
        if (!due) {
          ADD_FAILURE() << due.error().ToString();
          return;
        }
        if (due->empty()) return;
        std::lock_guard lock(mu);
        for (const auto& m : *due) ++taken[m.id];
      }
    });
  }
  for (auto& t : senders) t.join();
  EXPECT_EQ(taken.size(), static_cast<size_t>(kMessages));
  for (const auto& [id, times] : taken) EXPECT_EQ(times, 1) << "message " << id;
}

TEST_F(PostgresStoreTest, AKeyRevokedOnTwoNodesAtOnceIsRevokedOnce) {
  auto a = OpenNode(schema_, &ids_a_);
  auto b = OpenNode(schema_, &ids_b_);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  constexpr int kKeys = 12;
  for (int i = 0; i < kKeys; ++i) {
    ASSERT_THAT(a->CreateKey(testing::ReviewerKey("k-" + std::to_string(i), kT0)), IsOk());
  }
  const std::int64_t head = a->GetAuditHead()->seq;
  std::atomic<int> ok{0}, refused{0};
  std::barrier both_ready(2);  // each key's two revocations start together
  std::vector<std::thread> admins;
  for (int n = 0; n < 2; ++n) {
    admins.emplace_back([&, n] {
      Store& node = n ? *a : *b;
      for (int i = 0; i < kKeys; ++i) {
        both_ready.arrive_and_wait();
        auto r = node.RevokeKey("k-" + std::to_string(i), "admin-" + std::to_string(n), kT0 + seconds(1));
        if (r) ++ok;
        if (!r && r.error().code() == ErrorCode::kFailedPrecondition) ++refused;
      }
    });
  }
  for (auto& t : admins) t.join();
  EXPECT_EQ(ok.load(), kKeys);
  EXPECT_EQ(refused.load(), kKeys);
  auto records = a->ReadAudit(head + 1, 1000);
  ASSERT_THAT(records, IsOk());
  int revoked = 0;
  for (const auto& r : *records) revoked += r.kind == "key_revoked";
  EXPECT_EQ(revoked, kKeys) << "one record per key";
  EXPECT_TRUE(Verify(*a).ok());
}

// Nodes started together on an empty database each save their policy file.
// Two nodes save versions 0..11 in lockstep, each the same as the other's
// (as two nodes started together on one policy or knowledge file do): every
// save succeeds, and each version is stored and audited once.
template <typename Save, typename Count>
void ExpectSavedOnceByTwoNodesAtOnce(Store& a, Store& b, Save save, Count stored) {
  constexpr int kVersions = 12;
  const std::int64_t head = a.GetAuditHead()->seq;
  std::atomic<int> ok{0};
  std::barrier both_ready(2);
  std::vector<std::thread> nodes;
  for (int n = 0; n < 2; ++n) {
    nodes.emplace_back([&, n] {
      Store& node = n ? a : b;
      for (int i = 0; i < kVersions; ++i) {
        both_ready.arrive_and_wait();
        auto r = save(node, i);
        if (r) {
          ++ok;
        } else {
          ADD_FAILURE() << r.error().ToString();
        }
      }
    });
  }
  for (auto& t : nodes) t.join();
  EXPECT_EQ(ok.load(), 2 * kVersions) << "the same version saved again is OK";
  auto records = a.ReadAudit(head + 1, 1000);
  ASSERT_THAT(records, IsOk());
  EXPECT_EQ(records->size(), static_cast<size_t>(kVersions)) << "one upload record per version";
  EXPECT_EQ(stored(a), static_cast<size_t>(kVersions));
}

TEST_F(PostgresStoreTest, APolicySavedOnTwoNodesAtOnceIsSavedOnce) {
  auto a = OpenNode(schema_, &ids_a_);
  auto b = OpenNode(schema_, &ids_b_);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ExpectSavedOnceByTwoNodesAtOnce(
      *a, *b,
      [](Store& node, int i) {
        return node.SavePolicyVersion({"sha256:v" + std::to_string(i), "base", "rules: []\n", "system", kT0});
      },
      [](Store& node) { return node.ListPolicyVersions()->size(); });
}

TEST_F(PostgresStoreTest, AKnowledgeVersionSavedOnTwoNodesAtOnceIsSavedOnce) {
  auto a = OpenNode(schema_, &ids_a_);
  auto b = OpenNode(schema_, &ids_b_);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ExpectSavedOnceByTwoNodesAtOnce(
      *a, *b,
      [](Store& node, int i) {
        return node.SaveKnowledgeVersion({"sha256:k" + std::to_string(i), "{\"procedures\":[]}", "system", kT0, 0, 0});
      },
      [](Store& node) { return node.ListKnowledgeVersions()->size(); });
}

// Each activation's audit record names the version active before it: two
// nodes activating at the same moment must not both name the same one.
// `activate(node, version)` activates; the records of `kind` carry the
// version as their subject and the one before in `previous_field`.
template <typename Activate>
void ExpectActivationsChainedAcrossTwoNodes(Store& a, Store& b, Activate activate, const std::string& kind,
                                            const std::string& previous_field) {
  constexpr int kRounds = 12;
  const std::int64_t head = a.GetAuditHead()->seq;
  std::barrier both_ready(2);
  std::vector<std::thread> nodes;
  for (int n = 0; n < 2; ++n) {
    nodes.emplace_back([&, n] {
      Store& node = n ? a : b;
      for (int i = 0; i < kRounds; ++i) {
        both_ready.arrive_and_wait();
        if (auto r = activate(node, 2 * i + n); !r) ADD_FAILURE() << r.error().ToString();
      }
    });
  }
  for (auto& t : nodes) t.join();
  auto records = a.ReadAudit(head + 1, 1000);
  ASSERT_THAT(records, IsOk());
  std::string before;  // nothing was active before the first
  int seen = 0;
  for (const auto& r : *records) {
    if (r.kind != kind) continue;
    ++seen;
    EXPECT_NE(r.payload_json.find("\"" + previous_field + "\":\"" + before + "\""), std::string::npos)
        << r.subject << " should name " << before << " as the one before it: " << r.payload_json;
    before = r.subject;
  }
  EXPECT_EQ(seen, 2 * kRounds);
}

TEST_F(PostgresStoreTest, PoliciesActivatedOnTwoNodesAtOnceEachNameTheOneBefore) {
  auto a = OpenNode(schema_, &ids_a_);
  auto b = OpenNode(schema_, &ids_b_);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  for (int i = 0; i < 24; ++i) {
    ASSERT_THAT(a->SavePolicyVersion({"sha256:v" + std::to_string(i), "base", "rules: []\n", "system", kT0}), IsOk());
  }
  ExpectActivationsChainedAcrossTwoNodes(
      *a, *b,
      [](Store& node, int i) { return node.ActivatePolicy("sha256:v" + std::to_string(i), "admin", kT0); },
      "policy_activated", "previous_version");
  EXPECT_TRUE(Verify(*a).ok());
}

TEST_F(PostgresStoreTest, KnowledgeActivatedOnTwoNodesAtOnceEachNamesTheOneBefore) {
  auto a = OpenNode(schema_, &ids_a_);
  auto b = OpenNode(schema_, &ids_b_);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  for (int i = 0; i < 24; ++i) {
    ASSERT_THAT(a->SaveKnowledgeVersion({"sha256:k" + std::to_string(i), "{\"procedures\":[]}", "system", kT0, 0, 0}),
                IsOk());
  }
  ExpectActivationsChainedAcrossTwoNodes(
      *a, *b,
      [](Store& node, int i) { return node.ActivateKnowledge("sha256:k" + std::to_string(i), "admin", kT0); },
      "knowledge_activated", "previous_version");
  EXPECT_TRUE(Verify(*a).ok());
}

TEST(PostgresStoreOpenTest, UnreachableServerIsUnavailable) {
  SequentialIdGenerator ids;
  // Port 1 on the loopback: nothing listens there.
  auto s = PostgresStore::Open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", {.ids = &ids});
  EXPECT_THAT(s, IsError(ErrorCode::kUnavailable));
}

// The error reaches HTTP callers as a 503 body: libpq's text (hosts, ports,
// user names) goes to the server's log, not to them.
TEST(PostgresStoreOpenTest, AnUnavailableDatabaseIsNotDescribedToTheCaller) {
  SequentialIdGenerator ids;
  auto s = PostgresStore::Open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", {.ids = &ids});
  ASSERT_THAT(s, IsError(ErrorCode::kUnavailable));
  EXPECT_THAT(s.error().message(), ::testing::Not(::testing::HasSubstr("127.0.0.1")));
  EXPECT_THAT(s.error().message(), ::testing::Not(::testing::HasSubstr("nobody")));
  EXPECT_THAT(s.error().message(), ::testing::HasSubstr("unavailable"));
}

TEST(PostgresStoreOpenTest, RecognizesPostgresUrls) {
  EXPECT_TRUE(PostgresStore::IsPostgresUrl("postgres://h/db"));
  EXPECT_TRUE(PostgresStore::IsPostgresUrl("postgresql://u@h:5432/db"));
  EXPECT_FALSE(PostgresStore::IsPostgresUrl("data/hitlgate.db"));
}

// A key=value string naming several hosts was taken for a SQLite file name
// (serve then created a file of that name and ran on it).
TEST(PostgresStoreOpenTest, RecognizesKeyValueConnectionStrings) {
  EXPECT_TRUE(PostgresStore::IsPostgresUrl(
      "host=db1,db2 port=5432,5433 dbname=hitlgate target_session_attrs=read-write"));
  EXPECT_TRUE(PostgresStore::IsPostgresUrl(" dbname = hitlgate"));
  EXPECT_TRUE(PostgresStore::IsPostgresUrl("service=hitlgate"));
  EXPECT_FALSE(PostgresStore::IsPostgresUrl("data/host=1.db"));
  EXPECT_FALSE(PostgresStore::IsPostgresUrl("hosts=a"));
  EXPECT_FALSE(PostgresStore::IsPostgresUrl(""));
}

TEST(PostgresStoreOpenTest, KeyValueStringToNoServerIsUnavailable) {
  SequentialIdGenerator ids;
  auto s = PostgresStore::Open(
      "host=127.0.0.1,127.0.0.1 port=1,2 dbname=none connect_timeout=2 "
      "target_session_attrs=read-write",
      {.ids = &ids});
  EXPECT_THAT(s, IsError(ErrorCode::kUnavailable));
}

}  // namespace
}  // namespace hitlgate::store
