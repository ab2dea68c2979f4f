// SQLite's audit links in their short form: a new row stores a zero-length
// BLOB in prev_hash, meaning "the hash of row seq - 1" (docs/audit-format.md,
// "Storage form"). Readers get the full link back; rows tampered with in
// that form are still caught and located by the verifier (`audit verify`
// runs the same VerifyChain over the same StoreAuditSource); a purge keeps
// the first kept link in full; rows in the old forms read as before beside
// new ones.
#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "hitlgate/audit/verifier.h"
#include "hitlgate/store/audit_source.h"
#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/sqlite_store.h"
#include "storage/sqlite/raw_sql_testing.h"
#include "testing/result_matchers.h"

namespace hitlgate::store {
namespace {

using ::hitlgate::testing::IsOk;
using std::chrono::hours;

namespace fs = std::filesystem;
using testing::ExecRaw;
using testing::QueryRaw;

const TimePoint kT0 = TimePoint(std::chrono::duration_cast<Duration>(std::chrono::seconds(1'795'000'000)));

std::string NewDbPath() {
  static const fs::path dir = [] {
    const char* base = std::getenv("TEST_TMPDIR");
    std::string tmpl = (fs::path(base ? base : "/tmp") / "hitlgate-links-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();  // no scratch space: nothing can run
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(dir, ec);
    });
    return fs::path(tmpl);
  }();
  static int n = 0;
  return (dir / ("links-" + std::to_string(n++) + ".db")).string();
}

std::unique_ptr<SqliteStore> Open(const std::string& path) {
  static SequentialIdGenerator ids;  // the audit log takes no ids; Open requires a generator
  return SqliteStore::Open(path, {.ids = &ids}).value();
}

// What `hitlgate audit verify` checks against a store.
audit::VerifySummary VerifyStore(Store& s) {
  auto head = s.GetAuditHead().value();
  StoreAuditSource src(&s);
  return audit::VerifyChain(src, {.expected_head = audit::ChainPoint{head.seq, head.hash}});
}

// A database holding records 1..n, an hour apart, written in the new form.
std::string WriteChain(int n) {
  const std::string path = NewDbPath();
  auto s = Open(path);
  for (int i = 0; i < n; ++i) {
    s->AppendAudit({{"key_used", "k-" + std::to_string(i), "s", "{\"i\":" + std::to_string(i) + "}"}},
                   kT0 + hours(i))
        .value();
  }
  return path;
}

audit::VerifySummary VerifyPath(const std::string& path) {
  auto s = Open(path);
  return VerifyStore(*s);
}

TEST(SqliteAuditLinkTest, OnlyTheFirstRecordStoresItsLinkAndReadersGetEveryLinkBack) {
  const std::string path = WriteChain(6);
  EXPECT_EQ(QueryRaw(path, "SELECT group_concat(length(prev_hash), ',') FROM (SELECT prev_hash FROM audit "
                           "ORDER BY seq)"),
            "32,0,0,0,0,0");
  EXPECT_EQ(QueryRaw(path, "SELECT group_concat(typeof(prev_hash), ',') FROM audit"),
            "blob,blob,blob,blob,blob,blob");
  auto s = Open(path);
  auto records = s->ReadAudit(1, 100).value();
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(records[0].prev_hash, audit::kGenesisHash);
  for (size_t i = 1; i < records.size(); ++i) {
    EXPECT_EQ(records[i].prev_hash, records[i - 1].hash) << "seq " << records[i].seq;
    EXPECT_EQ(audit::ComputeHash(records[i]), records[i].hash) << "seq " << records[i].seq;
  }
  // A read that starts mid-chain still gets its first link.
  auto links = s->ReadAuditLinks(4, 2).value();
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].prev_hash, records[2].hash);
  EXPECT_EQ(links[1].prev_hash, records[3].hash);
  auto kinds = s->ReadAuditOfKinds(3, 4, {"key_used"}).value();
  ASSERT_EQ(kinds.size(), 1u);
  EXPECT_EQ(kinds[0].prev_hash, records[1].hash);
  EXPECT_TRUE(VerifyStore(*s).ok());
}

TEST(SqliteAuditLinkTest, RewrittenPayloadIsChangedAtItsRecord) {
  const std::string path = WriteChain(8);
  ExecRaw(path, "UPDATE audit SET payload_json = '{\"i\":99}' WHERE seq = 5");
  auto summary = VerifyPath(path);
  EXPECT_EQ(summary.problem, audit::Problem::kChanged);
  EXPECT_EQ(summary.first_bad_seq, 5) << summary.detail;
}

// Re-sealed over its real link, record 5 checks out by itself; record 6 was
// sealed over record 5's old hash, so its own hash fails with the link it
// now reads (the old form reported the same seq as a link that breaks).
TEST(SqliteAuditLinkTest, RewrittenAndResealedRecordIsCaughtAtTheNextOne) {
  const std::string path = WriteChain(8);
  audit::AuditRecord r;
  {
    auto s = Open(path);
    r = s->ReadAudit(5, 1).value().at(0);
  }
  r.actor = "k-evil";
  r.hash = audit::ComputeHash(r);
  ExecRaw(path, "UPDATE audit SET actor = 'k-evil', hash = X'" + r.hash + "' WHERE seq = 5");
  auto summary = VerifyPath(path);
  EXPECT_EQ(summary.problem, audit::Problem::kChanged);
  EXPECT_EQ(summary.first_bad_seq, 6) << summary.detail;
  EXPECT_EQ(summary.problems_reported, 1) << summary.detail;
}

TEST(SqliteAuditLinkTest, DeletedRecordIsRemovedAtItsSeq) {
  const std::string path = WriteChain(8);
  ExecRaw(path, "DELETE FROM audit WHERE seq = 5");
  auto summary = VerifyPath(path);
  EXPECT_EQ(summary.problem, audit::Problem::kRemoved);
  EXPECT_EQ(summary.first_bad_seq, 5) << summary.detail;
  EXPECT_EQ(summary.problems_reported, 1) << summary.detail;
}

TEST(SqliteAuditLinkTest, DeletedFirstRecordLeavesAnUnanchoredStart) {
  const std::string path = WriteChain(4);
  ExecRaw(path, "DELETE FROM audit WHERE seq = 1");
  auto summary = VerifyPath(path);
  EXPECT_EQ(summary.problem, audit::Problem::kUnanchored);
  EXPECT_EQ(summary.first_bad_seq, 2) << summary.detail;
}

TEST(SqliteAuditLinkTest, SwappedRecordsAreChangedAtTheFirst) {
  const std::string path = WriteChain(8);
  ExecRaw(path,
          "UPDATE audit SET seq = -4 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = 5;"
          "UPDATE audit SET seq = 5 WHERE seq = -4;");
  ASSERT_EQ(QueryRaw(path, "SELECT actor FROM audit WHERE seq = 4"), "k-4");
  auto summary = VerifyPath(path);
  EXPECT_EQ(summary.problem, audit::Problem::kChanged);
  EXPECT_EQ(summary.first_bad_seq, 4) << summary.detail;
}

TEST(SqliteAuditLinkTest, PurgeStoresTheFirstKeptLinkInFullAndTheChainVerifies) {
  const std::string path = WriteChain(8);
  auto s = Open(path);
  const std::string link = s->ReadAudit(4, 1).value().at(0).prev_hash;
  auto purged = s->PurgeAuditBefore(kT0 + hours(3), kT0 + hours(10), {.allow_short_retention = true});
  ASSERT_THAT(purged, IsOk());
  EXPECT_EQ(purged->first_kept_seq, 4);
  EXPECT_EQ(QueryRaw(path, "SELECT lower(hex(prev_hash)) FROM audit WHERE seq = 4"), link);
  EXPECT_EQ(QueryRaw(path, "SELECT COUNT(*) FROM audit WHERE seq > 4 AND length(prev_hash) != 0"), "0")
      << "only the first kept link is stored";
  auto records = s->ReadAudit(1, 100).value();
  ASSERT_EQ(records.front().seq, 4);
  EXPECT_EQ(records.front().prev_hash, link);
  EXPECT_TRUE(VerifyStore(*s).ok()) << VerifyStore(*s).detail;
  // Deleting the first kept record now is still caught.
  ExecRaw(path, "DELETE FROM audit WHERE seq = 4");
  auto summary = VerifyStore(*s);
  EXPECT_EQ(summary.problem, audit::Problem::kUnanchored);
  EXPECT_EQ(summary.first_bad_seq, 5) << summary.detail;
}

TEST(SqliteAuditLinkTest, PurgeOfEverythingStoresTheAnchorsLinkInFull) {
  const std::string path = WriteChain(5);
  auto s = Open(path);
  const std::string head = s->GetAuditHead().value().hash;
  auto purged = s->PurgeAuditBefore(kT0 + hours(10), kT0 + hours(10), {.allow_short_retention = true});
  ASSERT_THAT(purged, IsOk());
  EXPECT_EQ(purged->anchor_seq, 6);
  EXPECT_EQ(QueryRaw(path, "SELECT lower(hex(prev_hash)) FROM audit WHERE seq = 6"), head);
  s->AppendAudit({{"key_used", "k", "s", "{}"}}, kT0 + hours(11)).value();
  EXPECT_EQ(QueryRaw(path, "SELECT length(prev_hash) FROM audit WHERE seq = 7"), "0");
  EXPECT_TRUE(VerifyStore(*s).ok()) << VerifyStore(*s).detail;
}

// Rows written before this form (full BLOBs, migration 10; hex text,
// earlier) sit before and between new ones and read as they are.
TEST(SqliteAuditLinkTest, OldFormLinksMixedWithNewOnesVerify) {
  const std::string path = WriteChain(6);
  std::vector<audit::AuditRecord> before;
  {
    auto s = Open(path);
    before = s->ReadAudit(1, 100).value();
  }
  ExecRaw(path, "UPDATE audit SET prev_hash = X'" + before[2].prev_hash + "' WHERE seq = 3;"
                "UPDATE audit SET prev_hash = '" + before[4].prev_hash + "', hash = '" + before[4].hash +
                "' WHERE seq = 5;");
  ASSERT_EQ(QueryRaw(path, "SELECT group_concat(length(prev_hash), ',') FROM (SELECT prev_hash FROM audit "
                           "ORDER BY seq)"),
            "32,0,32,0,64,0");
  auto s = Open(path);
  s->AppendAudit({{"key_used", "k", "s", "{}"}}, kT0 + hours(7)).value();
  auto records = s->ReadAudit(1, 100).value();
  ASSERT_EQ(records.size(), 7u);
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(records[i].prev_hash, before[i].prev_hash) << "seq " << records[i].seq;
    EXPECT_EQ(records[i].hash, before[i].hash) << "seq " << records[i].seq;
  }
  EXPECT_EQ(records[6].prev_hash, before[5].hash);
  EXPECT_TRUE(VerifyStore(*s).ok()) << VerifyStore(*s).detail;
  // A deletion next to an old-form row is still located.
  ExecRaw(path, "DELETE FROM audit WHERE seq = 4");
  auto summary = VerifyStore(*s);
  EXPECT_EQ(summary.problem, audit::Problem::kRemoved);
  EXPECT_EQ(summary.first_bad_seq, 4) << summary.detail;
}

}  // namespace
}  // namespace hitlgate::store
