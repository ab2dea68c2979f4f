// Unit tests for DetectLanguage: typical customer messages in the six
// languages, short and odd input, invalid UTF-8, and other languages
// (left to CLD2).
#include "hitlgate/signals/language.h"

#include <gtest/gtest.h>

#include <string>

namespace hitlgate::signals {
namespace {

TEST(LanguageTest, CustomerMessagesInTheSixLanguages) {
  EXPECT_EQ(DetectLanguage("I want to speak to a person about my order, this is not ok"), "en");
  EXPECT_EQ(DetectLanguage("Ich möchte sofort mit einem Menschen sprechen, sonst gehe ich zum Anwalt"), "de");
  EXPECT_EQ(DetectLanguage("Je veux parler à un conseiller, ma commande n'est toujours pas arrivée"), "fr");
  EXPECT_EQ(DetectLanguage("Quiero hablar con una persona, mi pedido todavía no ha llegado"), "es");
  EXPECT_EQ(DetectLanguage("Voglio parlare con un operatore, il mio ordine non è ancora arrivato"), "it");
  EXPECT_EQ(DetectLanguage("Quero falar com um atendente, meu pedido ainda não chegou"), "pt");
}

TEST(LanguageTest, CapitalsAndTypographicApostrophesDoNotMatter) {
  EXPECT_EQ(DetectLanguage("ICH MÖCHTE MEIN GELD ZURÜCK, UND ZWAR SOFORT"), "de");
  EXPECT_EQ(DetectLanguage("J\u2019ai attendu trois semaines, c\u2019est inadmissible et je suis furieux"), "fr");
}

TEST(LanguageTest, FunctionWordsSharedByTwoLanguagesDoNotDecideAlone) {
  // "no", "con", "para" are Spanish and Portuguese/Italian alike: the
  // Spanish-only words must carry it.
  EXPECT_EQ(DetectLanguage("No quiero esperar más, necesito hablar con alguien ya"), "es");
  EXPECT_EQ(DetectLanguage("Não quero esperar mais, preciso falar com alguém já"), "pt");
}

TEST(LanguageTest, TooLittleTextIsUnknown) {
  EXPECT_EQ(DetectLanguage(""), "");
  EXPECT_EQ(DetectLanguage("ok"), "");
  EXPECT_EQ(DetectLanguage("12345 !!! ???"), "");
}

TEST(LanguageTest, OtherLanguagesComeFromCld2) {
  EXPECT_EQ(DetectLanguage("Ik wil graag met een medewerker spreken over mijn bestelling, want die is nog "
                           "steeds niet aangekomen"),
            "nl");
  EXPECT_EQ(DetectLanguage("Chcę rozmawiać z konsultantem, moje zamówienie wciąż nie dotarło do mnie"), "pl");
}

TEST(LanguageTest, InvalidUtf8IsCutWhereItStarts) {
  std::string text = "Quiero hablar con una persona, mi pedido todavía no ha llegado y estoy harto ";
  text += "\xff\xfe\xc3";
  EXPECT_EQ(DetectLanguage(text), "es");
  // Nothing but invalid bytes: unknown, no crash.
  EXPECT_EQ(DetectLanguage("\xff\xff\xfe\xfe\xc0\x80"), "");
}

TEST(LanguageTest, LongTextIsBoundedAndStillDetected) {
  std::string text;
  for (int k = 0; k < 2000; ++k) text += "Das Paket ist immer noch nicht da und ich warte schon ewig. ";
  EXPECT_EQ(DetectLanguage(text), "de");
  std::string words;  // no function words at all: CLD2 over its first 4 KiB
  for (int k = 0; k < 2000; ++k) words += "Lieferung Verspätung Rückerstattung Kundendienst ";
  EXPECT_EQ(DetectLanguage(words), "de");
}

}  // namespace
}  // namespace hitlgate::signals
