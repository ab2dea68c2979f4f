// "Asks for a person" and legal threats in German, French, Spanish, Italian
// and Portuguese, measured on messages written for these tests
// (testdata/phrases_<lang>.tsv: per language at least 30 of each and 60 that
// are neither, near misses included: a colleague's number, reports of past
// calls, negations, questions about the bot). Prints recall and precision per
// language (docs/signals.md quotes them) and holds each to a floor. Also:
// frustration and negation per language. Single-threaded.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "hitlgate/signals/phrase_matcher.h"

namespace hitlgate::signals {
namespace {

struct Labelled {
  bool human = false;
  bool legal = false;
  std::string text;
};

std::vector<Labelled> Load(const std::string& lang) {
  std::vector<Labelled> out;
  std::ifstream in(std::string(HITLGATE_SOURCE_DIR) + "/src/signals/testdata/phrases_" + lang + ".tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    const std::string labels = line.substr(0, tab);
    out.push_back({labels.find("human_request") != std::string::npos,
                   labels.find("legal_threat") != std::string::npos, line.substr(tab + 1)});
  }
  return out;
}

class EuropeanPhrasesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto m = PhraseMatcher::Build(PhraseMatcher::BuiltinCategories());
    ASSERT_TRUE(m.has_value());
    matcher_ = *m;
  }
  bool Is(std::string_view category, std::string_view text) {
    return (matcher_->Match(text) >> matcher_->FindCategory(category)) & 1;
  }
  std::shared_ptr<const PhraseMatcher> matcher_;
};

struct Counts {
  int tp = 0, fp = 0, fn = 0, positives = 0, negatives = 0;
  double Recall() const { return positives ? static_cast<double>(tp) / positives : 0; }
  double Precision() const { return tp + fp ? static_cast<double>(tp) / (tp + fp) : 1; }
};

TEST_P(EuropeanPhrasesTest, RecallAndPrecisionOnWrittenMessages) {
  const std::vector<Labelled> rows = Load(GetParam());
  ASSERT_GE(rows.size(), 120u) << "testdata/phrases_" << GetParam() << ".tsv";
  Counts human, legal;
  for (const Labelled& r : rows) {
    const bool h = Is("human_request", r.text), l = Is("legal_threat", r.text);
    for (auto [c, want, got] : {std::tuple{&human, r.human, h}, std::tuple{&legal, r.legal, l}}) {
      (want ? c->positives : c->negatives)++;
      if (want && got) c->tp++;
      // Known misses are listed in docs/signals.md; each is printed.
      const char* name = c == &human ? "human_request" : "legal_threat";
      if (!want && got) {
        c->fp++;
        std::printf("  false %s: %s\n", name, r.text.c_str());
      }
      if (want && !got) {
        c->fn++;
        std::printf("  missed %s: %s\n", name, r.text.c_str());
      }
    }
  }
  std::printf("[ %s ] human_request recall %.2f precision %.2f (%d+/%d-); legal_threat recall %.2f "
              "precision %.2f (%d+/%d-)\n",
              GetParam().c_str(), human.Recall(), human.Precision(), human.positives, human.negatives,
              legal.Recall(), legal.Precision(), legal.positives, legal.negatives);
  EXPECT_GE(human.Recall(), 0.9);
  EXPECT_GE(human.Precision(), 0.9);
  EXPECT_GE(legal.Recall(), 0.9);
  EXPECT_GE(legal.Precision(), 0.9);
  EXPECT_GE(human.positives, 30);
  EXPECT_GE(human.negatives, 60);
  EXPECT_GE(legal.positives, 30);
}

INSTANTIATE_TEST_SUITE_P(Languages, EuropeanPhrasesTest,
                         ::testing::Values("de", "fr", "es", "it", "pt"),
                         [](const auto& p) { return p.param; });

class EuropeanSignalsTest : public EuropeanPhrasesTest {};

TEST_F(EuropeanSignalsTest, FrustrationInEachLanguage) {
  EXPECT_TRUE(Is("frustration", "Das ist jetzt schon wieder passiert, eine Frechheit"));
  EXPECT_TRUE(Is("frustration", "J'en ai marre, c'est inadmissible"));
  EXPECT_TRUE(Is("frustration", "Estoy harto, es la tercera vez que escribo"));
  EXPECT_TRUE(Is("frustration", "Sono stufo, è inaccettabile"));
  EXPECT_TRUE(Is("frustration", "Isso é um absurdo, não aguento mais"));
  EXPECT_FALSE(Is("frustration", "Danke, alles bestens"));
  EXPECT_FALSE(Is("frustration", "Merci beaucoup pour votre aide"));
}

TEST_F(EuropeanSignalsTest, NegationCancelsAsInEnglish) {
  EXPECT_FALSE(Is("human_request", "Ich will nicht mit einem Mitarbeiter sprechen"));
  EXPECT_FALSE(Is("human_request", "Je ne veux pas parler à un conseiller"));
  EXPECT_FALSE(Is("human_request", "No quiero hablar con un agente"));
  EXPECT_FALSE(Is("human_request", "Non voglio parlare con un operatore"));
  EXPECT_FALSE(Is("human_request", "Não quero falar com um atendente"));
  EXPECT_FALSE(Is("legal_threat", "Ich gehe nicht zum Anwalt"));
  EXPECT_FALSE(Is("legal_threat", "No voy a demandar a nadie"));
  // A negation in an earlier clause does not reach the request.
  EXPECT_TRUE(Is("human_request", "Nein, das hilft nicht. Ich will mit einem Menschen sprechen"));
}

TEST_F(EuropeanSignalsTest, QuestionsAboutTheBotAreNotRequests) {
  EXPECT_FALSE(Is("human_request", "Bist du ein echter Mensch?"));
  EXPECT_FALSE(Is("human_request", "¿Eres una persona real?"));
  EXPECT_FALSE(Is("human_request", "Sei una persona vera?"));
}

}  // namespace
}  // namespace hitlgate::signals
