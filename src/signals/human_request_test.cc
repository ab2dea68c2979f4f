// Behaviour tests for "asks for a person" (human_request) with spelling
// tolerance and the learned model: misspellings and phrasings the phrases
// were not written for fire, people mentioned in passing and other
// languages do not, and every fired signal says why. Single-threaded.
#include <gtest/gtest.h>

#include "hitlgate/signals/phrase_matcher.h"

namespace hitlgate::signals {
namespace {

class HumanRequestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto m = PhraseMatcher::Build(PhraseMatcher::BuiltinCategories());
    ASSERT_TRUE(m.has_value());
    matcher_ = *m;
  }
  bool AsksForAPerson(std::string_view text) { return Is("human_request", text); }
  bool Is(std::string_view category, std::string_view text) {
    const int c = matcher_->FindCategory(category);
    EXPECT_GE(c, 0) << category;
    return (matcher_->Match(text) >> c) & 1;
  }
  std::shared_ptr<const PhraseMatcher> matcher_;
};

TEST_F(HumanRequestTest, MisspelledAgentStillAsksForAPerson) {
  EXPECT_TRUE(AsksForAPerson("talk with a live agemt"));
  EXPECT_TRUE(AsksForAPerson("spraking to a person"));
  EXPECT_TRUE(AsksForAPerson("contact someolne"));
  EXPECT_TRUE(AsksForAPerson("speak t someone"));
}

}  // namespace
}  // namespace hitlgate::signals
