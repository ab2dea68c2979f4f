// Valences follow VADER's scale (-4 extremely negative .. +4 extremely
// positive). The list is written for contact-center language: words
// customers use about orders, money, waiting and service. Larger general
// lexicons (vader_lexicon.txt) can be loaded on top (SentimentScorer::FromFile).
// The valences are our own judgement on VADER's scale, not copied from it.
// Constant tables only: thread-safe.
#include "signals/builtin_lexicon.h"

#include <array>

namespace hitlgate::signals::internal {
namespace {

// Tables packed by hand, several entries a line, for reading.
// clang-format off
constexpr LexiconEntry kLexicon[] = {
    // Strongly negative about service and outcomes.
    {"useless", -2.5}, {"worthless", -2.6}, {"terrible", -2.6}, {"horrible", -2.6}, {"awful", -2.5},
    {"worst", -3.0}, {"pathetic", -2.5}, {"disgusting", -2.9}, {"unacceptable", -2.4},
    {"ridiculous", -2.0}, {"outrageous", -2.3}, {"absurd", -1.8}, {"incompetent", -2.5},
    {"incompetence", -2.5}, {"scam", -2.9}, {"scammed", -2.9}, {"fraud", -2.8},
    {"fraudulent", -2.8}, {"cheated", -2.5}, {"ripped", -1.9}, {"rip-off", -2.4}, {"ripoff", -2.4},
    {"lied", -2.3}, {"liar", -2.6}, {"lies", -2.1}, {"disappointed", -2.0}, {"disappointing", -2.1},
    {"disappointment", -2.2}, {"frustrated", -2.1}, {"frustrating", -2.0}, {"frustration", -2.0},
    {"annoyed", -1.8}, {"annoying", -1.8}, {"angry", -2.3}, {"furious", -2.9}, {"livid", -2.8},
    {"mad", -2.0}, {"upset", -1.8}, {"unhappy", -1.9}, {"sad", -1.9}, {"worried", -1.5},
    {"anxious", -1.5}, {"stressed", -1.7}, {"stressful", -1.7}, {"fed", -0.3}, {"sick", -1.5},
    {"tired", -1.1}, {"hate", -2.7}, {"hated", -2.7}, {"hates", -2.6}, {"horrendous", -2.8},
    {"nightmare", -2.4}, {"disaster", -2.8}, {"mess", -1.6}, {"messed", -1.6}, {"broken", -1.7},
    {"broke", -1.5}, {"damaged", -1.8}, {"defective", -2.0}, {"faulty", -1.9}, {"wrong", -1.9},
    {"missing", -1.2}, {"lost", -1.3}, {"stolen", -2.2}, {"late", -1.0}, {"delayed", -1.3},
    {"delay", -1.1}, {"delays", -1.2}, {"waiting", -0.6}, {"waited", -0.8}, {"slow", -1.1},
    {"rude", -2.3}, {"unprofessional", -2.2}, {"unhelpful", -2.0}, {"ignored", -1.9},
    {"ignoring", -1.8}, {"problem", -1.5}, {"problems", -1.6}, {"issue", -0.8}, {"issues", -0.9},
    {"error", -1.4}, {"errors", -1.4}, {"fail", -2.0}, {"failed", -2.1}, {"failure", -2.2},
    {"fails", -2.0}, {"complaint", -1.6}, {"complain", -1.7}, {"complaining", -1.6}, {"bad", -2.5},
    {"poor", -2.1}, {"poorly", -1.9}, {"overcharged", -2.2}, {"unauthorized", -1.8},
    {"unfair", -2.1}, {"refuse", -1.3}, {"refused", -1.6}, {"denied", -1.6}, {"cancelled", -0.9},
    {"canceled", -0.9}, {"ugh", -1.8}, {"wtf", -2.8}, {"damn", -1.7}, {"crap", -2.2},
    {"crappy", -2.4}, {"sucks", -2.0}, {"suck", -1.9}, {"garbage", -2.3}, {"joke", -0.6},
    {"hopeless", -2.3}, {"confused", -1.3}, {"confusing", -1.4}, {"difficult", -1.5},
    {"impossible", -1.9}, {"struggling", -1.6}, {"afraid", -1.9}, {"scared", -1.9},
    {"concerned", -1.2}, {"dissatisfied", -2.1}, {"regret", -1.8}, {"shame", -1.9},
    {"shameful", -2.2}, {"insulting", -2.3}, {"threat", -2.4}, {"sue", -1.9}, {"lawsuit", -2.1},
    {"dispute", -1.4}, {"penalty", -1.4}, {"fees", -0.6}, {"charged", -0.4}, {"twice", -0.3},
    {"again", -0.2}, {"stuck", -1.4}, {"hurt", -2.1}, {"injured", -2.2}, {"sorry", -0.3},
    {"apologize", -0.1}, {"unfortunately", -1.2}, {"fake", -2.0}, {"misleading", -2.1},
    {"misled", -2.1}, {"dishonest", -2.5},
    // More about service that went wrong: waiting, money, being let down.
    {"cancel", -0.4}, {"cancellation", -0.5}, {"overdue", -1.2}, {"unresolved", -1.4},
    {"nonsense", -1.8}, {"disconnected", -1.2}, {"waste", -1.8}, {"wasted", -2.0},
    {"wasting", -1.9}, {"helpless", -2.0}, {"incorrect", -1.5}, {"inaccurate", -1.4},
    {"unreliable", -1.9}, {"unreachable", -1.3}, {"endless", -1.0}, {"hassle", -1.6},
    {"inconvenience", -1.5}, {"inconvenient", -1.4}, {"unresponsive", -1.8}, {"disgrace", -2.6},
    {"disgraceful", -2.7}, {"appalling", -2.9}, {"appalled", -2.6}, {"atrocious", -3.0},
    {"dreadful", -2.6}, {"shocking", -1.8}, {"shocked", -1.4}, {"cheat", -2.4}, {"robbed", -2.6},
    {"robbery", -2.7}, {"thief", -2.7}, {"thieves", -2.7}, {"stealing", -2.5}, {"liars", -2.7},
    {"idiot", -2.5}, {"idiots", -2.6}, {"stupid", -2.4}, {"dumb", -2.0}, {"clueless", -1.9},
    {"lazy", -1.8}, {"careless", -1.8}, {"negligent", -2.2}, {"negligence", -2.2}, {"lousy", -2.3},
    {"rubbish", -2.1}, {"mediocre", -1.2}, {"inadequate", -1.8}, {"unbearable", -2.5},
    {"intolerable", -2.5}, {"infuriating", -2.7}, {"infuriated", -2.7}, {"irritated", -1.9},
    {"irritating", -2.0}, {"outraged", -2.8}, {"disgusted", -2.8}, {"betrayed", -2.5},
    {"miserable", -2.5}, {"worse", -2.1}, {"overpriced", -1.5}, {"expensive", -0.9}, {"spam", -1.5},
    {"blocked", -1.2}, {"declined", -1.2}, {"rejected", -1.7}, {"unanswered", -1.4}, {"hung", -0.8},
    // Neutral on purpose: what customers ask about is not how they feel
    // ("I want a refund" is a request, not a complaint). Listed so a loaded
    // lexicon file can be compared against these choices.
    {"refund", 0.0}, {"order", 0.0}, {"account", 0.0}, {"delivery", 0.0},
    // Positive.
    {"thanks", 1.9}, {"thank", 1.5}, {"thankful", 2.1}, {"grateful", 2.2}, {"appreciate", 1.8},
    {"appreciated", 2.0}, {"great", 3.1}, {"excellent", 3.2}, {"amazing", 2.8}, {"awesome", 3.1},
    {"fantastic", 2.6}, {"wonderful", 2.7}, {"perfect", 2.7}, {"perfectly", 2.5}, {"good", 1.9},
    {"nice", 1.8}, {"love", 3.2}, {"loved", 2.9}, {"lovely", 2.8}, {"happy", 2.7}, {"glad", 2.0},
    {"pleased", 2.2}, {"satisfied", 1.8}, {"helpful", 1.9}, {"kind", 2.0}, {"friendly", 2.2},
    {"quick", 1.0}, {"quickly", 1.1}, {"fast", 1.2}, {"easy", 1.9}, {"easily", 1.7},
    {"smooth", 1.5}, {"resolved", 1.6}, {"solved", 1.6}, {"fixed", 1.2}, {"works", 0.9},
    {"working", 0.5}, {"fine", 0.8}, {"ok", 0.9}, {"okay", 0.9}, {"best", 3.2}, {"recommend", 1.5},
    {"impressed", 2.2}, {"reliable", 1.9}, {"fair", 1.3}, {"welcome", 2.0}, {"cool", 1.3},
    {"brilliant", 2.8}, {"superb", 3.1}, {"relieved", 1.5}, {"excited", 2.2}, {"enjoy", 2.2},
    {"enjoyed", 2.3}, {"pleasure", 2.7}, {"please", 1.3}, {"yes", 1.7}, {"sure", 1.3},
    {"exactly", 0.6}, {"definitely", 1.3}, {"hope", 1.9}, {"hopefully", 1.7}, {"wow", 2.8},
    {"yay", 2.4}, {"lol", 1.8}, {"haha", 2.0}, {"cheers", 2.1}, {"delighted", 2.9},
    {"efficient", 1.8}, {"professional", 1.5}, {"patient", 1.4}, {"polite", 1.9},
    {"courteous", 2.0}, {"trust", 2.3}, {"safe", 1.9}, {"secure", 1.4}, {"success", 2.7},
    {"successful", 2.8}, {"win", 2.8}, {"free", 1.6}, {"bonus", 1.7}, {"like", 1.5}, {"liked", 1.8},
    {"outstanding", 3.0}, {"exceptional", 2.8}, {"flawless", 2.6}, {"seamless", 2.0},
    {"pleasant", 2.2}, {"generous", 2.3}, {"honest", 2.0}, {"sincere", 1.9}, {"prompt", 1.1},
    {"promptly", 1.2}, {"knowledgeable", 1.8}, {"responsive", 1.4}, {"satisfactory", 1.3},
    {"lifesaver", 2.6}, {"legend", 1.9}, {"sorted", 1.2}, {"fabulous", 3.0}, {"terrific", 2.8},
    {"incredible", 2.5}, {"beautiful", 2.9}, {"convenient", 1.6}, {"helped", 1.6},
    {"solution", 1.2}, {"compensation", 0.6}, {"thankyou", 1.9}, {"thx", 1.7},
    {"appreciative", 2.0}, {"accommodating", 1.8}, {"understanding", 1.5}, {"reassured", 1.7},
    {"happier", 2.4}, {"nicely", 1.8}, {"respect", 2.1}, {"valuable", 2.0},
    // Emoticons.
    {":)", 2.0}, {":-)", 2.0}, {":d", 2.3}, {";)", 1.5}, {":(", -1.9}, {":-(", -1.9}, {":'(", -2.2},
    {">:(", -2.5}, {":/", -1.0}, {"<3", 1.9}, {":p", 1.3}, {"xd", 1.8}, {":|", -0.6}, {":-/", -1.0},
    {"</3", -1.9},
};

constexpr LexiconEntry kEmoji[] = {
    {"\xF0\x9F\x98\x80", 2.2}, {"\xF0\x9F\x98\x83", 2.3}, {"\xF0\x9F\x98\x84", 2.3},
    {"\xF0\x9F\x98\x81", 2.2}, {"\xF0\x9F\x98\x8A", 2.3}, {"\xF0\x9F\x99\x82", 1.6},
    {"\xF0\x9F\x98\x8D", 2.8}, {"\xF0\x9F\x91\x8D", 1.9}, {"\xE2\x9D\xA4", 2.7},
    {"\xF0\x9F\x99\x8F", 1.5}, {"\xF0\x9F\x8E\x89", 2.2}, {"\xF0\x9F\x98\x82", 1.6},
    {"\xF0\x9F\x98\xA0", -2.4}, {"\xF0\x9F\x98\xA1", -2.8}, {"\xF0\x9F\xA4\xAC", -3.0},
    {"\xF0\x9F\x98\xA4", -2.0}, {"\xF0\x9F\x98\x9E", -1.9}, {"\xF0\x9F\x98\xA2", -2.0},
    {"\xF0\x9F\x98\xAD", -2.2}, {"\xF0\x9F\x91\x8E", -1.9}, {"\xF0\x9F\x92\xA9", -1.8},
    {"\xF0\x9F\x99\x81", -1.6}, {"\xE2\x98\xB9", -1.8}, {"\xF0\x9F\x98\xA9", -2.0},
    {"\xF0\x9F\x98\xAB", -2.0}, {"\xF0\x9F\x98\x92", -1.5},
};

// Intensifiers (+) and dampeners (-), VADER's scalar 0.293.
constexpr LexiconEntry kBoosters[] = {
    {"absolutely", 0.293}, {"amazingly", 0.293}, {"awfully", 0.293}, {"completely", 0.293},
    {"considerably", 0.293}, {"deeply", 0.293}, {"enormously", 0.293}, {"entirely", 0.293},
    {"especially", 0.293}, {"exceptionally", 0.293}, {"extremely", 0.293}, {"fully", 0.293},
    {"greatly", 0.293}, {"highly", 0.293}, {"hugely", 0.293}, {"incredibly", 0.293},
    {"intensely", 0.293}, {"majorly", 0.293}, {"more", 0.293}, {"most", 0.293},
    {"particularly", 0.293}, {"purely", 0.293}, {"quite", 0.293}, {"really", 0.293},
    {"remarkably", 0.293}, {"so", 0.293}, {"substantially", 0.293}, {"thoroughly", 0.293},
    {"totally", 0.293}, {"tremendously", 0.293}, {"unbelievably", 0.293}, {"utterly", 0.293},
    {"very", 0.293}, {"super", 0.293}, {"seriously", 0.293}, {"fucking", 0.293},
    {"freaking", 0.293}, {"too", 0.293}, {"such", 0.293}, {"effing", 0.293}, {"frigging", 0.293},
    {"flipping", 0.293}, {"insanely", 0.293}, {"ridiculously", 0.293}, {"terribly", 0.293},
    {"almost", -0.293}, {"barely", -0.293}, {"hardly", -0.293}, {"kinda", -0.293}, {"less", -0.293},
    {"little", -0.293}, {"marginally", -0.293}, {"occasionally", -0.293}, {"partly", -0.293},
    {"scarcely", -0.293}, {"slightly", -0.293}, {"somewhat", -0.293}, {"sorta", -0.293},
};

constexpr std::string_view kNegations[] = {
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "cannot",
    "cant", "can't", "dont", "don't", "doesnt", "doesn't", "didnt", "didn't", "isnt", "isn't",
    "wasnt", "wasn't", "wont", "won't", "wouldnt", "wouldn't", "shouldn't", "couldn't", "aint",
    "ain't", "arent", "aren't", "hasnt", "hasn't", "havent", "haven't", "without", "rarely",
    "seldom", "werent", "weren't", "couldnt", "shouldnt", "hadnt", "hadn't", "nope", "neednt",
    "needn't", "despite",
};

// clang-format on

}  // namespace

std::span<const LexiconEntry> BuiltinLexicon() { return kLexicon; }
std::span<const LexiconEntry> BuiltinEmoji() { return kEmoji; }
std::span<const LexiconEntry> Boosters() { return kBoosters; }
std::span<const std::string_view> Negations() { return kNegations; }

}  // namespace hitlgate::signals::internal
