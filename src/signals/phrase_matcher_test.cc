// Unit tests for PhraseMatcher: the built-in categories on typical
// messages, negation, wildcards, category bits and build errors.
// Single-threaded.
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

TEST_F(BuiltinMatcherTest, APersonAloneIsARequest) {
  EXPECT_TRUE(Is("human_request", "representative"));
  EXPECT_TRUE(Is("human_request", "Operator!"));
  EXPECT_TRUE(Is("human_request", "customer service agent please"));
  EXPECT_FALSE(Is("human_request", "a sales representative called me"));
}

TEST_F(BuiltinMatcherTest, AttorneyIsAThreatButPowerOfAttorneyIsATopic) {
  EXPECT_TRUE(Is("legal_threat", "my attorney will be in touch"));
  EXPECT_TRUE(Is("legal_threat", "I want to sue"));
  EXPECT_FALSE(Is("legal_threat", "I don't want to sue"));
  EXPECT_FALSE(Is("legal_threat", "I hold power of attorney for my mother"));
  EXPECT_TRUE(Is("legal", "I hold power of attorney for my mother"));
}

TEST_F(BuiltinMatcherTest, NegationInOtherSpellings) {
  EXPECT_FALSE(Is("human_request", "I do not need a human"));
  EXPECT_FALSE(Is("human_request", "I don\u2019t need an agent"));  // typographic apostrophe
  EXPECT_FALSE(Is("legal_threat", "we won't sue"));
  // One negated occurrence and one that is not: the category fires.
  EXPECT_TRUE(Is("human_request", "I don't need an agent now. Actually, get me an agent"));
}

TEST_F(BuiltinMatcherTest, OddBytesDoNotBreakMatching) {
  EXPECT_TRUE(Is("human_request", "\xff\xfe speak to a human \xc3"));
  EXPECT_FALSE(Is("human_request", std::string_view("\0\0\0", 3)));
  EXPECT_EQ(matcher_->Match(""), 0u);
  EXPECT_TRUE(Is("legal_threat", "J'appelle mon avocat\u2026 or my lawyer \xF0\x9F\x98\xA1"));
}

TEST_F(BuiltinMatcherTest, CategoriesHaveTheDocumentedNames) {
  for (const char* name :
       {"human_request", "legal_threat", "frustration", "medical", "financial", "legal"}) {
    EXPECT_GE(matcher_->FindCategory(name), 0) << name;
  }
  EXPECT_EQ(matcher_->category_count(), 6);
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
  auto m = PhraseMatcher::Build(
      {{"ok", {"fine"}, {"good"}, true}, {"bad", {"x"}, {"(unclosed", "fine", "[z-a]"}, true}});
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
  for (int i = 0; i < kMaxCategories + 1; ++i)
    many.push_back({"c" + std::to_string(i), {"w"}, {}, true});
  auto m = PhraseMatcher::Build(many);
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error()[0].category, kMaxCategories);  // the first one too many
  EXPECT_THAT(m.error()[0].message, ::testing::HasSubstr("64"));
}

TEST(PhraseMatcherTest, SixtyFourCategoriesUseEveryBit) {
  std::vector<PhraseCategory> cats;
  for (int i = 0; i < kMaxCategories; ++i)
    cats.push_back({"c" + std::to_string(i), {"w" + std::to_string(i)}, {}, true});
  auto m = PhraseMatcher::Build(cats);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ((*m)->Match("w63"), std::uint64_t{1} << 63);
  EXPECT_EQ((*m)->Match("w0 w63"), (std::uint64_t{1} << 63) | 1u);
}

TEST(PhraseMatcherTest, EmptyPhraseIsReported) {
  auto m = PhraseMatcher::Build({{"a", {"ok", "   "}, {}, true}});
  ASSERT_FALSE(m.has_value());
  ASSERT_EQ(m.error().size(), 1u);
  EXPECT_FALSE(m.error()[0].is_pattern);
  EXPECT_EQ(m.error()[0].index, 1);
}

TEST(PhraseMatcherTest, PhrasesAreLiteralAndOnWordBoundaries) {
  auto m = PhraseMatcher::Build({{"a", {"c++ help", "sue"}, {}, false}});
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ((*m)->Match("need C++ HELP"), 1u);  // "+" is literal, case ignored
  EXPECT_EQ((*m)->Match("cc help"), 0u);
  EXPECT_EQ((*m)->Match("pursue it"), 0u);  // not inside a word
  EXPECT_EQ((*m)->Match("I'll sue."), 1u);
}

TEST(PhraseMatcherTest, EmptyMatcherMatchesNothing) {
  auto m = PhraseMatcher::Build({});
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ((*m)->Match("anything"), 0u);
}

}  // namespace
}  // namespace hitlgate::signals
