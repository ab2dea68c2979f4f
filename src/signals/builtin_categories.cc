// The built-in phrase sets. Written as general English of contact centers;
// human_request lives in human_request_phrases.cc.
// Policies extend them (`phrases:`) and add topics (`topics:`). Patterns are
// RE2 syntax, matched case-insensitively. Pure functions: thread-safe.
#include "hitlgate/signals/phrase_matcher.h"
#include "signals/builtin_phrase_sets.h"

namespace hitlgate::signals {
namespace {

PhraseCategory LegalThreat() {
  return {"legal_threat",
          {"lawyer",
           "lawyers",
           "solicitor",
           "lawsuit",
           "sue you",
           "suing you",
           "sue your",
           "legal action",
           "take legal steps",
           "take you to court",
           "see you in court",
           "small claims",
           "class action",
           "ombudsman",
           "report you to",
           "consumer protection",
           "trading standards",
           "better business bureau",
           "file a complaint with",
           "chargeback",
           "my legal rights",
           "legal department"},
          {"\\b(?:i|we)(?:'ll| will| am going to|'m going to| shall)\\s+(?:sue|report)\\b",
           "\\b(?:want|going|plan|planning|intend|intending|prepared|ready|about)\\s+to\\s+sue\\b",
           // "attorney" as someone's lawyer, not in "power of attorney" (a
           // legal topic, not a threat; RE2 has no look-behind to exclude it).
           "\\b(?:my|our|an|family|personal)\\s+attorneys?\\b", "^\\W*attorneys?\\b"},
          true};
}

PhraseCategory Frustration() {
  return {"frustration",
          {"third time",       "fourth time",    "fifth time",     "again and again",
           "over and over",    "still waiting",  "still not",      "still hasn't",
           "still haven't",    "fed up",         "sick of",        "tired of",
           "had enough",       "ridiculous",     "unacceptable",   "waste of time",
           "wasting my time",  "useless",        "nobody helps",   "no one helps",
           "nobody answers",   "no one answers", "how many times", "keep getting",
           "keeps happening",  "for weeks",      "for months",     "worst service",
           "terrible service", "frustrated",     "frustrating",    "so annoying",
           "are you kidding",  "seriously?",     "i give up",      "fix this now",
           "what a joke"},
          {"\\b(?:called|contacted|written|emailed|messaged|asked)\\s+(?:you\\s+)?(?:\\d+|three|"
           "four|five|"
           "several|many|multiple)\\s+times\\b"},
          true};
}

PhraseCategory Medical() {
  return {"medical",
          {"diagnosis",         "diagnosed",     "prescription", "prescribed",     "medication",
           "medications",       "medicine",      "symptom",      "symptoms",       "doctor",
           "physician",         "hospital",      "insulin",      "allergy",        "allergic",
           "allergic reaction", "pregnant",      "pregnancy",    "surgery",        "therapy",
           "therapist",         "disability",    "disabled",     "chronic",        "blood pressure",
           "diabetes",          "diabetic",      "cancer",       "chemotherapy",   "injury",
           "injured",           "mental health", "depression",   "emergency room", "side effect",
           "side effects",      "pharmacy",      "dosage",       "wheelchair",     "medical",
           "health condition",  "seizure",       "asthma"},
          {},
          false};
}

PhraseCategory Financial() {
  return {"financial",
          {"loan",
           "loans",
           "mortgage",
           "credit card",
           "debit card",
           "overdraft",
           "interest rate",
           "investment",
           "investments",
           "invest",
           "pension",
           "savings",
           "bank transfer",
           "wire transfer",
           "refund",
           "refunded",
           "refunds",
           "chargeback",
           "charged",
           "charge",
           "billing",
           "invoice",
           "payment",
           "payments",
           "debt",
           "credit score",
           "iban",
           "account balance",
           "direct debit",
           "installment",
           "instalment",
           "financial advice",
           "bankrupt",
           "bankruptcy",
           "insurance claim",
           "premium"},
          {"\\b\\d+(?:[.,]\\d{2})?\\s?(?:usd|eur|gbp|dollars|euros|pounds)\\b", "[$€£]\\s?\\d"},
          false};
}

PhraseCategory Legal() {
  return {"legal",
          {"contract",           "gdpr",
           "data protection",    "subpoena",
           "court order",        "power of attorney",
           "last will",          "custody",
           "terms of service",   "terms and conditions",
           "legal rights",       "liability",
           "warranty claim",     "personal data",
           "privacy policy",     "right to erasure",
           "data subject",       "consumer rights",
           "breach of contract", "legal guardian"},
          {},
          false};
}

}  // namespace

std::vector<PhraseCategory> PhraseMatcher::BuiltinCategories() {
  std::vector<PhraseCategory> all = {internal::HumanRequestPhrases(), LegalThreat(), Frustration(),
                                     Medical(), Financial(), Legal()};
  internal::AddEuropeanPhrases(&all[0], &all[1], &all[2]);
  internal::AddEuropeanTopics(&all[3], &all[4], &all[5]);
  return all;
}

}  // namespace hitlgate::signals
