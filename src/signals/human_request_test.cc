// Behaviour tests for "asks for a person" (human_request) with spelling
// tolerance and the learned model: misspellings and phrasings the phrases
// were not written for fire, people mentioned in passing and other
// languages without phrases do not, and every fired signal says why. Single-threaded.
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

TEST_F(HumanRequestTest, EnglishSpellingCorrectionsAreTriedOnEnglishTextOnly) {
  const int human = matcher_->FindCategory("human_request");
  auto asks = [&](std::string_view text, std::string_view language) {
    return ((matcher_->Match(text, language) >> human) & 1) != 0;
  };
  EXPECT_TRUE(asks("talk with a live agemt", ""));
  EXPECT_TRUE(asks("talk with a live agemt", "en"));
  EXPECT_TRUE(asks("talk with a live agemt", "en-GB"));
  EXPECT_FALSE(asks("talk with a live agemt", "de")) << "no English corrections for German text";
  EXPECT_TRUE(asks("Ich möchte mit einem Menschen sprechen", "de"))
      << "the language's own phrases still match as written";
  EXPECT_TRUE(asks("talk with a live agent", "fr")) << "phrases as written match whatever the language";
}

TEST_F(HumanRequestTest, MisspelledAgentStillAsksForAPerson) {
  EXPECT_TRUE(AsksForAPerson("talk with a live agemt"));
  EXPECT_TRUE(AsksForAPerson("spraking to a person"));
  EXPECT_TRUE(AsksForAPerson("contact someolne"));
  EXPECT_TRUE(AsksForAPerson("I want to speak to a represenative"));
  EXPECT_TRUE(AsksForAPerson("can I tlak to an oeprator"));
}

TEST_F(HumanRequestTest, MangledPrepositionStillAsksForAPerson) {
  EXPECT_TRUE(AsksForAPerson("speak t someone"));
  EXPECT_TRUE(AsksForAPerson("let me talk 2 a human"));
}

TEST_F(HumanRequestTest, JoinedWordsStillAskForAPerson) {
  EXPECT_TRUE(AsksForAPerson("i want to talkto a livehuman"));
  EXPECT_TRUE(AsksForAPerson("how do I speak tosomebody"));
}

TEST_F(HumanRequestTest, PhrasingsWithoutAVerbOfSpeakingAskForAPerson) {
  EXPECT_TRUE(AsksForAPerson("can you put me in touch with a human?"));
  EXPECT_TRUE(AsksForAPerson("gimme a proper human"));
  EXPECT_TRUE(AsksForAPerson("do you have human support?"));
  EXPECT_TRUE(AsksForAPerson("someone from customer care please"));
  EXPECT_TRUE(AsksForAPerson("Isn't there someone else with more authority I can speak to?"));
  EXPECT_TRUE(AsksForAPerson("please escalate this"));
}

TEST_F(HumanRequestTest, RejectingTheBotAsksForAPerson) {
  EXPECT_TRUE(AsksForAPerson("I don't wanna talk to a bot"));
  EXPECT_TRUE(AsksForAPerson("a human, not a machine"));
  EXPECT_TRUE(AsksForAPerson("I'm sick of this stupid bot"));
}

TEST_F(HumanRequestTest, ColleaguesPhoneNumberIsNotARequestForAPerson) {
  EXPECT_FALSE(AsksForAPerson("can I have my colleague's phone number?"));
  EXPECT_FALSE(AsksForAPerson("my colleague paid me back yesterday"));
}

TEST_F(HumanRequestTest, PeopleMentionedInPassingAreNotARequest) {
  EXPECT_FALSE(AsksForAPerson("a sales representative called me about an upgrade"));
  EXPECT_FALSE(AsksForAPerson("I made a transfer to someone by mistake"));
  EXPECT_FALSE(AsksForAPerson("Can someone please tell me how much I can top up?"));
  EXPECT_FALSE(AsksForAPerson("I need someone to pick up the package at 5pm"));
}

TEST_F(HumanRequestTest, ContactingCustomerServiceIsNotARequestForAPerson) {
  // Asking how to reach the department is a question the bot can answer
  // (bitext labels it contact_customer_service, not contact_human_agent);
  // asking for someone from it is a request.
  EXPECT_FALSE(AsksForAPerson("how do I contact customer service"));
  EXPECT_FALSE(AsksForAPerson("I'm trying to speak to customer service"));
  EXPECT_TRUE(AsksForAPerson("I'd like to speak to someone from customer service"));
}

TEST_F(HumanRequestTest, AskingWhetherTheBotIsHumanIsNotARequest) {
  EXPECT_FALSE(AsksForAPerson("are you a real person?"));
  EXPECT_FALSE(AsksForAPerson("am I talking to a human?"));
  EXPECT_FALSE(AsksForAPerson("I'm not a bot, are you?"));
  // ...but asking the bot to do something about it is.
  EXPECT_TRUE(AsksForAPerson("are you able to transfer me to a human?"));
}

TEST_F(HumanRequestTest, ReportsOfPastConversationsAreNotARequest) {
  EXPECT_FALSE(AsksForAPerson("I talked to a real person last week and they promised a refund"));
  EXPECT_FALSE(AsksForAPerson("I was talking to an agent and got cut off"));
}

TEST_F(HumanRequestTest, DecliningAPersonIsNotARequestEvenMisspelt) {
  EXPECT_FALSE(AsksForAPerson("I don't need an agemt, just the tracking link"));
  EXPECT_FALSE(AsksForAPerson("no need to talk to a persn"));
  EXPECT_FALSE(AsksForAPerson("I really don't want to be transferred to another agent"));
  EXPECT_FALSE(AsksForAPerson("I can't wait for a human agent right now"));
}

TEST_F(HumanRequestTest, LanguagesWithoutPhrasesDoNotFire) {
  // Spanish and French have phrases of their own (european_phrases_test.cc);
  // Hindi in Latin letters has none, and "liye" is not a misspelt "live".
  EXPECT_TRUE(AsksForAPerson("Quiero hablar con una persona"));
  EXPECT_TRUE(AsksForAPerson("Je veux parler \u00e0 un agent humain"));
  EXPECT_FALSE(AsksForAPerson("iske liye help karna hain"));
}

TEST_F(HumanRequestTest, EnglishWordsNearTheVocabularyAreNotCorrected) {
  // "contract" is not a misspelt "contact", "tall" not "talk".
  EXPECT_FALSE(AsksForAPerson("please send me the contract someone signed"));
  EXPECT_FALSE(AsksForAPerson("how tall is a representative sample"));
}

TEST_F(HumanRequestTest, EvidenceNamesThePhraseAndTheCorrection) {
  const int human = matcher_->FindCategory("human_request");
  const auto evidence = matcher_->Explain("talk with a live agemt");
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0].category, human);
  EXPECT_NE(evidence[0].source, EvidenceSource::kModel);
  ASSERT_EQ(evidence[0].corrections.size(), 1u);
  EXPECT_EQ(evidence[0].corrections[0], "agemt -> agent");
  EXPECT_NE(evidence[0].detail.find("agemt -> agent"), std::string::npos) << evidence[0].detail;
  EXPECT_TRUE(matcher_->Explain("Where is my order?").empty());
}

TEST_F(HumanRequestTest, ExplainAgreesWithMatch) {
  for (const char* text : {"transfer me to a human", "Where is my order?", "I will sue you",
                           "speak t someone", "this is the third time, get me a manager"}) {
    std::uint64_t bits = 0;
    for (const MatchEvidence& e : matcher_->Explain(text)) bits |= std::uint64_t{1} << e.category;
    EXPECT_EQ(bits, matcher_->Match(text)) << text;
  }
}

TEST_F(HumanRequestTest, MisspelledLegalThreatAndFrustrationStillFire) {
  EXPECT_TRUE(Is("legal_threat", "I will call my lawyr"));
  EXPECT_TRUE(Is("frustration", "this is ridiculus"));
  EXPECT_TRUE(Is("frustration", "I am so frustated"));
}

}  // namespace
}  // namespace hitlgate::signals
