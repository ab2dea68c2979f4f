// The learned sentiment of German, French, Spanish, Italian and Portuguese
// through SentimentScorer::Score(text, language): polarity of plain words,
// negation and intensity as the English scorer has them, the language tag's
// forms, and odd input. Single-threaded.
#include <gtest/gtest.h>

#include <string>

#include "hitlgate/signals/sentiment.h"
#include "signals/learned_sentiment.h"

namespace hitlgate::signals {
namespace {

double Compound(std::string_view text, std::string_view language) {
  return SentimentScorer::Default()->Score(text, language).compound;
}

TEST(LearnedSentimentTest, PolarityInEachLanguage) {
  EXPECT_GT(Compound("Super, vielen Dank, das war toll!", "de"), 0.3);
  EXPECT_LT(Compound("Das ist eine Katastrophe, ich bin so enttäuscht", "de"), -0.3);
  EXPECT_GT(Compound("Merci beaucoup, c'est génial", "fr"), 0.3);
  EXPECT_LT(Compound("C'est nul, vraiment horrible", "fr"), -0.3);
  EXPECT_GT(Compound("Muchas gracias, excelente servicio", "es"), 0.3);
  EXPECT_LT(Compound("Odio esto, qué asco, estoy muy triste", "es"), -0.3);
  EXPECT_GT(Compound("Grazie mille, siete fantastici", "it"), 0.3);
  EXPECT_LT(Compound("Che schifo, sono deluso e arrabbiato", "it"), -0.3);
  EXPECT_GT(Compound("Muito obrigado, adorei", "pt"), 0.3);
  EXPECT_LT(Compound("Que vergonha, péssimo atendimento", "pt"), -0.3);
}

// The tweets taught the models little about customers: "es" and "servicio"
// lean positive there, so "pésimo servicio" scored positive before the
// contact-center lexicon (european_sentiment_lexicon.cc). The same complaint
// in each language.
TEST(LearnedSentimentTest, ShameAndAwfulServiceIsNegativeInEachLanguage) {
  EXPECT_LT(Compound("Es una vergüenza, pésimo servicio", "es"), -0.3);
  EXPECT_LT(Compound("Es una verguenza, pesimo servicio", "es"), -0.3);
  EXPECT_LT(Compound("Eine Frechheit, miserabler Service", "de"), -0.3);
  EXPECT_LT(Compound("C'est une honte, service lamentable", "fr"), -0.3);
  EXPECT_LT(Compound("È una vergogna, servizio pessimo", "it"), -0.3);
  EXPECT_LT(Compound("É uma vergonha, péssimo atendimento", "pt"), -0.3);
}

struct Case {
  const char* language;
  const char* text;
};

// Messages a contact center gets, formal and informal, with and without
// accents and with the usual misspellings: each must land on its side.
TEST(LearnedSentimentTest, CustomerComplaintsAreNegative) {
  for (const Case& c : {
           Case{"de", "Das ist unverschämt, ich bin total enttäuscht von Ihrem Kundenservice"},
           Case{"de", "Katastrophaler Service, seit zwei Wochen keine Antwort"},
           Case{"de", "Bin echt entäuscht, die Lieferung war kaputt"},
           Case{"de", "Sie sind inkompetent und unfreundlich"},
           Case{"fr", "Je suis très déçu, votre service client est nul"},
           Case{"fr", "Colis abîmé et remboursement refusé, c'est inadmissible"},
           Case{"fr", "vous etes des arnaqueurs, service deplorable"},
           Case{"es", "Estoy harto, el paquete llegó roto y nadie responde"},
           Case{"es", "Muy mal servicio, me siento estafado"},
           Case{"es", "Atención pésima, una verguenza"},
           Case{"it", "Sono molto deluso, servizio clienti pessimo"},
           Case{"it", "Che schifo, il pacco è arrivato rotto"},
           Case{"it", "Siete degli incompetenti, una vergogna"},
           Case{"pt", "Estou muito insatisfeito, atendimento horrível"},
           Case{"pt", "Produto veio quebrado, que descaso"},
           Case{"pt", "pessimo atendimento, um lixo"},
       }) {
    EXPECT_LT(Compound(c.text, c.language), -0.2) << c.language << ": " << c.text;
  }
}

TEST(LearnedSentimentTest, CustomerPraiseIsPositive) {
  for (const Case& c : {
           Case{"de", "Vielen Dank, Ihr Mitarbeiter war sehr freundlich und kompetent"},
           Case{"de", "Danke, hat alles prima geklappt"},
           Case{"fr", "Merci beaucoup, conseiller très aimable et efficace"},
           Case{"fr", "Parfait, je suis ravi du service"},
           Case{"es", "Muchas gracias, la atención fue excelente"},
           Case{"es", "Todo perfecto, muy amables"},
           Case{"it", "Grazie mille, servizio ottimo e personale gentilissimo"},
           Case{"it", "Tutto perfetto, sono molto soddisfatto"},
           Case{"pt", "Muito obrigada, atendimento ótimo"},
           Case{"pt", "Parabéns pelo atendimento, super atenciosos"},
       }) {
    EXPECT_GT(Compound(c.text, c.language), 0.2) << c.language << ": " << c.text;
  }
}

// "not bad" is mildly good, "not good" mildly bad, in each language; the
// lexicon's words are negated like the learned ones.
TEST(LearnedSentimentTest, NegatedLexiconWordsFlip) {
  EXPECT_GT(Compound("nicht schlecht", "de"), 0.0);
  EXPECT_LT(Compound("nicht zufrieden", "de"), 0.0);
  EXPECT_GT(Compound("non è male", "it"), 0.0);
  EXPECT_LT(Compound("non sono soddisfatto", "it"), 0.0);
  EXPECT_GT(Compound("pas mauvais du tout", "fr"), 0.0);
  EXPECT_LT(Compound("je ne suis pas satisfait", "fr"), 0.0);
  EXPECT_GT(Compound("no está nada mal", "es"), 0.0);
  EXPECT_LT(Compound("no estoy contento", "es"), 0.0);
  EXPECT_GT(Compound("não é ruim", "pt"), 0.0);
  EXPECT_LT(Compound("não fiquei satisfeito", "pt"), 0.0);
}

TEST(LearnedSentimentTest, LexiconMatchesInflectionsAndAccentlessSpellings) {
  using internal::ContactCenterValence;
  EXPECT_LT(ContactCenterValence("enttäuschend", 0), 0.0);  // prefix "enttäusch*"
  EXPECT_LT(ContactCenterValence("katastrofal", 0), 0.0);   // misspelt
  EXPECT_GT(ContactCenterValence("freundlich", 0), 0.0);
  EXPECT_LT(ContactCenterValence("unfreundlich", 0), 0.0);  // not "freundlich*"
  EXPECT_LT(ContactCenterValence("decue", 1), 0.0);
  EXPECT_LT(ContactCenterValence("pesimo", 2), 0.0);
  EXPECT_LT(ContactCenterValence("pessima", 3), 0.0);
  EXPECT_GT(ContactCenterValence("ótimo", 4), 0.0);
  EXPECT_DOUBLE_EQ(ContactCenterValence("tisch", 0), 0.0);
  EXPECT_DOUBLE_EQ(ContactCenterValence("", 3), 0.0);
  // A prefix shorter than the lookup's gate of four bytes would never match.
  for (int language = 0; language < internal::kLearnedLanguages; ++language) {
    EXPECT_GE(internal::ShortestContactCenterPrefix(language), 4u) << language;
  }
}

TEST(LearnedSentimentTest, NegationFlipsAndDampens) {
  const double good = Compound("gut", "de");
  ASSERT_GT(good, 0.0);
  const double not_good = Compound("nicht gut", "de");
  EXPECT_LT(not_good, 0.0);
  EXPECT_LT(-not_good, good);  // mildly negative, as in VADER
  // Three words back still negates; a negation in an earlier clause does not.
  EXPECT_LT(Compound("nicht wirklich so gut", "de"), 0.0);
  EXPECT_GT(Compound("nicht schlecht. gut", "de"), 0.0);
  EXPECT_LT(Compound("no es bueno", "es"), 0.0);
  EXPECT_LT(Compound("non è bello", "it"), Compound("è bello", "it"));
  EXPECT_LT(Compound("não é bom", "pt"), Compound("é bom", "pt"));
  EXPECT_LT(Compound("ce n'est pas génial", "fr"), Compound("c'est génial", "fr"));
}

TEST(LearnedSentimentTest, IntensityBoostersCapitalsAndExclamations) {
  EXPECT_GT(Compound("sehr gut", "de"), Compound("gut", "de"));
  EXPECT_GT(Compound("Das ist GUT", "de"), Compound("Das ist gut", "de"));
  EXPECT_GT(Compound("gut!!!", "de"), Compound("gut", "de"));
  EXPECT_LT(Compound("muy malo", "es"), Compound("malo", "es"));
}

TEST(LearnedSentimentTest, LanguageTagsAndFallback) {
  EXPECT_EQ(internal::LearnedLanguageIndex("de"), 0);
  EXPECT_EQ(internal::LearnedLanguageIndex("DE-at"), 0);
  EXPECT_EQ(internal::LearnedLanguageIndex("pt_BR"), 4);
  EXPECT_EQ(internal::LearnedLanguageIndex("en"), -1);
  EXPECT_EQ(internal::LearnedLanguageIndex("deu"), -1);
  EXPECT_EQ(internal::LearnedLanguageIndex(""), -1);
  // English and unknown languages keep the English scorer.
  const auto scorer = SentimentScorer::Default();
  EXPECT_DOUBLE_EQ(scorer->Score("this is terrible", "en").compound, scorer->Score("this is terrible").compound);
  EXPECT_DOUBLE_EQ(scorer->Score("this is terrible", "").compound, scorer->Score("this is terrible").compound);
}

TEST(LearnedSentimentTest, OddInputIsScoredWithoutHarm) {
  EXPECT_DOUBLE_EQ(Compound("", "de"), 0.0);
  EXPECT_DOUBLE_EQ(Compound("12345 @user http://x.y", "fr"), 0.0);
  std::string junk = "\xff\xfe\xc3 gut \xe2\x80";
  EXPECT_GT(Compound(junk, "de"), 0.0);
  std::string long_text;
  for (int k = 0; k < 3000; ++k) long_text += "schlecht ";
  const double c = Compound(long_text, "de");
  EXPECT_LT(c, 0.0);
  EXPECT_GE(c, -1.0);
  std::string long_word(500, 'a');
  EXPECT_DOUBLE_EQ(Compound(long_word, "it"), 0.0);
}

}  // namespace
}  // namespace hitlgate::signals
