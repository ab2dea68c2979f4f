// The cluster's lead for once-only periodic work: one node at a time, handed
// over when the leading session ends, per schema. Needs a server
// (HITLGATE_TEST_PG_URL, scripts/pg.sh); skips without one.
#include "storage/postgres/leader_lock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/postgres_store.h"
#include "testing/result_matchers.h"

namespace hitlgate::store::postgres {
namespace {

using ::hitlgate::testing::IsOk;

// The server frees a closed session's locks when its backend exits, a few
// milliseconds after the client hung up; the gateway asks once a second.
template <typename Lead>
bool LeadsWithinASecond(Lead&& lead) {
  for (int i = 0; i < 20; ++i) {
    if (lead()) return true;
    ::usleep(50000);
  }
  return false;
}

std::string PgUrl() {
  const char* url = std::getenv("HITLGATE_TEST_PG_URL");
  return url != nullptr ? url : "";
}

class LeaderLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PgUrl().empty()) GTEST_SKIP() << "HITLGATE_TEST_PG_URL is not set: no PostgreSQL to test against";
    static int n = 0;
    schema_ = "hglead_" + std::to_string(::getpid()) + "_" + std::to_string(n++);
    auto conn = Connection::Open({PgUrl(), ""});
    ASSERT_TRUE(conn) << conn.error().ToString();
    ASSERT_THAT((*conn)->Exec("CREATE SCHEMA " + schema_), IsOk());
  }
  void TearDown() override {
    if (PgUrl().empty()) return;
    if (auto conn = Connection::Open({PgUrl(), ""})) (void)(*conn)->Exec("DROP SCHEMA " + schema_ + " CASCADE");
  }

  ConnectOptions Options() const { return {PgUrl(), schema_}; }
  std::string schema_;
};

TEST_F(LeaderLockTest, OneNodeLeadsAndKeepsTheLeadWithoutStacking) {
  LeaderLock a(Options());
  LeaderLock b(Options());
  EXPECT_EQ(a.Hold().value_or(false), true);
  EXPECT_EQ(b.Hold().value_or(true), false);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(a.Hold().value_or(false), true);
  EXPECT_EQ(b.Hold().value_or(true), false);
}

TEST_F(LeaderLockTest, TheLeadPassesWhenTheLeadingSessionEnds) {
  auto a = std::make_unique<LeaderLock>(Options());
  LeaderLock b(Options());
  ASSERT_EQ(a->Hold().value_or(false), true);
  ASSERT_EQ(b.Hold().value_or(true), false);
  a.reset();  // the node is gone: its session, and the lock, with it
  EXPECT_TRUE(LeadsWithinASecond([&] { return b.Hold().value_or(false); }));
}

TEST_F(LeaderLockTest, ClustersInOtherSchemasLeadSeparately) {
  LeaderLock a(Options());
  ASSERT_EQ(a.Hold().value_or(false), true);
  const std::string other = schema_ + "_b";
  {
    auto conn = Connection::Open({PgUrl(), ""});
    ASSERT_TRUE(conn);
    ASSERT_THAT((*conn)->Exec("CREATE SCHEMA " + other), IsOk());
  }
  {
    LeaderLock b({PgUrl(), other});
    EXPECT_EQ(b.Hold().value_or(false), true);
  }
  if (auto conn = Connection::Open({PgUrl(), ""})) (void)(*conn)->Exec("DROP SCHEMA " + other + " CASCADE");
}

TEST_F(LeaderLockTest, OfTwoStoresOnOneSchemaExactlyOneLeads) {
  SequentialIdGenerator ids_a(1), ids_b(1000000);
  auto a = PostgresStore::Open(PgUrl(), {.ids = &ids_a, .schema = schema_});
  auto b = PostgresStore::Open(PgUrl(), {.ids = &ids_b, .schema = schema_});
  ASSERT_TRUE(a && b);
  const bool a_leads = (*a)->LeadPeriodicWork().value_or(false);
  const bool b_leads = (*b)->LeadPeriodicWork().value_or(false);
  EXPECT_NE(a_leads, b_leads);
  a->reset();
  EXPECT_TRUE(LeadsWithinASecond([&] { return (*b)->LeadPeriodicWork().value_or(false); }));
}

}  // namespace
}  // namespace hitlgate::store::postgres
