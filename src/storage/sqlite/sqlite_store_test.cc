// SqliteStore: the conformance suite, plus what only a real database has:
// persistence across reopen, schema versions, group commit, and savepoint
// isolation inside a batch.
#include "hitlgate/store/sqlite_store.h"
#include "storage/sqlite/raw_sql_testing.h"
#include "storage/packed_json.h"
#include "storage/sqlite/schema.h"

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "hitlgate/audit/verifier.h"
#include "hitlgate/store/audit_source.h"
#include "store/held_refund_records.h"
#include "store/migrated_rows.h"
#include "store/store_conformance.h"
#include "testing/result_matchers.h"

namespace hitlgate::store {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsOk;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

namespace fs = std::filesystem;
using testing::ExecRaw;
using testing::QueryRaw;

// One scratch directory per test process, removed at exit.
const fs::path& ScratchDir() {
  static const fs::path dir = [] {
    const char* base = std::getenv("TEST_TMPDIR");
    std::string tmpl = (fs::path(base ? base : "/tmp") / "hitlgate-sqlite-XXXXXX").string();
    char* made = ::mkdtemp(tmpl.data());
    if (made == nullptr) std::abort();  // no scratch space: the test cannot run at all
    fs::path p(made);
    std::atexit([] { std::error_code ec; fs::remove_all(ScratchDir(), ec); });
    return p;
  }();
  return dir;
}

std::string NewDbPath() {
  static std::atomic<int> n{0};
  return (ScratchDir() / ("store-" + std::to_string(n++) + ".db")).string();
}

std::unique_ptr<Store> OpenFresh(IdGenerator* ids) {
  auto s = SqliteStore::Open(NewDbPath(), {.ids = ids});
  if (!s) {
    ADD_FAILURE() << s.error().ToString();
    return nullptr;
  }
  return std::move(*s);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
                         ::testing::Values(StoreFactory{"sqlite", OpenFresh}),
                         [](const auto& param_info) { return param_info.param.name; });

const TimePoint kT0 = TimePoint(std::chrono::duration_cast<Duration>(seconds(1'795'000'000)));

// Every interaction here is customer c-1's (the migration tests select by it).
DecisionRecord Decision(const std::string& iid, const std::string& event_id) {
  DecisionRecord d = testing::HeldRefundDecision(iid, kT0);
  d.event_id = event_id;
  d.customer_id = "c-1";
  return d;
}

NewTask HoldTask() {
  NewTask t;
  t.queue = "billing";
  t.skills = {"billing"};
  t.language = "de";
  t.priority = 2;
  t.created_at = kT0;
  t.due_at = kT0 + minutes(15);
  t.hold_notice_at = kT0 + seconds(30);
  t.context_json = R"({"proposal":"refund"})";
  return t;
}

audit::VerifySummary VerifyStore(Store& s) {
  auto head = s.GetAuditHead().value();
  StoreAuditSource src(&s);
  return audit::VerifyChain(src, {.expected_head = audit::ChainPoint{head.seq, head.hash}});
}

TEST(SqliteStoreTest, ReopenPersistsEverything) {
  const std::string path = NewDbPath();
  SequentialIdGenerator ids;
  std::string task_id;
  Task answered;
  audit::ChainPoint head;
  {
    auto s = SqliteStore::Open(path, {.ids = &ids}).value();
    task_id = s->RecordDecision(Decision("i-1", "e-1"), HoldTask(), {}, kT0).value().task_id;
    s->RecordDecision(Decision("i-1", "e-2"), HoldTask(), {}, kT0).value();
    ClaimRequest r{.reviewer = "r1", .skills = {"billing"}, .languages = {"de"}, .now = kT0};
    auto t = s->Claim(task_id, r).value();
    Verdict v{.kind = VerdictKind::kRejected, .reviewer = "r1", .reason = "risky",
              .customer_message = "A colleague will call."};
    answered = s->SubmitVerdict(task_id, t.lease->lease_id, v, kT0 + minutes(1),
                                {.outbox = {{.workflow = "refunds", .url = "https://h",
                                             .event_type = "task.answered",
                                             .payload_json = "{}"}}})
                   .value();
    s->SavePolicyVersion({"sha256:v1", "p", "rules: []\n", "admin", kT0}).value();
    s->ActivatePolicy("sha256:v1", "admin", kT0).value();
    s->CreateKey({.key_id = "k-1", .secret_hash = "h", .name = "n", .role = Role::kSupervisor,
                  .skills = {"a", "b"}, .created_at = kT0})
        .value();
    s->UpsertWebhook({"refunds", "https://h", "sec", kT0}, "admin").value();
    auto h = s->GetAuditHead().value();
    head = {h.seq, h.hash};
  }
  auto s = SqliteStore::Open(path, {.ids = &ids}).value();
  EXPECT_EQ(s->GetTask(task_id).value(), answered);
  auto dup = s->RecordDecision(Decision("i-1", "e-1"), HoldTask(), {}, kT0);
  ASSERT_THAT(dup, IsOk());
  EXPECT_TRUE(dup->duplicate) << "idempotency survives a restart";
  EXPECT_EQ(s->GetInteraction("i-1").value().decisions.size(), 2u);
  EXPECT_EQ(s->GetActivePolicy().value().policy.version, "sha256:v1");
  EXPECT_EQ(s->FindKey("k-1").value().skills, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s->ListWebhooks().value().size(), 1u);
  EXPECT_EQ(s->NextDeliveries(kT0 + hours(1), 10, minutes(1)).value().size(), 1u);
  auto h = s->GetAuditHead().value();
  EXPECT_EQ(h.seq, head.seq);
  EXPECT_EQ(h.hash, head.hash);
  // The chain continues where it stopped.
  s->AppendAudit({{"key_used", "k-1", "x", "{}"}}, kT0 + hours(1)).value();
  auto summary = VerifyStore(*s);
  EXPECT_TRUE(summary.ok()) << summary.detail;
  EXPECT_EQ(summary.records_checked, head.seq + 1);
}

TEST(SqliteStoreTest, GroupCommitSharesTransactionsAmongConcurrentCallers) {
  SequentialIdGenerator ids;
  auto s = SqliteStore::Open(NewDbPath(), {.ids = &ids}).value();
  constexpr int kThreads = 16;
  constexpr int kEach = 40;
  const std::int64_t before = s->TransactionCountForTest();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int th = 0; th < kThreads; ++th) {
    threads.emplace_back([&, th] {
      for (int i = 0; i < kEach; ++i) {
        std::string id = std::to_string(th) + "-" + std::to_string(i);
        if (!s->RecordDecision(Decision("i-" + id, "e-" + id), HoldTask(), {}, kT0)) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  const std::int64_t txns = s->TransactionCountForTest() - before;
  EXPECT_LT(txns, kThreads * kEach) << "every call paid its own commit";
  EXPECT_EQ(s->WriteOpCountForTest(), kThreads * kEach);
  std::cout << "group commit: " << kThreads * kEach << " writes in " << txns
            << " transactions\n";
  EXPECT_EQ(s->ListTasks({.limit = 10000}).value().size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_TRUE(VerifyStore(*s).ok());
}

// Always the same id: the second task insert collides after its decision row
// was written, so the savepoint must take that row back, and only that.
class FixedIdGenerator final : public IdGenerator {
 public:
  std::string NewId(std::string_view prefix) override { return std::string(prefix) + "-fixed"; }
};

TEST(SqliteStoreTest, AFailedCallInABatchRollsBackOnlyItself) {
  FixedIdGenerator ids;
  auto s = SqliteStore::Open(NewDbPath(), {.ids = &ids}).value();
  ASSERT_THAT(s->RecordDecision(Decision("i-0", "e-0"), HoldTask(), {}, kT0), IsOk());
  const std::int64_t head = s->GetAuditHead().value().seq;
  std::atomic<int> ok{0}, exists{0};
  std::vector<std::thread> threads;
  for (int th = 0; th < 16; ++th) {
    threads.emplace_back([&, th] {
      std::string id = std::to_string(th);
      // Even threads open a task (collides), odd ones only record.
      auto task = th % 2 == 0 ? std::optional<NewTask>(HoldTask()) : std::nullopt;
      auto r = s->RecordDecision(Decision("j-" + id, "e-j" + id), task, {}, kT0);
      if (r) ++ok;
      if (!r && r.error().code() == ErrorCode::kAlreadyExists) ++exists;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(exists.load(), 8);
  for (int th = 0; th < 16; ++th) {
    auto i = s->GetInteraction("j-" + std::to_string(th));
    if (th % 2 == 0) {
      EXPECT_THAT(i, IsError(ErrorCode::kNotFound)) << "half-written decision " << th;
    } else {
      EXPECT_THAT(i, IsOk());
    }
  }
  EXPECT_EQ(s->GetAuditHead().value().seq, head + 8) << "one event record per successful call";
  EXPECT_TRUE(VerifyStore(*s).ok());
}

TEST(SqliteStoreTest, SchemaVersionIsRecordedAndNewerSchemasRefused) {
  const std::string path = NewDbPath();
  SequentialIdGenerator ids;
  { ASSERT_THAT(SqliteStore::Open(path, {.ids = &ids}), IsOk()); }
  { ASSERT_THAT(SqliteStore::Open(path, {.ids = &ids}), IsOk()) << "reopen migrates nothing"; }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT MAX(version), COUNT(*) FROM schema_version", -1, &st,
                               nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), sqlite::kSchemaVersion);
  EXPECT_EQ(sqlite3_column_int(st, 1), sqlite::kSchemaVersion);  // one row per migration
  sqlite3_finalize(st);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_version(version) VALUES(99)", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_THAT(SqliteStore::Open(path, {.ids = &ids}), IsError(ErrorCode::kFailedPrecondition));
}

TEST(SqliteStoreTest, OpenRejectsWhatIsNotADatabase) {
  const std::string path = NewDbPath();
  std::ofstream(path) << "this is not a database, just some text that is long enough........";
  SequentialIdGenerator ids;
  EXPECT_THAT(SqliteStore::Open(path, {.ids = &ids}), IsError(ErrorCode::kDataLoss));
  EXPECT_THAT(SqliteStore::Open(NewDbPath(), {}), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(SqliteStore::Open("/nonexistent-dir/x.db", {.ids = &ids}),
              IsError(ErrorCode::kUnavailable));
}

TEST(SqliteStoreTest, EventAnswerAndContextAreStoredPackedAndReadBackExactly) {
  const std::string path = NewDbPath();
  SequentialIdGenerator ids;
  auto s = SqliteStore::Open(path, {.ids = &ids}).value();
  auto task_id = s->RecordDecision(Decision("i-1", "e-1"), HoldTask(), {}, kT0).value().task_id;
  auto got = s->GetInteraction("i-1").value();
  ASSERT_EQ(got.decisions.size(), 1u);
  EXPECT_EQ(got.decisions[0].record.event_json, R"({"text":"x"})");
  EXPECT_EQ(got.decisions[0].record.decision_json, R"({"outcome":"hold"})");
  EXPECT_EQ(s->GetTask(task_id).value().context_json, R"({"proposal":"refund"})");
  EXPECT_EQ(QueryRaw(path, "SELECT typeof(event_json) || typeof(decision_json) FROM decisions"),
            "blobblob");
  EXPECT_EQ(QueryRaw(path, "SELECT typeof(context_packed) || '/' || context_json FROM tasks"), "blob/");
  // A retry of the same event is answered from the packed row.
  auto again = s->RecordDecision(Decision("i-1", "e-1"), HoldTask(), {}, kT0).value();
  EXPECT_TRUE(again.duplicate);
  ASSERT_TRUE(again.first.has_value());
  EXPECT_EQ(again.first->answer_json, R"({"outcome":"hold"})");
}

TEST(SqliteStoreTest, DamagedPackedRowReadsAsDataLoss) {
  const std::string path = NewDbPath();
  SequentialIdGenerator ids;
  auto s = SqliteStore::Open(path, {.ids = &ids}).value();
  s->RecordDecision(Decision("i-1", "e-1"), std::nullopt, {}, kT0).value();
  ExecRaw(path, "UPDATE decisions SET decision_json = X'01FFFFFF'");
  EXPECT_THAT(s->GetInteraction("i-1"), IsError(ErrorCode::kDataLoss));
}

// An SQL BLOB literal of `bytes`.
std::string BlobLiteral(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "X'";
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out + "'";
}

TEST(SqliteStoreTest, EventAnswerAndContextArePrimedWithTheirRowAndOldFormatRowsStillRead) {
  const std::string path = NewDbPath();
  SequentialIdGenerator ids;
  auto s = SqliteStore::Open(path, {.ids = &ids}).value();
  // HoldTask() leaves the task id to the store: the answer is primed with it.
  const std::string task_id = s->RecordDecision(Decision("i-1", "e-1"), HoldTask(), {}, kT0).value().task_id;
  s->RecordDecision(Decision("i-1", "e-2"), std::nullopt, {}, kT0).value();
  EXPECT_EQ(QueryRaw(path, "SELECT group_concat(hex(substr(event_json, 1, 1)) || hex(substr(decision_json, 1, 1)))"
                           " FROM decisions"),
            "0303,0303");
  EXPECT_EQ(QueryRaw(path, "SELECT hex(substr(context_packed, 1, 1)) FROM tasks"), "03");
  EXPECT_EQ(s->GetTask(task_id).value().context_json, R"({"proposal":"refund"})");
  ExecRaw(path, "UPDATE tasks SET context_packed = " + BlobLiteral(internal::PackJson(R"({"proposal":"old"})")));
  EXPECT_EQ(s->GetTask(task_id).value().context_json, R"({"proposal":"old"})");
  // Rows packed before the primed format (0x01) read as they are.
  ExecRaw(path, "UPDATE decisions SET event_json = " + BlobLiteral(internal::PackJson(R"({"text":"old"})")) +
                    ", decision_json = " + BlobLiteral(internal::PackJson(R"({"outcome":"old"})")) +
                    " WHERE event_id = 'e-2'");
  auto got = s->GetInteraction("i-1").value();
  ASSERT_EQ(got.decisions.size(), 2u);
  EXPECT_EQ(got.decisions[0].record.event_json, R"({"text":"x"})");
  EXPECT_EQ(got.decisions[0].record.decision_json, R"({"outcome":"hold"})");
  EXPECT_EQ(got.decisions[1].record.event_json, R"({"text":"old"})");
  EXPECT_EQ(got.decisions[1].record.decision_json, R"({"outcome":"old"})");
  auto again = s->RecordDecision(Decision("i-1", "e-1"), HoldTask(), {}, kT0).value();
  ASSERT_TRUE(again.first.has_value());
  EXPECT_EQ(again.first->event_json, R"({"text":"x"})");
  EXPECT_EQ(again.first->answer_json, R"({"outcome":"hold"})");
}

// A primed value read against a row whose columns are not the ones it was
// packed with (here a changed channel) is refused, not read as other bytes.
TEST(SqliteStoreTest, PrimedValueOfAChangedOrDamagedRowReadsAsDataLoss) {
  const std::string path = NewDbPath();
  SequentialIdGenerator ids;
  auto s = SqliteStore::Open(path, {.ids = &ids}).value();
  s->RecordDecision(Decision("i-1", "e-1"), std::nullopt, {}, kT0).value();
  s->RecordDecision(Decision("i-2", "e-2"), std::nullopt, {}, kT0).value();
  ExecRaw(path, "UPDATE decisions SET channel = channel || 'x' WHERE event_id = 'e-1'");
  EXPECT_THAT(s->GetInteraction("i-1"), IsError(ErrorCode::kDataLoss));
  ExecRaw(path, "UPDATE decisions SET decision_json = substr(decision_json, 1, length(decision_json) - 1) "
                "WHERE event_id = 'e-2'");
  EXPECT_THAT(s->GetInteraction("i-2"), IsError(ErrorCode::kDataLoss));
}

// A database written before migration 10 holds its JSON as TEXT; opening it
// packs every row, keeps erased text the plain marker data protection looks
// for, and leaves the audit chain as it was.
TEST(SqliteStoreTest, MigrationTenPacksTheJsonOfADatabaseMadeBeforeIt) {
  const std::string path = NewDbPath();
  SequentialIdGenerator ids;
  std::string task_id;
  audit::ChainPoint head_before;
  std::vector<audit::AuditRecord> records_before;
  {
    auto s = SqliteStore::Open(path, {.ids = &ids}).value();
    task_id = s->RecordDecision(Decision("i-1", "e-1"), HoldTask(), {}, kT0).value().task_id;
    auto other = Decision("i-2", "e-2");
    other.customer_id = "c-2";
    s->RecordDecision(other, std::nullopt, {}, kT0).value();
    ASSERT_THAT(s->EraseCustomer({.customer_id = "c-2", .pseudonym = "p-2", .actor = "admin",
                                  .now = kT0 + minutes(1)}),
                IsOk());
    auto head = s->GetAuditHead().value();
    head_before = {head.seq, head.hash};
    records_before = s->ReadAudit(1, 1000).value();
  }
  // What schema 9 wrote: the same rows with their JSON, audit payloads and
  // hashes as TEXT.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE audit SET payload_json = ?1, prev_hash = ?2, hash = ?3 "
                                 "WHERE seq = ?4", -1, &st, nullptr),
              SQLITE_OK);
    auto bind = [&](int i, const std::string& text) {
      sqlite3_bind_text(st, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    };
    for (const auto& r : records_before) {
      bind(1, r.payload_json);
      bind(2, r.prev_hash);
      bind(3, r.hash);
      sqlite3_bind_int64(st, 4, r.seq);
      ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
      sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  ExecRaw(path,
          "UPDATE decisions SET event_json = '{\"text\":\"x\"}', "
          "decision_json = '{\"outcome\":\"hold\"}' WHERE customer_id = 'c-1';"
          "UPDATE decisions SET decision_json = '{\"outcome\":\"hold\"}' WHERE customer_id = 'p-2';"
          "UPDATE tasks SET context_json = '{\"proposal\":\"refund\"}';"
          "ALTER TABLE tasks DROP COLUMN context_packed;"
          // Schema 9 had no policy_refs: the version itself in each row.
          "UPDATE decisions SET policy_version = (SELECT version FROM policy_refs "
          "WHERE id = decisions.policy_version);"
          "DROP TABLE policy_refs;"
          "DELETE FROM schema_version WHERE version >= 10;");
  ASSERT_EQ(QueryRaw(path, "SELECT typeof(decision_json) FROM decisions WHERE customer_id = 'c-1'"),
            "text");
  ASSERT_EQ(QueryRaw(path, "SELECT COUNT(*) FROM audit WHERE typeof(hash) = 'blob'"), "0");
  auto s = SqliteStore::Open(path, {.ids = &ids}).value();
  EXPECT_EQ(QueryRaw(path, "SELECT MAX(version) FROM schema_version"), "12");
  EXPECT_EQ(QueryRaw(path, "SELECT COUNT(*) FROM decisions WHERE typeof(decision_json) = 'text'"), "0");
  EXPECT_EQ(QueryRaw(path, "SELECT typeof(event_json) FROM decisions WHERE customer_id = 'c-1'"), "blob");
  EXPECT_EQ(QueryRaw(path, "SELECT event_json FROM decisions WHERE customer_id = 'p-2'"),
            std::string(kErasedJson))
      << "erased text stays the marker data protection compares against";
  EXPECT_EQ(QueryRaw(path, "SELECT typeof(context_json) FROM tasks"), "blob");
  ExpectMigratedRowsReadBack(*s, task_id, head_before.seq, head_before.hash);
  EXPECT_EQ(QueryRaw(path, "SELECT COUNT(*) FROM audit WHERE typeof(payload_json) != 'blob' "
                           "OR typeof(prev_hash) != 'blob' OR typeof(hash) != 'blob'"),
            "0");
  EXPECT_EQ(QueryRaw(path, "SELECT MIN(length(hash)) || '/' || MAX(length(hash)) FROM audit"), "32/32");
  auto records = s->ReadAudit(1, 1000).value();
  ASSERT_EQ(records.size(), records_before.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].payload_json, records_before[i].payload_json) << "seq " << records[i].seq;
    EXPECT_EQ(records[i].prev_hash, records_before[i].prev_hash) << "seq " << records[i].seq;
    EXPECT_EQ(records[i].hash, records_before[i].hash) << "seq " << records[i].seq;
  }
  EXPECT_TRUE(VerifyStore(*s).ok());
}

// A database written before migration 11 holds each decision's policy version
// and event digest as text; opening it moves the versions to policy_refs and
// the digests to 32-byte BLOBs, and every row reads back as before.
TEST(SqliteStoreTest, MigrationElevenStoresPolicyVersionsByReferenceAndDigestsAsBlobs) {
  const std::string path = NewDbPath();
  const std::string digest(64, 'a');
  SequentialIdGenerator ids;
  std::vector<StoredDecision> before;
  {
    auto s = SqliteStore::Open(path, {.ids = &ids}).value();
    auto first = Decision("i-1", "e-1");
    first.event_digest = digest;
    s->RecordDecision(first, HoldTask(), {}, kT0).value();
    auto second = Decision("i-1", "e-2");
    second.policy_version = "sha256:v2";
    s->RecordDecision(second, std::nullopt, {}, kT0).value();
    before = s->GetInteraction("i-1").value().decisions;
  }
  // What schema 10 wrote: the version and the digest as text in each row.
  ExecRaw(path,
          "UPDATE decisions SET policy_version = (SELECT version FROM policy_refs "
          "WHERE id = decisions.policy_version), event_digest = CASE typeof(event_digest) "
          "WHEN 'blob' THEN lower(hex(event_digest)) ELSE event_digest END;"
          "DROP TABLE policy_refs;"
          "UPDATE tasks SET context_json = context_packed;"
          "ALTER TABLE tasks DROP COLUMN context_packed;"
          "DELETE FROM schema_version WHERE version >= 11;");
  ASSERT_EQ(QueryRaw(path, "SELECT group_concat(policy_version || '/' || event_digest, ' ') FROM "
                           "(SELECT * FROM decisions ORDER BY seq)"),
            "sha256:v1/" + digest + " sha256:v2/");

  auto s = SqliteStore::Open(path, {.ids = &ids}).value();
  EXPECT_EQ(QueryRaw(path, "SELECT MAX(version) FROM schema_version"), "12");
  EXPECT_EQ(QueryRaw(path, "SELECT group_concat(id || '=' || version, ' ') FROM policy_refs"),
            "1=sha256:v1 2=sha256:v2");
  EXPECT_EQ(QueryRaw(path, "SELECT group_concat(policy_version || '/' || typeof(event_digest) || "
                           "length(event_digest), ' ') FROM (SELECT * FROM decisions ORDER BY seq)"),
            "1/blob32 2/text0")
      << "a row from before digests were kept keeps ''";
  auto after = s->GetInteraction("i-1").value().decisions;
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].record.policy_version, before[i].record.policy_version);
    EXPECT_EQ(after[i].record.event_json, before[i].record.event_json);
  }
  EXPECT_EQ(after[0].record.policy_version, "sha256:v1");
  // A retry reads the digest back as hex, so an identical retry is answered
  // as a duplicate.
  auto retry = Decision("i-1", "e-1");
  retry.event_digest = digest;
  auto again = s->RecordDecision(retry, HoldTask(), {}, kT0 + minutes(1));
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->duplicate);
  ASSERT_TRUE(again->first.has_value());
  EXPECT_EQ(again->first->event_digest, digest);
  // New rows reuse the version's reference.
  auto third = Decision("i-1", "e-3");
  s->RecordDecision(third, std::nullopt, {}, kT0).value();
  EXPECT_EQ(QueryRaw(path, "SELECT COUNT(*) FROM policy_refs"), "2");
  EXPECT_EQ(s->GetInteraction("i-1").value().decisions.back().record.policy_version, "sha256:v1");
  EXPECT_TRUE(VerifyStore(*s).ok());
}

// A database written before migration 12 keeps a task's packed context in
// context_json. Opening it rewrites nothing; the task reads back from there,
// its next write moves the context to context_packed, and erasing the
// customer leaves the context in neither column.
TEST(SqliteStoreTest, MigrationTwelveReadsOldContextsAndMovesThemOnTheirNextWrite) {
  const std::string path = NewDbPath();
  SequentialIdGenerator ids;
  std::string moved;
  std::string kept;
  {
    auto s = SqliteStore::Open(path, {.ids = &ids}).value();
    moved = s->RecordDecision(Decision("i-1", "e-1"), HoldTask(), {}, kT0).value().task_id;
    kept = s->RecordDecision(Decision("i-2", "e-2"), HoldTask(), {}, kT0).value().task_id;
    ASSERT_THAT(s->CancelTask(kept, "admin", "duplicate", kT0), IsOk());
  }
  // What schema 11 wrote: the packed context in context_json.
  ExecRaw(path,
          "UPDATE tasks SET context_json = context_packed;"
          "ALTER TABLE tasks DROP COLUMN context_packed;"
          "DELETE FROM schema_version WHERE version >= 12;");
  auto s = SqliteStore::Open(path, {.ids = &ids}).value();
  EXPECT_EQ(QueryRaw(path, "SELECT MAX(version) FROM schema_version"), "12");
  EXPECT_EQ(QueryRaw(path, "SELECT COUNT(*) FROM tasks WHERE context_packed IS NULL AND "
                           "typeof(context_json) = 'blob'"),
            "2");
  EXPECT_EQ(s->GetTask(moved).value().context_json, R"({"proposal":"refund"})");
  ClaimRequest claim{.reviewer = "rev", .skills = {"billing"}, .now = kT0, .lease_ttl = minutes(5)};
  ASSERT_THAT(s->Claim(moved, claim), IsOk());
  EXPECT_EQ(QueryRaw(path, "SELECT typeof(context_packed) || '/' || context_json FROM tasks WHERE id = '" +
                               moved + "'"),
            "blob/");
  EXPECT_EQ(s->GetTask(moved).value().context_json, R"({"proposal":"refund"})");
  EXPECT_EQ(QueryRaw(path, "SELECT typeof(context_json) FROM tasks WHERE id = '" + kept + "'"), "blob");
  ASSERT_THAT(s->CancelTask(moved, "admin", "duplicate", kT0), IsOk());
  ASSERT_THAT(s->EraseCustomer({.customer_id = "c-1", .pseudonym = "p-1", .actor = "admin",
                                .now = kT0 + minutes(1)}),
              IsOk());
  EXPECT_EQ(QueryRaw(path, "SELECT COUNT(*) FROM tasks WHERE context_json != '' OR context_packed IS NULL"),
            "0")
      << "every task's old context_json was cleared";
  EXPECT_EQ(s->GetTask(kept).value().context_json, kErasedJson);
}

TEST(SqliteStoreTest, AuditRowsAreStoredPackedAndAChangedHashIsStillCaught) {
  const std::string path = NewDbPath();
  SequentialIdGenerator ids;
  {
    auto s = SqliteStore::Open(path, {.ids = &ids}).value();
    s->RecordDecision(Decision("i-1", "e-1"), HoldTask(), {}, kT0).value();
    s->RecordDecision(Decision("i-1", "e-2"), std::nullopt, {}, kT0).value();
    EXPECT_TRUE(VerifyStore(*s).ok());
  }
  EXPECT_EQ(QueryRaw(path, "SELECT COUNT(*) FROM audit WHERE typeof(payload_json) != 'blob' "
                           "OR length(hash) != 32 "
                           // The first link in full, the others "row seq - 1's hash".
                           "OR length(prev_hash) != CASE WHEN seq = 1 THEN 32 ELSE 0 END"),
            "0");
  // Record 2's stored hash replaced: it no longer matches its contents.
  ExecRaw(path, "UPDATE audit SET hash = zeroblob(32) WHERE seq = 2");
  auto s = SqliteStore::Open(path, {.ids = &ids}).value();
  auto summary = VerifyStore(*s);
  EXPECT_EQ(summary.problem, audit::Problem::kChanged);
  EXPECT_EQ(summary.first_bad_seq, 2);
}

TEST(SqliteStoreTest, TamperedAuditRowIsCaughtByTheVerifier) {
  const std::string path = NewDbPath();
  SequentialIdGenerator ids;
  {
    auto s = SqliteStore::Open(path, {.ids = &ids}).value();
    for (int i = 0; i < 5; ++i) {
      s->AppendAudit({{"key_used", "k", std::to_string(i), "{}"}}, kT0).value();
    }
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE audit SET actor = 'k-evil' WHERE seq = 3", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto s = SqliteStore::Open(path, {.ids = &ids}).value();
  auto summary = VerifyStore(*s);
  EXPECT_EQ(summary.problem, audit::Problem::kChanged);
  EXPECT_EQ(summary.first_bad_seq, 3);
}

}  // namespace
}  // namespace hitlgate::store
