// The sensitive topics (medical, financial, legal) in German, French,
// Spanish, Italian and Portuguese: messages a contact center gets fire their
// topic, with and without accents; near misses (words that also mean
// something harmless: a loudspeaker, "ready", a traffic jam, "to tolerate")
// fire none. Single-threaded.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "hitlgate/signals/phrase_matcher.h"

namespace hitlgate::signals {
namespace {

class EuropeanTopicsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto m = PhraseMatcher::Build(PhraseMatcher::BuiltinCategories());
    ASSERT_TRUE(m.has_value());
    matcher_ = *m;
  }
  bool Is(std::string_view category, std::string_view text, std::string_view language) {
    return (matcher_->Match(text, language) >> matcher_->FindCategory(category)) & 1;
  }
  // Every topic that fires, for a readable failure.
  std::string Topics(std::string_view text, std::string_view language) {
    std::string out;
    for (const char* t : {"medical", "financial", "legal"}) {
      if (Is(t, text, language)) out += std::string(out.empty() ? "" : ",") + t;
    }
    return out;
  }
  std::shared_ptr<const PhraseMatcher> matcher_;
};

struct Case {
  const char* language;
  const char* topic;  // "" for a near miss: no topic may fire
  const char* text;
};

constexpr Case kCases[] = {
    // German
    {"de", "medical", "Ich war im Krankenhaus und konnte deshalb nicht zahlen"},
    {"de", "medical", "Mein Hausarzt hat mir das Medikament verschrieben"},
    {"de", "medical", "Ich bin schwanger und brauche die Lieferung dringend"},
    {"de", "medical", "Meine Mutter sitzt im Rollstuhl"},
    {"de", "financial", "Die Rückerstattung ist immer noch nicht da"},
    {"de", "financial", "Die Rueckerstattung fehlt, bitte prüfen"},
    {"de", "financial", "Ich habe Schulden und kann die Rate nicht zahlen"},
    {"de", "financial", "Sie haben 49,99 € doppelt abgebucht"},
    {"de", "financial", "Es geht um 120 Euro"},
    {"de", "legal", "Bitte löschen Sie meine Daten gemäß DSGVO"},
    {"de", "legal", "Ich möchte meinen Handyvertrag kündigen"},
    {"de", "legal", "Ich mache von meinem Widerrufsrecht Gebrauch"},
    {"de", "", "Ich vertrage keine langen Wartezeiten"},
    {"de", "", "Wegen einer Verkehrsbehinderung kam der Fahrer zu spät"},
    {"de", "", "Meine Doktorarbeit ist fast fertig, danke der Nachfrage"},
    {"de", "", "Wo ist mein Paket? Die Sendung hängt seit Tagen fest"},
    // French
    {"fr", "medical", "Je suis enceinte et je ne peux pas porter le colis"},
    {"fr", "medical", "Mon médecin m'a prescrit un nouveau medicament"},
    {"fr", "medical", "J'étais à l'hôpital la semaine dernière"},
    {"fr", "financial", "Je n'ai toujours pas reçu mon remboursement"},
    {"fr", "financial", "Vous m'avez prélevé 30 € deux fois"},
    {"fr", "financial", "Je voudrais un prêt immobilier"},
    {"fr", "legal", "Conformément au RGPD, supprimez mes données personnelles"},
    {"fr", "legal", "Je veux résilier mon contrat"},
    {"fr", "", "Mon enceinte bluetooth ne s'allume plus"},
    {"fr", "", "Je suis prêt, on peut commencer"},
    {"fr", "", "Où est ma commande ? Elle devait arriver hier"},
    // Spanish
    {"es", "medical", "Estoy embarazada y necesito el pedido urgente"},
    {"es", "medical", "Mi médico me recetó este medicamento"},
    {"es", "medical", "Estuve en el hospital, por eso no contesté"},
    {"es", "financial", "Me cobraron dos veces, quiero el reembolso"},
    {"es", "financial", "Tengo deudas y no puedo pagar la cuota"},
    {"es", "financial", "La devolucion del dinero no ha llegado"},
    {"es", "legal", "Quiero ejercer mi derecho de supresión según el RGPD"},
    {"es", "legal", "Quiero cancelar el contrato"},
    {"es", "", "El técnico a cargo de la instalación no vino"},
    {"es", "", "Recibo el paquete mañana, gracias"},
    {"es", "", "¿Dónde está mi pedido?"},
    // Italian
    {"it", "medical", "Sono incinta e non posso ritirare il pacco"},
    {"it", "medical", "Il mio medico mi ha prescritto un farmaco"},
    {"it", "medical", "Ero al pronto soccorso, per questo non ho risposto"},
    {"it", "financial", "Non ho ancora ricevuto il rimborso"},
    {"it", "financial", "Mi avete addebitato due volte la bolletta"},
    {"it", "financial", "Ho chiesto un mutuo per la casa"},
    {"it", "legal", "Chiedo la cancellazione dei miei dati personali ai sensi del GDPR"},
    {"it", "legal", "Voglio esercitare il diritto di recesso"},
    {"it", "", "Il dottor Rossi del vostro ufficio vendite mi ha chiamato"},
    {"it", "", "Il codice inserito risulta non valido"},
    {"it", "", "Dov'è il mio ordine?"},
    // Portuguese
    {"pt", "medical", "Estou grávida e não posso buscar a encomenda"},
    {"pt", "medical", "Meu médico receitou um remédio novo"},
    {"pt", "medical", "Fiquei internada no hospital"},
    {"pt", "financial", "Ainda não recebi o estorno"},
    {"pt", "financial", "Fui cobrado duas vezes na fatura do cartão de crédito"},
    {"pt", "financial", "Estou com dívidas e nome sujo no Serasa"},
    {"pt", "financial", "Já paguei via pix e não caiu"},
    {"pt", "legal", "Pela LGPD quero que apaguem meus dados pessoais"},
    {"pt", "legal", "Quero o cancelamento do contrato"},
    {"pt", "", "O serviço de vocês é deficiente"},
    {"pt", "", "Estou fazendo uma reforma na casa e preciso da entrega"},
    {"pt", "", "Cadê meu pedido?"},
};

TEST_F(EuropeanTopicsTest, EachLanguagesTopicsFireAndNearMissesDoNot) {
  for (const Case& c : kCases) {
    const std::string got = Topics(c.text, c.language);
    if (*c.topic == '\0') {
      EXPECT_EQ(got, "") << c.language << ": " << c.text;
    } else {
      EXPECT_TRUE(Is(c.topic, c.text, c.language)) << c.language << " " << c.topic << ": " << c.text
                                                    << " (fired: " << got << ")";
    }
  }
}

TEST_F(EuropeanTopicsTest, EnoughCasesPerLanguage) {
  for (const char* language : {"de", "fr", "es", "it", "pt"}) {
    int topics = 0, near_misses = 0;
    for (const Case& c : kCases) {
      if (std::string_view(c.language) != language) continue;
      (*c.topic ? topics : near_misses)++;
    }
    EXPECT_GE(topics, 7) << language;
    EXPECT_GE(near_misses, 3) << language;
  }
}

// Topics are not negatable, in any language, as in English: a customer who
// says they have no debts is still talking about debt.
TEST_F(EuropeanTopicsTest, NegationDoesNotCancelATopic) {
  EXPECT_TRUE(Is("financial", "Ich habe keine Schulden", "de"));
  EXPECT_TRUE(Is("medical", "Non sono incinta", "it"));
}

// The English topics keep their behaviour: the new phrases add no English
// false positives for everyday words ("rate", "privacy", "diagnostics",
// "depressing", "pix").
TEST_F(EuropeanTopicsTest, EnglishNearMissesStayQuiet) {
  EXPECT_EQ(Topics("Please rate our service", "en"), "");
  EXPECT_EQ(Topics("I value my privacy", "en"), "");
  EXPECT_EQ(Topics("I ran the router diagnostics twice", "en"), "");
  EXPECT_EQ(Topics("This delay is depressing", "en"), "");
  EXPECT_EQ(Topics("Send me the pix of the box", "en"), "");
  EXPECT_TRUE(Is("medical", "I was in hospital last week", "en"));
}

}  // namespace
}  // namespace hitlgate::signals
