// "Asks for a person", legal threat and frustration in German, French,
// Spanish, Italian and Portuguese, added to the English built-in categories
// so a policy rule on `human_request` works whatever the customer writes in.
//
// Written from how people write to contact centers in each language: formal
// and informal address (Sie/du, vous/tu, usted/tú, Lei/tu, você/o senhor),
// with and without accents ("nao", "pessoa", "operatore"), and the common
// misspellings customers type ("mitarbeitter", "conseiler", "abogao").
// A person is a request only with a verb of speaking, reaching or being put
// through, or a modifier only a human has ("echter Mensch", "persona real"):
// "der Mitarbeiter war nett" and "la teléfono de tu compañero" are not.
// Negation is the matcher's (phrase_matcher.cc knows "nicht", "pas", "no",
// "non", "não"... and the verbs of wanting of each language).
// RE2 syntax, case-insensitive; RE2's \b is ASCII-only, so no pattern puts
// \b next to an accented letter.
#include "signals/builtin_phrase_sets.h"

namespace hitlgate::signals::internal {
namespace {

// One word of anything, for the few words allowed between a person and the
// verb ("mit einem Mitarbeiter von Ihnen sprechen").
constexpr const char* kAnyWord = "[^\\s.,!?;:]+";
// The end of a word, accented letters included (RE2's \\b knows only ASCII):
// "agente" must not match in "agentes" twice, "capo" not in "capolinea".
constexpr const char* kEnd = "(?:$|[^\\pL\\pN])";

std::string Gap(int most) { return "(?:" + std::string(kAnyWord) + "\\s+){0," + std::to_string(most) + "}?"; }

// German. Verb last in the clause: "mit einem Mitarbeiter sprechen".
void German(PhraseCategory* human, PhraseCategory* legal, PhraseCategory* frustration) {
  const std::string person =
      "(?:menschen|mensch|mitarbei?tt?er(?:in|innen)?|mitarbeiter|kundenberater(?:in)?|berater(?:in)?|"
      "sachbearbeiter(?:in)?|vorgesetzte[nr]?|chef(?:in)?|person|kollegen|kollegin|"
      "ansprechpartner(?:in)?|agenten|operator|servicemitarbeiter(?:in)?|support-mitarbeiter(?:in)?|"
      "teamleiter(?:in)?|zuständigen|verantwortlichen)";
  const std::string det =
      "(?:mit|einen?|einem|einer|ihren|ihrem|ihrer|deinen|deinem|deiner|dem|den|der)";
  const std::string verb =
      "(?:sprechen|sprächen|reden|telefonieren|verbunden|verbinden|chatten|durchgestellt|"
      "weitergeleitet|weiterverbunden|schreiben)";
  human->patterns.push_back("\\b" + det + "\\s+" + Gap(2) + person + "\\s+" + Gap(3) + verb + "\\b");
  human->patterns.push_back("\\b(?:jemandem|jemanden|jemand)\\s+" + Gap(3) +
                            "(?:sprechen|reden|telefonieren|verbinden|verbunden)\\b");
  human->patterns.push_back(
      "\\b(?:will|möchte|möchten|brauche|brauchen|hätte gerne?|wünsche|verlange|fordere)\\s+"
      "(?:(?:sofort|bitte|jetzt|endlich|umgehend|doch)\\s+)?(?:einen|eine|einem|ihren|ihre|den|die)\\s+"
      "(?:(?:echten|richtigen|lebenden|menschlichen|zuständigen|anderen)\\s+)?" +
      person + "\\b");
  human->patterns.push_back("^\\W*(?:mitarbeiter|mensch|kundenberater|berater|kundendienst|"
                            "mitarbeiter bitte|mensch bitte)\\W*$");
  human->phrases.insert(human->phrases.end(),
                        {"echter mensch", "echten menschen", "echte person", "echten person",
                         "echte menschen", "lebenden menschen", "richtigen menschen",
                         "menschlichen mitarbeiter", "menschlicher ansprechpartner",
                         "verbinden sie mich", "verbinde mich", "verbindet mich",
                         "stellen sie mich durch", "stell mich durch", "mich weiterleiten",
                         "mich durchstellen", "mich weiterverbinden", "kein bot", "keinen bot",
                         "keine maschine", "nicht mit einem bot", "nicht mit dem bot",
                         "nicht mit einer maschine", "nicht mit einem roboter", "um rückruf",
                         "rückruf bitte", "stellen sie mich zu", "stell mich zu"});
  human->patterns.push_back("\\bruf(?:en sie|t)?\\s+mich\\s+(?:(?:bitte|doch|gerne|sofort)\\s+){0,2}(?:zurück|an)\\b");
  legal->phrases.insert(legal->phrases.end(),
                        {"anwalt", "anwältin", "rechtsanwalt", "rechtsanwältin", "anwalts",
                         "anwälte", "anwalt einschalten", "verklagen", "verklage", "verklagt",
                         "klage einreichen", "klage erheben", "rechtliche schritte",
                         "juristische schritte", "gerichtliche schritte", "vor gericht",
                         "gerichtlich vorgehen", "verbraucherzentrale", "verbraucherschutz",
                         "schlichtungsstelle", "bundesnetzagentur", "bafin", "strafanzeige",
                         "anzeige erstatten", "sammelklage", "mahnverfahren", "gerichtlich gegen"});
  frustration->phrases.insert(
      frustration->phrases.end(),
      {"schon wieder",     "zum dritten mal",   "zum vierten mal",  "zum x-ten mal",
       "immer noch nicht", "immer noch kein",   "immer noch keine", "es reicht",
       "mir reicht's",     "mir reichts",       "langsam reicht",   "frechheit",
       "unverschämt",      "unverschaemt",      "inakzeptabel",     "lächerlich",
       "lacherlich",       "eine katastrophe",  "eine zumutung",    "zumutung",
       "genervt",          "die nase voll",     "keine lust mehr",  "seit wochen",
       "seit monaten",     "wie oft noch",      "wie oft denn noch", "sauer",
       "stinksauer",       "verarschen",        "verarscht",        "schlechtester service",
       "unmöglich ist das", "das gibt's doch nicht"});
}

// French. "je veux parler à un conseiller", "passez-moi un responsable".
void French(PhraseCategory* human, PhraseCategory* legal, PhraseCategory* frustration) {
  const std::string person =
      "(?:humains?|[eê]tres? humains?|personnes?|conseill?(?:er|ers|ère|ères|ere|eres)|agents?|"
      "opérat(?:eur|eurs|rice)|operat(?:eur|rice)|responsables?|superviseur|supérieur|superieur|"
      "interlocut(?:eur|rice)|employée?s?|collègues?|collegues?|technicien(?:ne)?|quelqu'un|"
      "quelqu\u2019un|quelquun|chef|manager|vendeur|vendeuse)";
  const std::string speak =
      "(?:parler|discuter|echanger|avoir|joindre|contacter|en relation|transférée?|"
      "transferee?)";
  human->patterns.push_back("\\b" + speak + "\\s+(?:à|a|avec|au|aux|vers)?\\s*" + Gap(3) + person + kEnd);
  human->patterns.push_back("\\b(?:passez|passe|transférez|transferez|transfère|transfere|mettez|"
                            "mets)[-\\s]?(?:moi|me)\\s+" + Gap(2) + person + kEnd);
  human->patterns.push_back("\\bme\\s+(?:passer|passez|transférer|transferer|transférez|transferez)\\s+" +
                            Gap(2) + person + kEnd);
  human->patterns.push_back("\\b(?:veux|voudrais|souhaite|souhaiterais|exige|demande)\\s+(?:un|une|le|la|"
                            "votre|ton|ta)\\s+(?:(?:vrai|vraie|véritable|autre)\\s+)?" + person + kEnd);
  human->patterns.push_back("^\\W*(?:conseiller|conseillère|humain|opérateur|operateur|agent)"
                            "(?:\\s+(?:svp|s'il vous plaît|stp))?\\W*$");
  human->phrases.insert(human->phrases.end(),
                        {"vrai humain", "vraie personne", "vrai conseiller", "vraie conseillère",
                         "être humain", "etre humain", "personne réelle", "personne physique",
                         "pas un robot", "pas un bot", "pas avec un robot", "pas avec un bot",
                         "pas à un robot", "arrêtez le robot", "mettez-moi en relation",
                         "mettez moi en relation", "mise en relation", "rappelez-moi", "rappelez moi",
                         "rappelle-moi"});
  legal->phrases.insert(legal->phrases.end(),
                        {"avocat", "avocats", "avocate", "mon avocat", "porter plainte",
                         "déposer plainte", "deposer plainte", "portes plainte", "poursuivre en justice",
                         "poursuites judiciaires", "poursuites", "action en justice",
                         "au tribunal", "devant le tribunal", "devant les tribunaux",
                         "mise en demeure", "recours juridique", "recours en justice",
                         "que choisir", "ufc", "dgccrf", "médiateur", "mediateur",
                         "association de consommateurs", "action collective",
                         "vous poursuivre", "te poursuivre", "saisir la justice"});
  frustration->phrases.insert(
      frustration->phrases.end(),
      {"toujours pas",       "toujours rien",        "encore une fois",    "pour la troisième fois",
       "pour la troisieme fois", "pour la énième fois", "pour la nième fois", "inadmissible",
       "inacceptable",       "ras le bol",           "ras-le-bol",         "j'en ai marre",
       "j\u2019en ai marre", "jen ai marre",         "en ai assez",        "scandaleux",
       "honteux",            "une honte",            "n'importe quoi",     "ridicule",
       "depuis des semaines", "depuis des mois",     "c'est une blague",   "vous vous moquez",
       "se fout de",         "foutez de",            "énervé",             "énervée",
       "exaspéré",           "exaspérée",            "j'en peux plus",     "combien de fois"});
}

// Spanish. "quiero hablar con una persona", "pásame con un agente".
void Spanish(PhraseCategory* human, PhraseCategory* legal, PhraseCategory* frustration) {
  const std::string person =
      "(?:personas?|humanos?|seres? humanos?|agentes?|asesor(?:es|a|as)?|operador(?:es|a|as)?|"
      "encargad[oa]s?|supervisor(?:es|a)?|responsables?|gerentes?|jefes?|jefas?|"
      "empleados?|empleadas?|alguien|compañer[oa]s?|companer[oa]s?|representantes?|"
      "técnicos?|tecnicos?|ejecutiv[oa]s?)";
  human->patterns.push_back("\\b(?:hablar|ablar|conversar|chatear|comunicarme|contactar|contactarme)"
                            "\\s+(?:con|a)\\s+" + Gap(3) + person + kEnd);
  human->patterns.push_back("\\b(?:pásame|pasame|páseme|paseme|pásenme|pasenme|comuníqueme|"
                            "comuniqueme|comunícame|comunicame|transfiéreme|transfiereme|"
                            "transfiérame|transfierame|ponme|póngame|pongame)\\s+(?:con\\s+)?" + Gap(2) + person + kEnd);
  human->patterns.push_back("\\b(?:quiero|quisiera|necesito|exijo|pido)\\s+(?:(?:ya|ahora)\\s+)?"
                            "(?:un|una|al|a la|a un|a una|con un|con una)\\s+(?:(?:verdadera?|real|otro|"
                            "otra)\\s+)?" + person + kEnd);
  human->patterns.push_back("^\\W*(?:agente|asesor|operador|persona|humano)(?:\\s+por favor)?\\W*$");
  human->phrases.insert(human->phrases.end(),
                        {"persona real", "humano real", "ser humano", "persona de verdad",
                         "alguien real", "alguien de verdad", "no un robot", "no un bot",
                         "no con un robot", "no con un bot", "no con una máquina", "basta de robot",
                         "llámenme", "llamenme", "llámeme", "llameme", "llámame", "llamame",
                         "que me llame alguien", "que alguien me llame"});
  legal->phrases.insert(legal->phrases.end(),
                        {"abogado", "abogada", "abogados", "mi abogado", "abogao", "demandar",
                         "demandaré", "demandare", "demandarlos", "demandarles", "demanda judicial", "denunciarlos", "denunciarles",
                         "denunciarla", "denunciarlo",
                         "poner una denuncia", "denunciar", "denunciaré", "denunciare",
                         "acciones legales", "medidas legales", "acción legal", "accion legal",
                         "vía judicial", "via judicial", "los tribunales", "al juzgado",
                         "ante el juez", "hoja de reclamaciones", "oficina del consumidor",
                         "facua", "ocu", "profeco", "reclamación formal"});
  frustration->phrases.insert(
      frustration->phrases.end(),
      {"otra vez",           "de nuevo lo mismo",  "por tercera vez",   "por cuarta vez",
       "todavía no",         "todavia no",         "aún no",            "aun no",
       "sigo esperando",     "estoy harto",        "estoy harta",       "hasta las narices",
       "inaceptable",        "una vergüenza",      "una verguenza",     "vergonzoso",
       "ridículo",           "ridiculo",           "es una broma",      "qué desastre",
       "que desastre",       "desde hace semanas", "desde hace meses",  "estoy cansado de",
       "estoy cansada de",   "me tienen harto",    "me tienen harta",   "cuántas veces",
       "cuantas veces",      "una tomadura de pelo", "indignante",       "pésimo servicio"});
}

// Italian. "voglio parlare con un operatore", "mi passi un responsabile".
void Italian(PhraseCategory* human, PhraseCategory* legal, PhraseCategory* frustration) {
  const std::string person =
      "(?:persona|persone|umano|umani|essere umano|oper(?:atore|atori|atrice|atrici|atre|tore)|"
      "addett[oaie]|consulent[ei]|responsabil[ei]|supervisore|superiore|dipendent[ei]|"
      "impiegat[oaie]|qualcuno|collega|colleghi|tecnico|assistente|agente|agenti|"
      "direttore|capo|referente)";
  human->patterns.push_back("\\b(?:(?:parlare|chattare|comunicare|sentire)\\s+(?:con|a|ad)|contattare)"
                            "\\s+" + Gap(3) + person + kEnd);
  human->patterns.push_back("\\b(?:mi passi|mi passa|passami|passatemi|mi metta in contatto|"
                            "mettimi in contatto|mi trasferisca|trasferiscimi|mi colleghi|collegami)"
                            "\\s+(?:con\\s+)?" + Gap(2) + person + kEnd);
  human->patterns.push_back("\\b(?:voglio|vorrei|esigo|chiedo|pretendo)\\s+(?:(?:subito|adesso|ora)\\s+)?"
                            "(?:un|una|un'|il|la|l')\\s*(?:(?:vero|vera|altro|altra)\\s+)?" + person + kEnd);
  human->patterns.push_back("^\\W*(?:operatore|persona|umano|consulente)(?:\\s+(?:per favore|grazie))?\\W*$");
  human->phrases.insert(human->phrases.end(),
                        {"persona vera", "persona reale", "essere umano", "operatore umano",
                         "un umano", "non un robot", "non un bot", "non con un robot",
                         "non con un bot", "basta robot", "mi richiamate", "richiamatemi",
                         "mi richiami", "fatemi richiamare", "mi faccia richiamare"});
  legal->phrases.insert(legal->phrases.end(),
                        {"avvocato", "avvocata", "avvocati", "il mio avvocato", "avocato",
                         "fare causa", "farò causa", "faro causa", "faccio causa", "farvi causa", "vi faccio causa",
                         "vi denuncio", "denunciare", "denuncia", "sporgere denuncia",
                         "vie legali", "azioni legali", "azione legale", "via legale",
                         "in tribunale", "al giudice", "giudice di pace", "diffida",
                         "codacons", "altroconsumo", "adiconsum", "agcom",
                         "associazione consumatori", "class action"});
  frustration->phrases.insert(
      frustration->phrases.end(),
      {"ancora una volta",   "per la terza volta",  "per la quarta volta", "ancora non",
       "ancora niente",      "sto ancora aspettando", "sono stufo",        "sono stufa",
       "stufo di",           "stufa di",           "non se ne può più",  "non se ne puo piu",
       "inaccettabile",      "vergogna",           "vergognoso",         "ridicolo",
       "assurdo",            "da settimane",       "da mesi",            "mi avete stancato",
       "presa in giro",      "prendete in giro",   "quante volte",       "pessimo servizio",
       "scandaloso",         "sono arrabbiato",    "sono arrabbiata",    "sono esasperato",
       "non ne posso più",   "non ne posso piu"});
}

// Portuguese (Brazil and Portugal). "quero falar com um atendente".
void Portuguese(PhraseCategory* human, PhraseCategory* legal, PhraseCategory* frustration) {
  const std::string person =
      "(?:pessoas?|humanos?|ser humano|atenden?[dt]es?|atendimento humano|agentes?|operador(?:es|a|as)?|"
      "assistentes?|consultor(?:es|a|as)?|gerentes?|supervisor(?:es|a)?|responsáve(?:l|is)|"
      "responsave(?:l|is)|funcionári[oa]s?|funcionari[oa]s?|alguém|alguem|colegas?|"
      "técnicos?|tecnicos?|chefe|representantes?)";
  human->patterns.push_back("\\b(?:(?:falar|conversar|papear|comunicar)\\s+(?:com|a|ao|à)|contatar|contactar)"
                            "\\s+" + Gap(3) + person + kEnd);
  human->patterns.push_back("\\b(?:me passa|me passe|passa-me|passe-me|me transfira|me transfere|"
                            "transfira-me|me coloque em contato|me coloca em contato)"
                            "\\s+(?:com|para|pra)?\\s*" + Gap(2) + person + kEnd);
  human->patterns.push_back("\\b(?:quero|queria|gostaria de|preciso de|exijo)\\s+(?:(?:já|agora)\\s+)?"
                            "(?:(?:um|uma|o|a|com um|com uma)\\s+)?(?:(?:verdadeir[oa]|outr[oa])\\s+)?" + person + kEnd);
  human->patterns.push_back("^\\W*(?:atendente|humano|pessoa|operador)(?:\\s+por favor)?\\W*$");
  human->phrases.insert(human->phrases.end(),
                        {"pessoa real", "pessoa de verdade", "humano de verdade", "ser humano",
                         "atendimento humano", "atendente humano", "não um robô", "nao um robo",
                         "não com um robô", "nao com um robo", "não com um bot", "nao com um bot",
                         "chega de robô", "chega de robo", "me liguem", "me ligue",
                         "liguem para mim", "me retornem", "falar com gente"});
  legal->phrases.insert(legal->phrases.end(),
                        {"advogado", "advogada", "advogados", "meu advogado", "adivogado",
                         "processo vocês", "processar vocês", "vou processar", "processar a empresa",
                         "processar a loja", "processá-los", "processa-los",
                         "ação judicial", "acao judicial", "medidas judiciais", "medidas legais",
                         "na justiça", "na justica", "justiça", "pequenas causas", "juizado",
                         "no tribunal", "ao tribunal", "em tribunal",
                         // "no" is Portuguese for "in the", not a negation here.
                         "no procon", "procon", "no reclame aqui", "reclame aqui", "reclameaqui",
                         "deco", "livro de reclamações", "livro de reclamacoes",
                         "no livro de reclamações", "no livro de reclamacoes", "denunciar",
                         "consumidor.gov", "no consumidor.gov", "anatel", "na anatel"});
  frustration->phrases.insert(
      frustration->phrases.end(),
      {"de novo",            "outra vez",           "pela terceira vez",  "pela quarta vez",
       "ainda não",          "ainda nao",           "continuo esperando", "continuo aguardando",
       "estou farto",        "estou farta",         "cansado de",         "cansada de",
       "inaceitável",        "inaceitavel",         "absurdo",            "uma vergonha",
       "vergonhoso",         "ridículo",            "ridiculo",           "há semanas",
       "ha semanas",         "faz semanas",         "há meses",           "faz meses",
       "palhaçada",          "palhacada",           "descaso",            "quantas vezes",
       "péssimo atendimento", "pessimo atendimento", "não aguento mais",  "nao aguento mais"});
}

}  // namespace

void AddEuropeanPhrases(PhraseCategory* human, PhraseCategory* legal, PhraseCategory* frustration) {
  German(human, legal, frustration);
  French(human, legal, frustration);
  Spanish(human, legal, frustration);
  Italian(human, legal, frustration);
  Portuguese(human, legal, frustration);
}

}  // namespace hitlgate::signals::internal
