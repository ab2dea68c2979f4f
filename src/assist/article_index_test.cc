#include <gtest/gtest.h>

#include "hitlgate/assist/article_index.h"
#include "hitlgate/store/sqlite_article_index.h"

namespace hitlgate::assist {
namespace {

std::vector<Article> ThreeArticles() {
  return {{"refunds", "Refunds", "Offer a refund to the credit card on file after validating the purchase.", ""},
          {"passwords", "Reset a password", "Pull up the account, enter the details, then make a new password.", ""},
          {"shipping", "Shipping status", "Check the shipping status of the order and update the order.", ""}};
}

std::unique_ptr<ArticleIndex> Index() {
  auto index = store::OpenSqliteArticleIndex();
  EXPECT_TRUE(index.has_value()) << index.error().message();
  EXPECT_TRUE((*index)->Replace(ThreeArticles()).has_value());
  return std::move(*index);
}

TEST(SearchWordsTest, ContentWordsOnceNewestKept) {
  EXPECT_EQ(SearchWords("Hello, I want a REFUND for my jacket. The refund, please!"),
            (std::vector<std::string>{"jacket", "refund"}));
  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += "word" + std::to_string(i) + " ";
  const auto words = SearchWords(long_text);
  ASSERT_EQ(words.size(), 64u);
  EXPECT_EQ(words.front(), "word36");
  EXPECT_EQ(words.back(), "word99");
}

TEST(SqliteArticleIndexTest, RanksByBm25AndMarksTheMatchedWords) {
  auto index = Index();
  auto hits = index->Search("hi, i forgot my password and can't log in", 3);
  ASSERT_TRUE(hits.has_value()) << hits.error().message();
  ASSERT_EQ(hits->size(), 1u);
  const ArticleHit& hit = hits->front();
  EXPECT_EQ(hit.id, "passwords");
  EXPECT_GT(hit.score, 0);
  EXPECT_EQ(hit.matched_words, std::vector<std::string>{"password"});
  ASSERT_EQ(hit.marks.size(), 1u);
  EXPECT_EQ(hit.snippet.substr(hit.marks[0].first, hit.marks[0].second - hit.marks[0].first), "password");
  EXPECT_EQ(hit.snippet.find('\x02'), std::string::npos);
}

TEST(SqliteArticleIndexTest, StemsAndPrefersTheArticleWithMoreMatches) {
  auto index = Index();
  // "refunded" and "purchases" stem to the refund article's words; "order"
  // alone would pick shipping.
  auto hits = index->Search("my purchases were never refunded, what about my order", 3);
  ASSERT_TRUE(hits.has_value());
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ((*hits)[0].id, "refunds");
  EXPECT_EQ((*hits)[1].id, "shipping");
  EXPECT_GT((*hits)[0].score, (*hits)[1].score);
}

TEST(SqliteArticleIndexTest, NothingMatchesNothingComesBack) {
  auto index = Index();
  EXPECT_TRUE(index->Search("hello thanks", 3)->empty());       // only common words
  EXPECT_TRUE(index->Search("zebra xylophone", 3)->empty());     // no article has them
  EXPECT_TRUE(index->Search("password", 0)->empty());
  // Quotes and FTS5 operators in the conversation are words, not syntax.
  EXPECT_TRUE(index->Search("\"password\" AND NEAR( OR *", 3).has_value());
}

TEST(SqliteArticleIndexTest, ReplaceSwapsTheWholeSet) {
  auto index = Index();
  ASSERT_TRUE(index->Replace({{"boots", "Boots", "Our boots are waterproof.", ""}}).has_value());
  EXPECT_TRUE(index->Search("password", 3)->empty());
  EXPECT_EQ(index->Search("are the boots waterproof", 3)->front().id, "boots");
}

}  // namespace
}  // namespace hitlgate::assist
