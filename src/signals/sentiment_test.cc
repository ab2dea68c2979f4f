// Unit tests for SentimentScorer: the VADER rules one by one, tokenization of
// odd input, and lexicon files (temporary files; the VADER lexicon from
// ../shared/data when present). Single-threaded.
#include "hitlgate/signals/sentiment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "testing/result_matchers.h"

namespace hitlgate::signals {
namespace {

using ::hitlgate::testing::IsErrorWith;
using ::testing::HasSubstr;

double Compound(std::string_view text) { return SentimentScorer::Default()->Score(text).compound; }

TEST(SentimentTest, PolarityOfPlainWords) {
  EXPECT_GT(Compound("Thanks, that was great help"), 0.5);
  EXPECT_LT(Compound("This is terrible and useless"), -0.5);
  EXPECT_DOUBLE_EQ(Compound("My order number is 12345"), 0.0);
  EXPECT_DOUBLE_EQ(Compound(""), 0.0);
}

TEST(SentimentTest, NegationFlipsAndDampens) {
  double good = Compound("the service was good");
  double not_good = Compound("the service was not good");
  EXPECT_GT(good, 0);
  EXPECT_LT(not_good, 0);
  EXPECT_LT(std::fabs(not_good), good);  // x -0.74
  EXPECT_LT(Compound("it isn't helpful"), 0);
}

TEST(SentimentTest, BoostersCapsAndExclamationsIntensify) {
  double bad = Compound("this is bad");
  EXPECT_LT(Compound("this is very bad"), bad);
  EXPECT_LT(Compound("this is BAD"), bad);  // caps in mixed-case text
  EXPECT_LT(Compound("this is bad!!!"), bad);
  EXPECT_GT(Compound("this is slightly bad"), bad);  // dampener
  EXPECT_GE(SentimentScorer::Default()->Score("NO! NO!").exclamations, 2);
}

TEST(SentimentTest, VaderIdioms) {
  // "no" negates what follows instead of being negative itself.
  EXPECT_LT(Compound("no helpful answer"), 0);
  // "never so good" is better than good, "never good" is bad.
  EXPECT_GT(Compound("never so good"), Compound("so good"));
  EXPECT_LT(Compound("never good"), 0);
  // "kind of" hedges; it is not kindness.
  EXPECT_LT(Compound("the app is kind of slow"), 0);
  EXPECT_GT(Compound("the agent was kind"), 0);
  // "least" negates, "at least" does not.
  EXPECT_LT(Compound("the least helpful agent"), 0);
  EXPECT_GT(Compound("at least the agent was helpful"), 0);
  // A typographic apostrophe negates like an ASCII one.
  EXPECT_LT(Compound("it isn\u2019t helpful"), 0);
}

TEST(SentimentTest, QuestionMarksAmplify) {
  EXPECT_LT(Compound("is this a scam??"), Compound("is this a scam?"));
  EXPECT_DOUBLE_EQ(Compound("why???"), 0.0);  // no valence: nothing to amplify
}

TEST(SentimentTest, SharesAddUp) {
  auto s = SentimentScorer::Default()->Score("thanks, but the parcel is broken and late");
  EXPECT_GT(s.negative, s.positive);
  EXPECT_LE(s.positive + s.negative, 1.0 + 1e-9);
  EXPECT_GT(s.positive, 0.0);
}

TEST(SentimentTest, ButShiftsWeightToWhatFollows) {
  EXPECT_LT(Compound("The agent was nice but the refund is still missing and I am angry"), 0);
  EXPECT_GT(Compound("The delivery was late but the agent was great"), 0);
}

TEST(SentimentTest, EmojiAndEmoticonsCount) {
  EXPECT_GT(Compound("ok :)"), Compound("ok"));
  EXPECT_LT(Compound("my parcel \xF0\x9F\x98\xA1"), 0);  // pouting face
}

TEST(SentimentTest, CapsRatioIsReported) {
  auto s = SentimentScorer::Default()->Score("WHERE IS MY ORDER");
  EXPECT_DOUBLE_EQ(s.caps_ratio, 1.0);
}

TEST(SentimentTest, InvalidUtf8AndHugeInputAreHarmless) {
  std::string junk = "\xff\xfe\x80 bad \xc3";
  EXPECT_LT(Compound(junk), 0);
  std::string huge(100000, 'a');
  huge += " terrible";
  EXPECT_GE(Compound(huge), -1.0);
}

class LexiconFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& content) {
    path_ = (std::filesystem::temp_directory_path() /
             ("lexicon-" + std::to_string(::getpid()) + ".txt"))
                .string();
    std::ofstream(path_) << content;
    return path_;
  }
  void TearDown() override { std::remove(path_.c_str()); }
  std::string path_;
};

TEST_F(LexiconFileTest, LoadsAndOverridesBuiltin) {
  auto scorer = SentimentScorer::FromFile(Write("blorp\t-3.0\t0.5\t[-3]\nthanks\t-1.0\t0\t[]\n"));
  ASSERT_THAT(scorer, testing::IsOk());
  EXPECT_LT((*scorer)->Score("blorp").compound, -0.5);
  EXPECT_LT((*scorer)->Score("thanks").compound, 0);
  // Merged over the built-in lexicon: words the file does not name remain.
  EXPECT_LT((*scorer)->Score("useless").compound, -0.5);
}

TEST_F(LexiconFileTest, MalformedLineNamesFileAndLine) {
  EXPECT_THAT(SentimentScorer::FromFile(Write("good\t1.0\nbad line without tab\n")),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr(":2:")));
  EXPECT_THAT(SentimentScorer::FromFile(Write("good\tvery\n")),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr(":1: valence 'very'")));
  // Comments and blank lines count as lines.
  EXPECT_THAT(SentimentScorer::FromFile(Write("# header\n\ngood\t9.5\t0\t[]\n")),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr(":3: valence '9.5'")));
  EXPECT_THAT(SentimentScorer::FromFile(Write("\tgood\t1.0\n")),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr(":1:")));
  EXPECT_THAT(SentimentScorer::FromFile("/nonexistent/lexicon.txt"),
              IsErrorWith(ErrorCode::kNotFound, HasSubstr("/nonexistent/lexicon.txt")));
}

TEST(SentimentVaderTest, LoadsTheVaderLexiconWhenPresent) {
  const std::string path = std::string(HITLGATE_SHARED_DATA) + "/vader/vader_lexicon.txt";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no VADER lexicon at " << path;
  auto scorer = SentimentScorer::FromFile(path);
  ASSERT_THAT(scorer, testing::IsOk());
  EXPECT_GT((*scorer)->Score("what a splendid day").compound, 0.3);  // not in the built-in list
}

}  // namespace
}  // namespace hitlgate::signals
