// The built-in "asks for a person" (human_request) phrase set.
//
// Written as general English of people who want a person instead of a bot:
// the verbs of speaking, reaching and being passed on, who they ask for
// (with the modifiers and swearing angry customers add), wanting "a human",
// rejecting the bot, escalating, and the one-word messages people type into
// phone menus. Not tuned to rows of any data set: the figures in
// docs/signals.md are measured on data these phrases were not written from
// (bitext's validation split, tau_bench dialogues, clinc150), and misspelt
// words are left to the spelling normalizer, which runs before these match.
// Patterns are RE2 syntax, case-insensitive, over the normalized text.
#include "signals/builtin_phrase_sets.h"

#include <string>

namespace hitlgate::signals::internal {
namespace {

// An optional determiner, then up to two modifiers: "a real live person",
// "a damn agent", "someone from".
constexpr const char* kDeterminer =
    "(?:(?:a|an|the|some|any|your|ur|one of your|one of the|a few|another|other)\\s+)?";
constexpr const char* kModifiers =
    "(?:(?:real|live|living|actual|human|proper|genuine|normal|flesh and blood|physical|"
    "customer service|customer support|customer care|support|service|help desk|helpdesk|"
    "other|different|senior|qualified|competent|english speaking|"
    "fucking|fuckin|freaking|frigging|effing|damn|damned|goddamn|goddamned|bloody)\\s+){0,2}";
// Anyone a customer may ask for.
constexpr const char* kAnyPerson =
    "(?:human beings?|humans?|persons?|people|agents?|representatives?|reps?|operators?|"
    "assistants?|someone|somebody|anyone|anybody|some one|any one|managers?|supervisors?|"
    "employees?|staff|staff members?|members? of (?:staff|your team|the team)|team members?|"
    "specialists?|advisors?|advisers?|consultants?|associates?|individuals?)";
// Who a customer asks for without a verb of speaking: "someone" alone would
// fire on "I need someone to fix this", "support" on "I need support".
constexpr const char* kPersonNoun =
    "(?:human beings?|humans?|persons?|agents?|representatives?|reps?|operators?|supervisors?|"
    "managers?|real people|someone real|somebody real|a real one)";
// A person named with a modifier that only a human has: "a live person",
// "someone real", "a human agent". Fires on its own.
constexpr const char* kRealPerson =
    "(?:(?:real|live|living|actual|proper|genuine|human)\\s+(?:human beings?|humans?|"
    "persons?|people|agents?|representatives?|reps?|operators?|voices?|staff)|"
    "(?:live|human)\\s+(?:support|help|assistance)|"
    "(?:someone|somebody|anyone|anybody)\\s+(?:real|human|alive)|"
    "flesh and blood)";
// Verbs of speaking and what joins them to the person ("speak t someone":
// the preposition is often the word that gets mangled).
constexpr const char* kSpeak =
    "(?:speak|speaking|talk|talking|chat|chatting|communicate|communicating|converse|"
    "conversing|have a word|have a chat|have a conversation)";
constexpr const char* kWith = "(?:to|with|t|w|wit|2|too|towards)";
constexpr const char* kReach =
    "(?:contact|contacting|reach|reaching|ring|phone|get in touch with|getting in touch with|"
    "get through to|getting through to|get hold of|get ahold of|get a hold of|"
    "be connected to|be connected with|get connected to|get connected with|"
    "be put through to|be transferred to|be passed to|be passed on to|be handed over to)";
constexpr const char* kPass =
    "(?:transfer|connect|put|redirect|forward|direct|pass|hand|route|send|switch|escalate|"
    "refer|bring|patch)";
constexpr const char* kBot =
    "(?:bots?|robots?|machines?|computers?|chatbots?|chat bots?|ai|automated (?:system|"
    "assistant|service|messages?|replies|answers)|virtual assistant|automatic replies|"
    "auto ?replies|script)";

}  // namespace

PhraseCategory HumanRequestPhrases() {
  const std::string det = kDeterminer, mod = kModifiers, person = kAnyPerson,
                    noun = kPersonNoun, real = kRealPerson, speak = kSpeak, with = kWith,
                    reach = kReach, pass = kPass, bot = kBot;
  const std::string who = det + mod + person;
  return {
      "human_request",
      {"transfer me to", "put me through",
       "escalate this", "escalate my", "escalate it", "escalate the", "escalation please",
       "someone higher up", "someone in charge", "someone with more authority",
       "someone more senior", "someone from customer care", "someone from customer service",
       "someone from customer support", "somebody from customer service",
       "stop the bot", "no more bots", "enough of the bot", "enough of this bot",
       "agent please", "representative please", "operator please", "human please",
       "person please", "humans only", "let me out of this bot",
       "out of this chatbot", "in touch with a human", "put me in touch with",
       "speak to your manager", "speak to your supervisor", "talk to your manager",
       "talk to your supervisor", "call me back", "someone call me", "somebody call me",
       "have someone contact me", "get someone to call me"},
      {// "let me speak to a real person", "talk with ur manager".
       "\\b" + speak + "\\s+" + with + "\\s+" + who + "\\b",
       // "contact somebody", "get hold of a supervisor".
       "\\b" + reach + "\\s+" + who + "\\b",
       // "transfer me to a human", "put me through to someone",
       // "can you pass this over to a manager".
       "\\b" + pass + "\\s+(?:me|us|this|it|my call|my case|my issue|my complaint|the call|"
                      "this chat|this conversation|my chat)\\s+(?:over\\s+|back\\s+|on\\s+)?"
                      "(?:to|through to|with|onto|in touch with)\\s+" +
           who + "\\b",
       // Without "me" only the words nobody sends money to: "a transfer to
       // someone" is banking, "transfer to an agent" is not.
       "\\b" + pass + "\\s+(?:over\\s+)?(?:to|through to)\\s+" + det + mod + noun + "\\b",
       "\\btransfer me(?:\\s+(?:now|please|asap|over|across)\\b|\\s*[.!?]|\\s*$)",
       // "I want a human", "give me a manager", "I'd like to have an agent".
       "\\b(?:want|need|would like|'d like|d like|request|demand|prefer|require|insist on|"
       "looking for|asking for|"
       "ask for|asked for|requesting|demanding)\\s+(?:to\\s+(?:have|get|see)\\s+)?" +
           det + mod + noun + "\\b",
       "\\b(?:get|give|find|bring|fetch|send|gimme)\\s+(?:me|us)\\s+" + det + mod + noun + "\\b",
       "\\bcan (?:i|we) (?:get|have|see)\\s+" + det + mod + noun + "\\b",
       // "someone real", "a live agent", "human support".
       "\\b" + real + "\\b",
       // "is there a person I can talk to", "are there any agents".
       "\\b(?:is there|are there|isn't there|is there not|aren't there)\\s+"
       "(?:(?:a|an|any|some)\\s+)?" + mod + noun + "\\b",
       // "someone I can talk to", "someone else with more authority I can speak to".
       "\\b(?:someone|somebody|anyone|anybody|a person|a human)(?:\\s+else)?(?:\\s+[\\w']+){0,4}"
       "\\s+(?:i|we)\\s+(?:can|could|may)\\s+" + speak + "\\b",
       // "do you have human support", "is there live help".
       "\\b(?:do you have|do you offer|you have|is there|any)\\s+(?:a\\s+|any\\s+)?(?:human|live|"
       "real|person|people|phone)\\s+(?:support|help|assistance|service|agents?|chat|person)\\b",
       // "I can't reach a person" is a request: the negation is inside the
       // pattern, so the look-back for negation does not see it.
       "\\b(?:can't|cant|cannot|can not|couldn't|couldnt|unable to|not able to|impossible to|"
       "no way to|never able to)\\s+(?:speak|talk|chat|get through|get hold|get in touch|"
       "get a hold)\\s+(?:to|with|of)\\s+" +
           who + "\\b",
       "\\b(?:can't|cant|cannot|can not|couldn't|couldnt|unable to|not able to|impossible to|"
       "no way to)\\s+(?:reach|contact|find|get)\\s+" +
           who + "\\b",
       // Rejecting the bot: "I don't wanna talk to a bot", "a human, not a
       // machine", "I'm sick of this bot".
       "\\b(?:don't|dont|do not|doesn't|won't|wont|will not|refuse to|no longer|not)\\s+"
       "(?:want|wanna|wish|like|going|intend)?\\s*(?:to\\s+)?(?:talk|speak|chat|deal|"
       "communicate|deal)\\s+" +
           with + "\\s+(?:a|an|the|this|your|some|any)?\\s*(?:stupid\\s+|dumb\\s+|useless\\s+)?" +
           bot + "\\b",
       "\\b" + person + ",?\\s+(?:and\\s+)?not\\s+(?:a|an|the|some|this|your)?\\s*" + bot + "\\b",
       "\\b(?:sick of|tired of|fed up with|done with|hate|had enough of)\\s+(?:this|these|the|"
       "your|talking to (?:a|an|the|this))?\\s*(?:stupid\\s+|dumb\\s+|useless\\s+)?" +
           bot + "\\b",
       "\\b(?:no|stop the|enough)\\s+(?:more\\s+)?(?:bots|robots|machines|automated)\\b",
       // A message that is only the person asked for, as typed into phone
       // menus and chat bots: "representative", "Operator!", "human pls".
       "^\\W*(?:i want\\s+|i need\\s+|get me\\s+|give me\\s+)?(?:an?\\s+|the\\s+|ur\\s+|your\\s+)?" +
           mod +
           "(?:humans?|persons?|agents?|representatives?|reps?|operators?|supervisors?|managers?|"
           "someone|somebody|human beings?|people)"
           "(?:\\s+(?:please|now|asap|right now|immediately|already|then|thanks|thank you))*\\W*$"},
      true};
}

}  // namespace hitlgate::signals::internal
