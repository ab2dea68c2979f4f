#include "hitlgate/signals/phrase_matcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hitlgate::signals {
namespace {

class BuiltinMatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto m = PhraseMatcher::Build(PhraseMatcher::BuiltinCategories());
    ASSERT_TRUE(m.has_value());
    matcher_ = *m;
  }
  bool Is(std::string_view category, std::string_view text) {
    int c = matcher_->FindCategory(category);
    EXPECT_GE(c, 0) << category;
    return (matcher_->Match(text) >> c) & 1;
  }
  std::shared_ptr<const PhraseMatcher> matcher_;
};

TEST_F(BuiltinMatcherTest, AsksForAPerson) {
  EXPECT_TRUE(Is("human_request", "I want to speak to a real person"));
  EXPECT_TRUE(Is("human_request", "can you transfer me to an agent?"));
  EXPECT_TRUE(Is("human_request", "Let me talk with a HUMAN please"));
  EXPECT_TRUE(Is("human_request", "I want a human, not a bot"));
  EXPECT_FALSE(Is("human_request", "Where is my order?"));
  EXPECT_FALSE(Is("human_request", "How do I contact customer service"));
}

TEST_F(BuiltinMatcherTest, AsksForAPersonInOtherWords) {
  EXPECT_TRUE(Is("human_request", "I want a human"));
  EXPECT_TRUE(Is("human_request", "just give me a manager"));
  EXPECT_TRUE(Is("human_request", "let me speak to a real live person"));
  EXPECT_TRUE(Is("human_request", "I need to talk to a damn agent"));
  EXPECT_TRUE(Is("human_request", "please pass me over to a supervisor"));
  EXPECT_TRUE(Is("human_request", "how do I get in touch with a representative"));
  // Not being able to reach a person is asking for one, not a negation.
  EXPECT_TRUE(Is("human_request", "I can't get through to a person"));
  EXPECT_TRUE(Is("human_request", "i cannot chat with someone"));
  EXPECT_FALSE(Is("human_request", "I need someone to fix this"));
  EXPECT_FALSE(Is("human_request", "I don't want a human, the bot is fine"));
}

TEST_F(BuiltinMatcherTest, NegationCancelsAMatch) {
  EXPECT_FALSE(Is("human_request", "I don't need an agent, just the tracking link"));
  EXPECT_FALSE(Is("human_request", "no need to talk to a person"));
  EXPECT_FALSE(Is("legal_threat", "no lawyer needed, just fix it"));
  EXPECT_FALSE(Is("legal_threat", "I'm not going to sue, I just want my money"));
  // A negation in an earlier clause does not reach the request.
  EXPECT_TRUE(Is("human_request", "No. I want to speak to a human"));
  EXPECT_TRUE(Is("human_request", "I do not know how to speak to an agent"));
}

TEST_F(BuiltinMatcherTest, LegalThreatsAndTopics) {
  EXPECT_TRUE(Is("legal_threat", "If this isn't fixed I'm calling my lawyer"));
  EXPECT_TRUE(Is("legal_threat", "I will sue"));
  EXPECT_TRUE(Is("medical", "I need my insulin prescription delivered"));
  EXPECT_TRUE(Is("financial", "you charged me 120.00 EUR twice"));
  EXPECT_TRUE(Is("legal", "delete my personal data under GDPR"));
  EXPECT_TRUE(Is("frustration", "This is the third time I'm writing!"));
  // Topics are not negatable: "no insulin" is still about medicine.
  EXPECT_TRUE(Is("medical", "there was no insulin in the package"));
}

TEST(PhraseMatcherTest, WildcardMatchesOneWord) {
  auto m = PhraseMatcher::Build({{"req", {"put me through to *"}, {}, true}});
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ((*m)->Match("please put me through to billing"), 1u);
  EXPECT_EQ((*m)->Match("please put me through to"), 0u);
}

TEST(PhraseMatcherTest, CategoryBitsFollowOrder) {
  auto m = PhraseMatcher::Build({{"a", {"apple"}, {}, false}, {"b", {"banana"}, {}, false}});
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ((*m)->Match("apple and banana"), 0b11u);
  EXPECT_EQ((*m)->Match("banana"), 0b10u);
  EXPECT_EQ((*m)->category_name(1), "b");
  EXPECT_EQ((*m)->FindCategory("zzz"), -1);
}

TEST(PhraseMatcherTest, InvalidPatternsAreAllReportedWithIndices) {
  auto m = PhraseMatcher::Build({{"ok", {"fine"}, {"good"}, true},
                                 {"bad", {"x"}, {"(unclosed", "fine", "[z-a]"}, true}});
  ASSERT_FALSE(m.has_value());
  ASSERT_EQ(m.error().size(), 2u);
  EXPECT_EQ(m.error()[0].category, 1);
  EXPECT_TRUE(m.error()[0].is_pattern);
  EXPECT_EQ(m.error()[0].index, 0);
  EXPECT_EQ(m.error()[1].index, 2);
  EXPECT_FALSE(m.error()[0].message.empty());
}

TEST(PhraseMatcherTest, TooManyCategoriesAreRejected) {
  std::vector<PhraseCategory> many;
  for (int i = 0; i < kMaxCategories + 1; ++i) many.push_back({"c" + std::to_string(i), {"w"}, {}, true});
  EXPECT_FALSE(PhraseMatcher::Build(many).has_value());
}

TEST(PhraseMatcherTest, EmptyMatcherMatchesNothing) {
  auto m = PhraseMatcher::Build({});
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ((*m)->Match("anything"), 0u);
}

}  // namespace
}  // namespace hitlgate::signals
