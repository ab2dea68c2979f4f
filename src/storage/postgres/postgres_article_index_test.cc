// The PostgreSQL article search on a real server: the ArticleIndex
// conformance cases (test/assist/article_index_conformance.cc) and a failed
// replace. Needs HITLGATE_TEST_PG_URL (scripts/pg.sh start prints it); skips
// without it. Each index gets a fresh schema, dropped when the program ends.
#include "hitlgate/store/postgres_article_index.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>

#include "assist/article_index_conformance.h"
#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/postgres_store.h"
#include "storage/postgres/connection.h"

namespace hitlgate::store {
namespace {

using assist::ArticleIndex;
using assist::ArticleIndexConformanceTest;

std::string PgUrl() {
  const char* url = std::getenv("HITLGATE_TEST_PG_URL");
  return url != nullptr ? url : "";
}

std::mutex g_schemas_mu;
std::vector<std::string> g_schemas;

class DropSchemas : public ::testing::Environment {
 public:
  void TearDown() override {
    std::lock_guard lock(g_schemas_mu);
    if (g_schemas.empty()) return;
    auto conn = postgres::Connection::Open({PgUrl(), ""});
    if (!conn) return;
    for (const auto& s : g_schemas) (void)(*conn)->Exec("DROP SCHEMA IF EXISTS " + s + " CASCADE");
  }
};
const auto* const kDropSchemas = ::testing::AddGlobalTestEnvironment(new DropSchemas);

// An index on a fresh schema whose tables the store migrated.
std::unique_ptr<ArticleIndex> FreshIndex() {
  if (PgUrl().empty()) {
    []() { GTEST_SKIP() << "HITLGATE_TEST_PG_URL is not set (eval \"$(scripts/pg.sh start)\")"; }();
    return nullptr;
  }
  static int n = 0;
  std::string schema = "hgarticles_" + std::to_string(::getpid()) + "_" + std::to_string(n++);
  {
    std::lock_guard lock(g_schemas_mu);
    g_schemas.push_back(schema);
  }
  SequentialIdGenerator ids;
  auto store = PostgresStore::Open(PgUrl(), {.ids = &ids, .schema = schema});
  EXPECT_TRUE(store.has_value()) << store.error().ToString();
  auto index = OpenPostgresArticleIndex(PgUrl(), schema);
  EXPECT_TRUE(index.has_value()) << index.error().ToString();
  return index ? std::move(*index) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Postgres, ArticleIndexConformanceTest,
                         ::testing::Values(assist::ArticleIndexFactory{"postgres", FreshIndex}),
                         [](const auto& p) { return p.param.name; });

TEST(PostgresArticleIndexTest, AFailedReplaceKeepsTheOldSet) {
  auto index = FreshIndex();
  if (::testing::Test::IsSkipped()) return;
  ASSERT_NE(index, nullptr);
  ASSERT_TRUE(index->Replace({{"passwords", "Reset a password", "Make a new password.", ""}}).has_value());
  // Two articles with one id break the primary key: nothing of the new set stays.
  EXPECT_FALSE(index->Replace({{"a", "A", "alpha", ""}, {"a", "A", "beta", ""}}).has_value());
  auto hits = index->Search("i forgot my password", 3);
  ASSERT_TRUE(hits.has_value()) << hits.error().message();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front().id, "passwords");
}

}  // namespace
}  // namespace hitlgate::store
