// The phrase vocabulary: the words of the built-in human_request,
// legal_threat and frustration phrases that are four letters or longer (a
// misspelling of a shorter word is too often another word), with the class
// the "asks for a person" model sees. Written from the phrases, not from any
// data set. gen_english_near_misses.py reads the list between the BEGIN and
// END markers: keep one entry per line.
#include "signals/phrase_vocabulary.h"

namespace hitlgate::signals::internal {
namespace {

using enum WordClass;

constexpr VocabularyWord kVocabulary[] = {
    // BEGIN VOCABULARY
    {"human", kPerson},
    {"humans", kPerson},
    {"person", kPerson},
    {"persons", kPerson},
    {"people", kPerson},
    {"agent", kPerson},
    {"agents", kPerson},
    {"representative", kPerson},
    {"representatives", kPerson},
    {"operator", kPerson},
    {"operators", kPerson},
    {"someone", kPerson},
    {"somebody", kPerson},
    {"anyone", kPerson},
    {"anybody", kPerson},
    {"manager", kPerson},
    {"managers", kPerson},
    {"supervisor", kPerson},
    {"supervisors", kPerson},
    {"employee", kPerson},
    {"employees", kPerson},
    {"staff", kPerson},
    {"specialist", kPerson},
    {"advisor", kPerson},
    {"adviser", kPerson},
    {"consultant", kPerson},
    {"assistant", kPerson},
    {"associate", kPerson},
    {"worker", kPerson},
    {"being", kOther},
    {"real", kOther},
    {"live", kOther},
    {"actual", kOther},
    {"proper", kOther},
    {"customer", kOther},
    {"service", kOther},
    {"support", kOther},
    {"care", kOther},
    {"team", kOther},
    {"speak", kSpeak},
    {"speaking", kSpeak},
    {"talk", kSpeak},
    {"talking", kSpeak},
    {"chat", kSpeak},
    {"chatting", kSpeak},
    {"contact", kSpeak},
    {"contacting", kSpeak},
    {"reach", kSpeak},
    {"reaching", kSpeak},
    {"call", kOther},  // "call mom": a phone assistant's word, not a person's
    {"calling", kOther},
    {"communicate", kSpeak},
    {"touch", kSpeak},
    {"transfer", kPass},
    {"transferred", kPass},
    {"transferring", kPass},
    {"connect", kPass},
    {"connected", kPass},
    {"connecting", kPass},
    {"escalate", kPass},
    {"escalated", kPass},
    {"escalation", kPass},
    {"redirect", kPass},
    {"forward", kPass},
    {"direct", kPass},
    {"through", kPass},
    {"robot", kBot},
    {"robots", kBot},
    {"bots", kBot},
    {"chatbot", kBot},
    {"machine", kBot},
    {"computer", kBot},
    {"automated", kBot},
    {"with", kOther},
    {"please", kOther},
    {"want", kOther},
    {"need", kOther},
    {"help", kOther},
    {"assistance", kOther},
    {"trying", kOther},
    {"lawyer", kOther},
    {"lawyers", kOther},
    {"attorney", kOther},
    {"solicitor", kOther},
    {"lawsuit", kOther},
    {"court", kOther},
    {"legal", kOther},
    {"action", kOther},
    {"ombudsman", kOther},
    {"chargeback", kOther},
    {"report", kOther},
    {"ridiculous", kOther},
    {"unacceptable", kOther},
    {"frustrated", kOther},
    {"frustrating", kOther},
    {"useless", kOther},
    {"waiting", kOther},
    {"again", kOther},
    {"enough", kOther},
    {"terrible", kOther},
    {"worst", kOther},
    {"annoying", kOther},
    {"kidding", kOther},
    {"seriously", kOther},
    {"times", kOther},
    {"third", kOther},
    {"still", kOther},
    // END VOCABULARY
};

constexpr std::string_view kJoinable[] = {"to",  "with", "a",   "an", "me",  "my", "the",
                                          "for", "of",   "in",  "i",  "you", "u",  "some",
                                          "any", "one",  "get", "put", "let", "can", "now",
                                          "talk", "chat", "live", "real", "bot", "rep", "damn", "fucking", "bloody",
                                          "speak", "contact", "human"};

// What customers type instead of the word; expanded before matching so the
// phrases need not list every form. Only forms that are not other words.
constexpr Shorthand kShorthands[] = {
    {"u", "you"},         {"ur", "your"},       {"ya", "you"},         {"pls", "please"},
    {"plz", "please"},    {"plse", "please"},   {"pleas", "please"},   {"ppl", "people"},
    {"wanna", "want to"}, {"gonna", "going to"}, {"gimme", "give me"}, {"lemme", "let me"},
    {"gotta", "got to"},  {"sum1", "someone"},  {"some1", "someone"}, {"any1", "anyone"},
    {"thru", "through"},  {"mgr", "manager"},   {"hooman", "human"},  {"hoomans", "humans"},
    {"ot", "to"},         {"na", "an"},         {"wth", "with"},      {"wiht", "with"},
    {"convo", "conversation"}, {"reps", "representatives"},
    {"im", "i'm"},        {"cant", "can't"},    {"dont", "don't"},    {"wont", "won't"},
    {"idk", "i don't know"}};

}  // namespace

std::span<const VocabularyWord> PhraseVocabulary() { return kVocabulary; }
std::span<const std::string_view> JoinableShortWords() { return kJoinable; }
std::span<const Shorthand> Shorthands() { return kShorthands; }

}  // namespace hitlgate::signals::internal
