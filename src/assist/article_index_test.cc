#include <gtest/gtest.h>

#include "assist/article_index_conformance.h"
#include "hitlgate/assist/article_index.h"
#include "hitlgate/store/sqlite_article_index.h"

namespace hitlgate::assist {
namespace {

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

INSTANTIATE_TEST_SUITE_P(Sqlite, ArticleIndexConformanceTest,
                         ::testing::Values(ArticleIndexFactory{"sqlite", []() -> std::unique_ptr<ArticleIndex> {
                           auto index = store::OpenSqliteArticleIndex();
                           EXPECT_TRUE(index.has_value()) << index.error().message();
                           return index ? std::move(*index) : nullptr;
                         }}),
                         [](const auto& p) { return p.param.name; });

}  // namespace
}  // namespace hitlgate::assist
