#include "assist/article_index_conformance.h"

namespace hitlgate::assist {

void ArticleIndexConformanceTest::SetUp() {
  index_ = GetParam().create();
  if (IsSkipped()) return;
  ASSERT_NE(index_, nullptr);
  auto replaced = index_->Replace(
      {{"refunds", "Refunds", "Offer a refund to the credit card on file after validating the purchase.", ""},
       {"passwords", "Reset a password", "Pull up the account, enter the details, then make a new password.", ""},
       {"shipping", "Shipping status", "Check the shipping status of the order and update the order.", ""}});
  ASSERT_TRUE(replaced.has_value()) << replaced.error().message();
}

TEST_P(ArticleIndexConformanceTest, RanksAndMarksTheMatchedWords) {
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

TEST_P(ArticleIndexConformanceTest, StemsAndPrefersTheArticleWithMoreMatches) {
  // "refunded" and "purchases" stem to the refund article's words; "order"
  // alone would pick shipping.
  auto hits = index_->Search("my purchases were never refunded, what about my order", 3);
  ASSERT_TRUE(hits.has_value()) << hits.error().message();
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ((*hits)[0].id, "refunds");
  EXPECT_EQ((*hits)[1].id, "shipping");
  EXPECT_GT((*hits)[0].score, (*hits)[1].score);
}

TEST_P(ArticleIndexConformanceTest, NothingMatchesNothingComesBack) {
  EXPECT_TRUE(index_->Search("hello thanks", 3)->empty());    // only common words
  EXPECT_TRUE(index_->Search("zebra xylophone", 3)->empty());  // no article has them
  EXPECT_TRUE(index_->Search("password", 0)->empty());
  // Quotes and query operators in the conversation are words, not syntax.
  auto odd = index_->Search("\"password\" AND NEAR( OR * -refund <-> !", 3);
  ASSERT_TRUE(odd.has_value()) << odd.error().message();
  EXPECT_FALSE(odd->empty());
}

TEST_P(ArticleIndexConformanceTest, ReplaceSwapsTheWholeSet) {
  ASSERT_TRUE(index_->Replace({{"boots", "Boots", "Our boots are waterproof.", ""}}).has_value());
  EXPECT_TRUE(index_->Search("password", 3)->empty());
  auto hits = index_->Search("are the boots waterproof", 3);
  ASSERT_TRUE(hits.has_value()) << hits.error().message();
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ(hits->front().id, "boots");
}

}  // namespace hitlgate::assist
