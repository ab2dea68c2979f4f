// Unit tests for SpellingNormalizer: which misspellings become phrase
// words, which English words are left alone, joined words and shorthand.
// Single-threaded.
#include "signals/spelling_normalizer.h"

#include <gtest/gtest.h>

#include <string>

namespace hitlgate::signals::internal {
namespace {

std::string Normalized(std::string_view text) {
  char buffer[512];
  const NormalizedText n = SpellingNormalizer::Builtin().Normalize(text, buffer);
  return n.truncated ? "<truncated>" : std::string(n.text);
}

TEST(SpellingNormalizerTest, NeighbouringKeySlipBecomesTheVocabularyWord) {
  EXPECT_EQ(SpellingNormalizer::Builtin().Correct("agemt"), "agent");
  EXPECT_EQ(SpellingNormalizer::Builtin().Correct("ooerator"), "operator");
}

TEST(SpellingNormalizerTest, DroppedDoubledAndSwappedLettersAreCorrected) {
  const auto& n = SpellingNormalizer::Builtin();
  EXPECT_EQ(n.Correct("somone"), "someone");     // dropped
  EXPECT_EQ(n.Correct("talkk"), "talk");         // doubled
  EXPECT_EQ(n.Correct("eprson"), "person");      // swapped
  EXPECT_EQ(n.Correct("contatc"), "contact");    // swapped at the end
  EXPECT_EQ(n.Correct("represenative"), "representative");
  EXPECT_EQ(n.Correct("reprsentitive"), "representative");  // two edits, long word
}

TEST(SpellingNormalizerTest, EnglishWordsNearAVocabularyWordAreLeftAlone) {
  const auto& n = SpellingNormalizer::Builtin();
  EXPECT_EQ(n.Correct("contract"), "");
  EXPECT_EQ(n.Correct("tall"), "");
  EXPECT_EQ(n.Correct("acceptable"), "");  // two letters from "unacceptable"
  EXPECT_EQ(n.Correct("order"), "");
  EXPECT_EQ(n.Correct("agent"), "");  // already right
}

TEST(SpellingNormalizerTest, JoinedWordsAreSplit) {
  EXPECT_EQ(Normalized("I want to talkto a livehuman"), "i want to talk to a live human");
  EXPECT_EQ(Normalized("how to speak tosomebody"), "how to speak to somebody");
  EXPECT_EQ(Normalized("someone into it"), "someone into it");  // English words stay whole
}

TEST(SpellingNormalizerTest, ShorthandIsExpandedAndPunctuationKept) {
  EXPECT_EQ(Normalized("Can u get me an agent pls?"), "can you get me an agent please?");
  EXPECT_EQ(Normalized("gimme a proper human!"), "give me a proper human!");
}

TEST(SpellingNormalizerTest, OtherScriptsAreCopiedUnchanged) {
  EXPECT_EQ(Normalized("Quiero hablar con una persona"), "quiero hablar con una persona");
  EXPECT_EQ(Normalized("\xd0\xbc\xd0\xb5\xd0\xbd\xd0\xb5\xd0\xb4\xd0\xb6\xd0\xb5\xd1\x80"),
            "\xd0\xbc\xd0\xb5\xd0\xbd\xd0\xb5\xd0\xb4\xd0\xb6\xd0\xb5\xd1\x80");
}

TEST(SpellingNormalizerTest, ReportsWhatItChangedAndWhenTheBufferIsTooSmall) {
  char buffer[64];
  const NormalizedText n = SpellingNormalizer::Builtin().Normalize("talk to an agemt", buffer);
  ASSERT_TRUE(n.changed);
  ASSERT_EQ(n.correction_count, 1);
  EXPECT_EQ(n.corrections[0].offset, 11u);
  EXPECT_EQ(n.corrections[0].replacement, "agent");
  char tiny[4];
  EXPECT_TRUE(SpellingNormalizer::Builtin().Normalize("talk to an agent", tiny).truncated);
  EXPECT_FALSE(SpellingNormalizer::Builtin().Normalize("Talk To An Agent", buffer).changed);
}

}  // namespace
}  // namespace hitlgate::signals::internal
