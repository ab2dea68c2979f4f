// The PostgreSQL article search: the cases SQLite's FTS5 index passes
// (src/assist/article_index_test.cc), on a real server. Needs
// HITLGATE_TEST_PG_URL (scripts/pg.sh start prints it); skips without it.
#include "hitlgate/store/postgres_article_index.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/postgres_store.h"
#include "storage/postgres/connection.h"

namespace hitlgate::store {
namespace {

using assist::Article;
using assist::ArticleHit;
using assist::ArticleIndex;

std::string PgUrl() {
  const char* url = std::getenv("HITLGATE_TEST_PG_URL");
  return url != nullptr ? url : "";
}

std::vector<Article> ThreeArticles() {
  return {{"refunds", "Refunds", "Offer a refund to the credit card on file after validating the purchase.", ""},
          {"passwords", "Reset a password", "Pull up the account, enter the details, then make a new password.", ""},
          {"shipping", "Shipping status", "Check the shipping status of the order and update the order.", ""}};
}

class PostgresArticleIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PgUrl().empty()) GTEST_SKIP() << "HITLGATE_TEST_PG_URL is not set (eval \"$(scripts/pg.sh start)\")";
    static int n = 0;
    schema_ = "hgarticles_" + std::to_string(::getpid()) + "_" + std::to_string(n++);
    // The store creates the schema and migrates the tables.
    auto store = PostgresStore::Open(PgUrl(), {.ids = &ids_, .schema = schema_});
    ASSERT_TRUE(store.has_value()) << store.error().ToString();
    auto index = OpenPostgresArticleIndex(PgUrl(), schema_);
    ASSERT_TRUE(index.has_value()) << index.error().ToString();
    index_ = std::move(*index);
    ASSERT_TRUE(index_->Replace(ThreeArticles()).has_value());
  }
  void TearDown() override {
    if (schema_.empty()) return;
    index_.reset();
    auto conn = postgres::Connection::Open({PgUrl(), ""});
    if (conn) (void)(*conn)->Exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  }

  SequentialIdGenerator ids_;
  std::string schema_;
  std::unique_ptr<ArticleIndex> index_;
};

TEST_F(PostgresArticleIndexTest, RanksByTsRankAndMarksTheMatchedWords) {
  auto hits = index_->Search("hi, i forgot my password and can't log in", 3);
  ASSERT_TRUE(hits.has_value()) << hits.error().message();
  ASSERT_EQ(hits->size(), 1u);
  const ArticleHit& hit = hits->front();
  EXPECT_EQ(hit.id, "passwords");
  EXPECT_GT(hit.score, 0);
  EXPECT_EQ(hit.matched_words, std::vector<std::string>{"password"});
  ASSERT_FALSE(hit.marks.empty());
  EXPECT_EQ(hit.snippet.substr(hit.marks[0].first, hit.marks[0].second - hit.marks[0].first), "password");
  EXPECT_EQ(hit.snippet.find('\x02'), std::string::npos);
}

TEST_F(PostgresArticleIndexTest, StemsAndPrefersTheArticleWithMoreMatches) {
  auto hits = index_->Search("my purchases were never refunded, what about my order", 3);
  ASSERT_TRUE(hits.has_value()) << hits.error().message();
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ((*hits)[0].id, "refunds");
  EXPECT_EQ((*hits)[1].id, "shipping");
  EXPECT_GT((*hits)[0].score, (*hits)[1].score);
}

TEST_F(PostgresArticleIndexTest, NothingMatchesNothingComesBack) {
  EXPECT_TRUE(index_->Search("hello thanks", 3)->empty());
  EXPECT_TRUE(index_->Search("zebra xylophone", 3)->empty());
  EXPECT_TRUE(index_->Search("password", 0)->empty());
  // Quotes and operators in the conversation are words, not syntax.
  auto odd = index_->Search("\"password\" AND NEAR( OR * -refund <-> !", 3);
  ASSERT_TRUE(odd.has_value()) << odd.error().message();
}

TEST_F(PostgresArticleIndexTest, ReplaceSwapsTheWholeSet) {
  ASSERT_TRUE(index_->Replace({{"boots", "Boots", "Our boots are waterproof.", ""}}).has_value());
  EXPECT_TRUE(index_->Search("password", 3)->empty());
  auto hits = index_->Search("are the boots waterproof", 3);
  ASSERT_TRUE(hits.has_value()) << hits.error().message();
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ(hits->front().id, "boots");
}

TEST_F(PostgresArticleIndexTest, AFailedReplaceKeepsTheOldSet) {
  // Two articles with one id break the primary key: nothing of the new set stays.
  EXPECT_FALSE(index_->Replace({{"a", "A", "alpha", ""}, {"a", "A", "beta", ""}}).has_value());
  auto hits = index_->Search("i forgot my password", 3);
  ASSERT_TRUE(hits.has_value()) << hits.error().message();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front().id, "passwords");
}

}  // namespace
}  // namespace hitlgate::store
