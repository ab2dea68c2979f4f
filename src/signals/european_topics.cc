// The sensitive topics (medical, financial, legal) in German, French,
// Spanish, Italian and Portuguese, appended to the English built-in topics
// so a policy rule on `medical` works whatever the customer writes in.
//
// Topics are not negatable ("keine Schulden" is still about debt), as in
// English. Each phrase with accents also gets its plain spelling
// ("médico" -> "medico", German "Schwangerschaft" stays, "Rückerstattung" ->
// "Rueckerstattung" and "Ruckerstattung"), because customers type without them.
// Words that mean something harmless too are listed only in the phrase that
// makes them a topic: French "enceinte" is also a loudspeaker ("je suis
// enceinte", not "enceinte"), "prêt" is also "ready" ("un prêt", "mon prêt"),
// "opération" is also a bank transfer, German "vertragen" is to tolerate,
// "Behinderung" also a traffic obstruction, Italian "dottore" a title.
// Every language's phrases run over every message, English ones included, so
// none is an English word with another meaning ("operation", "placement",
// "succession" are left out, Brazilian "pix" only with a word before it,
// the German stem is "depression", not "depressi" of "depressing"); "crédit" spelt plain is English "credit",
// which is about money in English too.
// RE2 syntax, case-insensitive; RE2's \b is ASCII-only, so patterns end
// words with kEnd.
#include <algorithm>
#include <string>
#include <vector>

#include "signals/builtin_phrase_sets.h"

namespace hitlgate::signals::internal {
namespace {

constexpr const char* kEnd = "(?:$|[^\\pL\\pN])";
constexpr const char* kStart = "(?:^|[^\\pL\\pN])";

struct Plain {
  const char* accented;
  const char* plain;
};
// Two spellings for German umlauts: "ue" (the proper one) and "u" (hasty).
constexpr Plain kUmlautsProper[] = {{"ä", "ae"}, {"ö", "oe"}, {"ü", "ue"}, {"ß", "ss"}};
constexpr Plain kAccents[] = {{"ä", "a"}, {"ö", "o"}, {"ü", "u"}, {"á", "a"}, {"à", "a"}, {"â", "a"},
                              {"ã", "a"}, {"é", "e"}, {"è", "e"}, {"ê", "e"}, {"ë", "e"}, {"í", "i"},
                              {"ì", "i"}, {"î", "i"}, {"ï", "i"}, {"ó", "o"}, {"ò", "o"}, {"ô", "o"},
                              {"õ", "o"}, {"ú", "u"}, {"ù", "u"}, {"û", "u"}, {"ç", "c"}, {"ñ", "n"}};

template <std::size_t N>
std::string Replace(std::string s, const Plain (&table)[N]) {
  for (const Plain& p : table) {
    const std::string from = p.accented;
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at)) {
      s.replace(at, from.size(), p.plain);
    }
  }
  return s;
}

// Appends each phrase and, where it differs, its spellings without accents.
void Add(PhraseCategory* category, std::initializer_list<const char*> phrases) {
  for (const char* phrase : phrases) {
    const std::string as_written = phrase;
    category->phrases.push_back(as_written);
    for (const std::string& variant : {Replace(as_written, kUmlautsProper), Replace(as_written, kAccents)}) {
      if (variant != as_written &&
          std::find(category->phrases.begin(), category->phrases.end(), variant) == category->phrases.end()) {
        category->phrases.push_back(variant);
      }
    }
  }
}

// An amount written the European way, the currency after the number
// ("49,99 €", "30 euros"); the English pattern knows "€30" and "30 EUR".
std::string Amount(std::initializer_list<const char*> currency_words) {
  std::string alternatives = "€";
  for (const char* w : currency_words) alternatives += std::string("|") + w + kEnd;
  return "\\d\\s?(?:" + alternatives + ")";
}

void German(PhraseCategory* medical, PhraseCategory* financial, PhraseCategory* legal) {
  // German joins words: "Hausarzt", "Chemotherapie", "Krankenhausaufenthalt",
  // so the medical stems match inside a word (none of them is inside an
  // English word: the pattern runs over English messages too, so
  // "diagnos", which is in "diagnostics", is not one).
  medical->patterns.push_back(
      "(?:arzt|ärzt|aerzt|krankenhaus|krankenkasse|klinik|medikament|therapie|rollstuhl|"
      "schwanger|diabet|allergi|blutdruck|chemo|krankgeschrieben|krankschreibung|nebenwirkung|"
      "notaufnahme|notarzt|pflegegrad|pflegeheim|insulin|epilep|depression|depressiv|schwerbehindert|"
      "behindertenausweis|rezeptpflichtig|operiert)");
  Add(medical, {"diagnose", "diagnostiziert", "krank", "erkrankt", "erkrankung", "krankheit", "chronisch", "chronische", "symptome",
                "tabletten", "apotheke", "dosierung", "krebs", "tumor", "verletzt", "verletzung", "unfall",
                "psychisch", "psychische", "asthma", "mit behinderung", "eine behinderung", "op-termin",
                "ärztliches rezept", "rezept vom arzt", "pflegedienst"});
  financial->patterns.push_back(
      "(?:kredit|darlehen|hypothek|baufinanzierung|überweisung|ueberweisung|lastschrift|rückerstattung|"
      "rueckerstattung|ruckerstattung|inkasso|insolvenz|schulden|mahnung|ratenzahlung|"
      "kontostand|kontoauszug|zahlung|rechnung)");
  financial->patterns.push_back(Amount({"eur", "euro"}));
  Add(financial, {"geld zurück", "erstattung", "erstatten", "abbuchung", "abgebucht", "iban", "girokonto",
                  "bankkonto", "geldanlage", "anlageberatung", "rente", "altersvorsorge", "ersparnisse",
                  "zinsen", "zinssatz", "gebühr", "gebühren", "pfändung", "bankrott", "pleite",
                  "schadensmeldung", "versicherungsfall", "abbuchungen", "dispo", "dispokredit"});
  // "Handyvertrag", "Vertragslaufzeit", "Verträge", but not "ich vertrage"
  // (to tolerate), which the plain spelling of "Verträge" would be.
  legal->patterns.push_back(kStart + std::string("\\pL*(?:vertrag(?:s\\pL*)?|verträge|vertraege)") + kEnd);
  Add(legal, {"dsgvo", "datenschutz", "personenbezogene daten", "meine daten löschen",
              "recht auf löschung", "auskunft nach art. 15", "vollmacht", "vorsorgevollmacht", "testament",
              "erbschaft", "sorgerecht", "vormund", "agb", "allgemeinen geschäftsbedingungen",
              "haftung", "gewährleistung", "garantieanspruch", "widerrufsrecht", "widerruf", "verbraucherrechte",
              "gerichtsbeschluss", "vertragsbruch", "kündigungsfrist"});
}

void French(PhraseCategory* medical, PhraseCategory* financial, PhraseCategory* legal) {
  Add(medical, {"diagnostic", "diagnostiqué", "diagnostiquée", "ordonnance", "médicament", "médicaments",
                "traitement médical", "médecin", "docteur", "hôpital", "hospitalisé", "hospitalisée",
                "urgences", "symptômes", "je suis enceinte", "enceinte de", "grossesse", "chirurgie",
                "opéré", "opérée", "thérapie", "handicap", "handicapé", "handicapée", "maladie", "malade",
                "maladie chronique", "tension artérielle", "diabète", "diabétique", "cancer", "chimiothérapie",
                "chimio", "blessure", "blessé", "blessée", "santé mentale", "dépression", "effets secondaires",
                "effet secondaire", "pharmacie", "posologie", "fauteuil roulant", "allergie", "allergique",
                "insuline", "épilepsie", "asthme", "arrêt maladie", "mutuelle", "sécurité sociale"});
  Add(financial, {"un prêt", "mon prêt", "le prêt", "prêt immobilier", "crédit", "crédits",
                  "carte bancaire", "carte de crédit", "découvert", "taux d'intérêt",
                  "investissement", "retraite", "épargne", "livret a", "virement", "prélèvement",
                  "prélevé", "remboursement", "rembourser", "remboursé", "remboursez", "facture",
                  "factures", "facturation", "facturé", "paiement", "paiements", "payé", "dette", "dettes",
                  "surendettement", "faillite", "recouvrement", "huissier", "iban", "frais bancaires",
                  "sinistre", "cotisation", "mensualité", "mensualités", "échéancier"});
  financial->patterns.push_back(Amount({"eur", "euros?"}));
  Add(legal, {"contrat", "contrats", "rgpd", "protection des données", "données personnelles",
              "droit à l'effacement", "droit d'accès", "procuration", "testament", "héritage",
              "garde des enfants", "tuteur légal", "tutelle", "curatelle", "conditions générales", "cgv",
              "responsabilité civile", "garantie légale", "droit de rétractation", "rétractation",
              "droits du consommateur", "décision de justice", "rupture de contrat", "résiliation"});
}

void Spanish(PhraseCategory* medical, PhraseCategory* financial, PhraseCategory* legal) {
  Add(medical, {"diagnóstico", "diagnosticado", "diagnosticada", "receta médica", "medicamento",
                "medicamentos", "medicación", "médico", "médica", "doctor", "doctora", "hospital",
                "hospitalizado", "hospitalizada", "urgencias", "síntomas", "embarazada", "embarazo",
                "cirugía", "operación quirúrgica", "me operaron", "terapia", "discapacidad",
                "discapacitado", "discapacitada", "minusválido", "enfermedad", "enfermo", "enferma",
                "enfermedad crónica", "presión arterial", "tensión arterial", "diabetes", "diabético",
                "diabética", "cáncer", "quimioterapia", "quimio", "lesión", "herido", "herida",
                "salud mental", "depresión", "efectos secundarios", "farmacia", "dosis", "silla de ruedas",
                "alergia", "alérgico", "alérgica", "insulina", "convulsiones", "epilepsia", "asma",
                "baja médica", "seguro médico"});
  Add(financial, {"préstamo", "préstamos", "hipoteca", "crédito", "créditos", "tarjeta de crédito",
                  "tarjeta de débito", "descubierto", "tipo de interés", "tasa de interés", "inversión",
                  "inversiones", "pensión", "jubilación", "ahorros", "transferencia", "transferencia bancaria",
                  "domiciliación", "reembolso", "reembolsar", "devolución del dinero", "devuélvanme el dinero",
                  "factura", "facturas", "facturación", "cobro", "cobraron", "cobrado", "me cobraron",
                  "pago", "pagos", "deuda", "deudas", "moroso", "morosos", "quiebra",
                  "concurso de acreedores", "embargo", "iban", "saldo", "comisión", "comisiones", "siniestro",
                  "cuota", "cuotas", "recibos"});
  financial->patterns.push_back(Amount({"eur", "euros?", "pesos"}));
  Add(legal, {"contrato", "contratos", "rgpd", "lopd", "protección de datos", "datos personales",
              "derecho al olvido", "derecho de supresión", "derecho de acceso", "poder notarial", "testamento",
              "herencia", "custodia", "tutor legal", "tutela", "términos y condiciones",
              "condiciones generales", "responsabilidad civil", "garantía legal", "derecho de desistimiento",
              "derechos del consumidor", "orden judicial", "incumplimiento de contrato"});
}

void Italian(PhraseCategory* medical, PhraseCategory* financial, PhraseCategory* legal) {
  Add(medical, {"diagnosi", "diagnosticato", "diagnosticata", "ricetta medica", "prescrizione medica",
                "farmaco", "farmaci", "medicinale", "medicinali", "medico", "il mio medico", "ospedale",
                "ricoverato", "ricoverata", "pronto soccorso", "sintomi", "incinta", "gravidanza",
                "intervento chirurgico", "chirurgia", "terapia", "disabilità", "disabile",
                "invalidità", "legge 104", "malattia", "malato", "malata", "malattia cronica",
                "pressione alta", "pressione sanguigna", "diabete", "diabetico", "diabetica", "cancro", "tumore",
                "chemioterapia", "chemio", "infortunio", "ferito", "ferita", "salute mentale", "depressione",
                "effetti collaterali", "farmacia", "dosaggio", "sedia a rotelle", "allergia", "allergico",
                "allergica", "insulina", "epilessia", "asma", "in malattia", "certificato medico"});
  Add(financial, {"prestito", "prestiti", "mutuo", "finanziamento", "carta di credito", "carta di debito",
                  "bancomat", "scoperto", "tasso di interesse", "tasso d'interesse", "investimento",
                  "investimenti", "pensione", "risparmi", "bonifico", "addebito", "addebitato", "addebiti",
                  "rimborso", "rimborsare", "rimborsato", "rimborsatemi", "fattura", "fatture", "bolletta",
                  "bollette", "pagamento", "pagamenti", "pagato", "debito", "debiti", "fallimento",
                  "recupero crediti", "pignoramento", "iban", "commissione", "commissioni",
                  "sinistro", "rata", "estratto conto", "conto corrente"});
  financial->patterns.push_back(Amount({"eur", "euro"}));
  Add(legal, {"contratto", "contratti", "gdpr", "protezione dei dati", "dati personali",
              "diritto all'oblio", "diritto alla cancellazione", "diritto di accesso", "procura", "delega",
              "testamento", "eredità", "successione", "affidamento", "tutore legale", "amministratore di sostegno",
              "termini e condizioni", "condizioni generali", "responsabilità civile", "garanzia legale",
              "diritto di recesso", "recesso", "diritti del consumatore", "ordinanza del tribunale",
              "inadempimento contrattuale", "disdetta"});
}

void Portuguese(PhraseCategory* medical, PhraseCategory* financial, PhraseCategory* legal) {
  Add(medical, {"diagnóstico", "diagnosticado", "diagnosticada", "receita médica", "medicamento",
                "medicamentos", "remédio", "remédios", "médico", "médica", "hospital", "internado",
                "internada", "pronto-socorro", "pronto socorro", "urgência", "sintomas", "grávida", "gravidez",
                "cirurgia", "terapia", "pessoa com deficiência", "deficiência física",
                "deficiência visual", "deficiência auditiva", "doença", "doente",
                "doença crônica", "doença crónica", "pressão alta", "pressão arterial", "diabetes", "diabético",
                "diabética", "câncer", "cancro", "quimioterapia", "quimio", "ferimento", "ferido", "ferida",
                "lesão", "saúde mental", "depressão", "efeitos colaterais", "efeitos secundários", "farmácia",
                "dosagem", "cadeira de rodas", "alergia", "alérgico", "alérgica", "insulina", "epilepsia",
                "asma", "convulsão", "atestado médico", "plano de saúde", "baixa médica"});
  Add(financial, {"empréstimo", "empréstimos", "financiamento", "crédito habitação", "hipoteca",
                  "cartão de crédito", "cartão de débito", "cheque especial", "descoberto", "juros",
                  "taxa de juros", "investimento", "investimentos", "aposentadoria", "pensão",
                  "poupança", "transferência", "via pix", "pelo pix", "um pix", "chave pix",
                  "boleto bancário", "o boleto", "do boleto",
                  "meu boleto", "débito automático", "reembolso", "estorno",
                  "devolução do dinheiro", "meu dinheiro de volta", "fatura", "faturas", "cobrança",
                  "cobranças", "cobrado", "cobraram", "pagamento", "pagamentos", "paguei", "dívida", "dívidas",
                  "endividado", "falência", "insolvência", "penhora", "serasa", "nome sujo", "iban", "saldo",
                  "tarifa", "tarifas", "sinistro", "prestação", "prestações", "parcela", "parcelas", "extrato"});
  financial->patterns.push_back(Amount({"eur", "euros?", "reais"}));
  Add(legal, {"contrato", "contratos", "lgpd", "rgpd", "proteção de dados", "dados pessoais",
              "direito ao esquecimento", "direito de apagamento", "procuração", "testamento", "herança",
              "guarda dos filhos", "guarda compartilhada", "tutor legal", "curatela", "termos e condições",
              "termos de uso", "responsabilidade civil", "garantia legal", "direito de arrependimento",
              "direitos do consumidor", "código de defesa do consumidor", "ordem judicial",
              "quebra de contrato", "rescisão", "cancelamento do contrato"});
}

}  // namespace

void AddEuropeanTopics(PhraseCategory* medical, PhraseCategory* financial, PhraseCategory* legal) {
  German(medical, financial, legal);
  French(medical, financial, legal);
  Spanish(medical, financial, legal);
  Italian(medical, financial, legal);
  Portuguese(medical, financial, legal);
}

}  // namespace hitlgate::signals::internal
