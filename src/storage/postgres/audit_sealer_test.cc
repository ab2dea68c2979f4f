// The audit chain on PostgreSQL without a cluster lock (ADR 0011): write
// transactions of different nodes do not wait for each other, and what they
// queue ends up on one gapless chain, sealed by one sealer at a time, even
// when a transaction stays open, rolls back, or its node dies before sealing.
// A raw libpq connection plays the part of "another writer" where the test
// must hold a transaction open at a chosen point.
//
// Needs a server: HITLGATE_TEST_PG_URL (scripts/pg.sh start); skips without.
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <thread>

#include "hitlgate/audit/verifier.h"
#include "hitlgate/store/audit_source.h"
#include "hitlgate/store/postgres_store.h"
#include "store/held_refund_records.h"
#include "testing/result_matchers.h"

namespace hitlgate::store {
namespace {

using ::hitlgate::testing::IsOk;
using std::chrono::milliseconds;
using std::chrono::seconds;

const TimePoint kT0 = TimePoint(std::chrono::duration_cast<Duration>(seconds(1'795'000'000)));

std::string PgUrl() {
  const char* url = std::getenv("HITLGATE_TEST_PG_URL");
  return url != nullptr ? url : "";
}

// One libpq session on the test's schema; Sql returns the first cell, or
// "ERROR: ..." so a failed statement shows in the assertion that reads it.
class RawSession {
 public:
  explicit RawSession(const std::string& schema) : conn_(PQconnectdb(PgUrl().c_str())) {
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
    Sql("SET search_path TO " + schema);
  }
  ~RawSession() { PQfinish(conn_); }
  RawSession(const RawSession&) = delete;
  RawSession& operator=(const RawSession&) = delete;

  std::string Sql(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    std::string out;
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
      if (PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
    } else if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      out = std::string("ERROR: ") + PQresultErrorMessage(r);
    }
    PQclear(r);
    return out;
  }
  std::int64_t Count(const std::string& table) { return std::stoll(Sql("SELECT count(*) FROM " + table)); }

 private:
  PGconn* conn_;
};

class AuditSealerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PgUrl().empty()) GTEST_SKIP() << "HITLGATE_TEST_PG_URL is not set: no PostgreSQL to test against";
    static std::atomic<int> n{0};
    schema_ = "hgseal_" + std::to_string(::getpid()) + "_" + std::to_string(n++);
    a_ = Open(&ids_a_);
    b_ = Open(&ids_b_);
    ASSERT_NE(a_, nullptr);
    ASSERT_NE(b_, nullptr);
    admin_ = std::make_unique<RawSession>(schema_);
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
    if (admin_) (void)admin_->Sql("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  }

  std::unique_ptr<PostgresStore> Open(IdGenerator* ids) {
    auto s = PostgresStore::Open(PgUrl(), {.ids = ids, .schema = schema_});
    if (!s) {
      ADD_FAILURE() << s.error().ToString();
      return nullptr;
    }
    return std::move(*s);
  }

  static DecisionRecord Decision(const std::string& iid) { return testing::HeldRefundDecision(iid, kT0); }
  static NewTask HoldTask() { return testing::BillingTask(kT0); }

  // Verifies the whole chain up to the head the store names.
  static audit::VerifySummary Verify(Store& s) {
    auto head = s.GetAuditHead().value();
    StoreAuditSource src(&s);
    return audit::VerifyChain(src, {.expected_head = audit::ChainPoint{head.seq, head.hash}});
  }

  // A pending record queued by a transaction of the raw session.
  static std::string QueueSql(const std::string& kind) {
    return "INSERT INTO audit_pending(at_us, kind, actor, subject, payload_json) VALUES(" +
           std::to_string(kT0.time_since_epoch().count()) + ", '" + kind + "', 'raw', 'x', '{}')";
  }

  std::string schema_;
  SequentialIdGenerator ids_a_{1};
  SequentialIdGenerator ids_b_{1'000'000'000};
  std::unique_ptr<PostgresStore> a_, b_;
  std::unique_ptr<RawSession> admin_;
};

TEST_F(AuditSealerTest, ANodeCommitsWhileAnotherNodesWriteTransactionWaits) {
  auto held = b_->RecordDecision(Decision("i-held"), HoldTask(), {}, kT0);
  ASSERT_THAT(held, IsOk());
  // Node A's write transaction stalls on a task row another session locked.
  RawSession blocker(schema_);
  ASSERT_EQ(blocker.Sql("BEGIN"), "");
  ASSERT_EQ(blocker.Sql("SELECT id FROM tasks WHERE id = '" + held->task_id + "' FOR UPDATE"), held->task_id);
  auto cancel = std::async(std::launch::async, [&] { return a_->CancelTask(held->task_id, "k-a", "closed", kT0); });
  ASSERT_EQ(cancel.wait_for(milliseconds(300)), std::future_status::timeout) << "A's write is not stalled";

  // B's write commits meanwhile: nothing cluster-wide is held by A.
  const auto started = std::chrono::steady_clock::now();
  auto other = b_->RecordDecision(Decision("i-other"), HoldTask(), {}, kT0);
  ASSERT_THAT(other, IsOk());
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(2));
  EXPECT_EQ(cancel.wait_for(milliseconds(0)), std::future_status::timeout);

  ASSERT_EQ(blocker.Sql("ROLLBACK"), "");
  ASSERT_THAT(cancel.get(), IsOk());
  const audit::VerifySummary v = Verify(*a_);
  EXPECT_TRUE(v.ok()) << v.detail << " at seq " << v.first_bad_seq;
  EXPECT_EQ(v.last_seq, v.records_checked);
  EXPECT_EQ(admin_->Count("audit_pending"), 0);
  EXPECT_EQ(admin_->Count("audit WHERE kind = 'task_cancelled'"), 1);
  EXPECT_EQ(admin_->Count("audit WHERE kind = 'task_created'"), 2);
}

TEST_F(AuditSealerTest, RecordsWaitForAnOlderOpenTransactionThenJoinTheChainInOrder) {
  RawSession writer(schema_);
  ASSERT_EQ(writer.Sql("BEGIN"), "");
  ASSERT_EQ(writer.Sql(QueueSql("older_open")), "");
  ASSERT_THAT(b_->RecordDecision(Decision("i-1"), std::nullopt, {}, kT0), IsOk());
  std::this_thread::sleep_for(milliseconds(300));
  // B's records committed after the raw transaction started: sealing them
  // now could put them ahead of a record that commits later.
  EXPECT_EQ(admin_->Count("audit"), 0);
  EXPECT_GT(admin_->Count("audit_pending"), 0);

  ASSERT_EQ(writer.Sql("COMMIT"), "");
  auto head = a_->GetAuditHead();
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(head->seq, admin_->Count("audit"));
  EXPECT_EQ(admin_->Count("audit_pending"), 0);
  EXPECT_EQ(admin_->Sql("SELECT seq FROM audit WHERE kind = 'older_open'"), "1") << "insertion order";
  const audit::VerifySummary v = Verify(*b_);
  EXPECT_TRUE(v.ok()) << v.detail << " at seq " << v.first_bad_seq;
  EXPECT_EQ(v.last_seq, v.records_checked);
}

TEST_F(AuditSealerTest, ARolledBackTransactionLeavesNoGap) {
  RawSession writer(schema_);
  ASSERT_EQ(writer.Sql("BEGIN"), "");
  ASSERT_EQ(writer.Sql(QueueSql("rolled_back")), "");
  ASSERT_THAT(a_->RecordDecision(Decision("i-1"), std::nullopt, {}, kT0), IsOk());
  ASSERT_EQ(writer.Sql("ROLLBACK"), "");
  ASSERT_THAT(b_->RecordDecision(Decision("i-2"), std::nullopt, {}, kT0), IsOk());

  auto head = b_->GetAuditHead();
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(admin_->Count("audit WHERE kind = 'rolled_back'"), 0);
  EXPECT_EQ(admin_->Sql("SELECT max(seq) - min(seq) + 1 = count(*) FROM audit"), "t");
  EXPECT_EQ(head->seq, admin_->Count("audit"));
  const audit::VerifySummary v = Verify(*a_);
  EXPECT_TRUE(v.ok()) << v.detail << " at seq " << v.first_bad_seq;
  EXPECT_EQ(v.last_seq, v.records_checked);
}

TEST_F(AuditSealerTest, RecordsADeadNodeCommittedAreSealedByAnIdleNode) {
  // What a node leaves when it dies between its commit and its seal.
  ASSERT_EQ(admin_->Sql(QueueSql("left_behind")), "");
  // No read, no write here: the nodes' sealers find it on their idle poll.
  const auto deadline = std::chrono::steady_clock::now() + seconds(3);
  while (admin_->Count("audit_pending") > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(admin_->Count("audit_pending"), 0);
  EXPECT_EQ(admin_->Count("audit WHERE kind = 'left_behind'"), 1);
}

TEST_F(AuditSealerTest, OnlyTheHolderOfTheSealerLockSeals) {
  RawSession sealer(schema_);
  ASSERT_EQ(sealer.Sql("BEGIN"), "");
  ASSERT_EQ(sealer.Sql("SELECT pg_advisory_xact_lock(hashtext('hitlgate.audit_sealer'), "
                       "hashtext(current_schema()))::text"),
            "");
  ASSERT_THAT(a_->RecordDecision(Decision("i-1"), std::nullopt, {}, kT0), IsOk());
  ASSERT_THAT(b_->RecordDecision(Decision("i-2"), std::nullopt, {}, kT0), IsOk());
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(admin_->Count("audit"), 0) << "a node sealed while another sealer held the lock";
  EXPECT_EQ(admin_->Count("audit_pending"), 2) << "one event record per decision";

  ASSERT_EQ(sealer.Sql("ROLLBACK"), "");
  auto head = a_->GetAuditHead();
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(head->seq, 2);
  const audit::VerifySummary v = Verify(*b_);
  EXPECT_TRUE(v.ok()) << v.detail << " at seq " << v.first_bad_seq;
  EXPECT_EQ(v.last_seq, v.records_checked);
}

TEST_F(AuditSealerTest, AnotherNodeReadsARecordRightAfterItsWrite) {
  auto written = a_->RecordDecision(Decision("i-1"), HoldTask(), {}, kT0);
  ASSERT_THAT(written, IsOk());
  // No wait: B's read seals what committed before it (a receipt lookup or a
  // checkpoint on another node relies on this).
  auto read = b_->ReadAudit(1, 100);
  ASSERT_THAT(read, IsOk());
  ASSERT_EQ(read->size(), 2u);  // the event and its task
  EXPECT_EQ(read->back().kind, "task_created");
  EXPECT_EQ(read->back().subject, written->task_id);

  // AppendAudit answers with the record as sealed on the chain.
  auto appended = b_->AppendAudit({{"key_used", "k-1", "k-1", "{}"}}, kT0);
  ASSERT_THAT(appended, IsOk());
  ASSERT_EQ(appended->size(), 1u);
  EXPECT_EQ(appended->front().seq, 3);
  auto stored = a_->ReadAudit(3, 1);
  ASSERT_THAT(stored, IsOk());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(stored->front(), appended->front());
  EXPECT_EQ(stored->front().prev_hash, read->back().hash);
}

}  // namespace
}  // namespace hitlgate::store
