// One RE2::Set over every phrase and pattern of every category: a single
// linear-time pass over the text finds which entries match (the common case
// is none). Only for entries that matched do we run their own RE2 to find
// where, and look back for a negation ("I don't need an agent").
//
// Spelling: the text is normalized first (SpellingNormalizer: misspelt
// vocabulary words corrected, shorthand expanded, joined words split, into a
// stack buffer). When that changed a word, the set runs over both the
// original and the normalized text, so a policy's own phrases still match
// what was typed. Then, if human_request has not fired, the learned model
// (person_model.h) is asked, but only about a message that names a person or
// a bot, and only when a person it names is not negated.
//
// Thread-safety: a built PhraseMatcher is immutable; RE2 and RE2::Set are
// safe to use from many threads at once (their DFA caches lock inside), so
// Match() may be called concurrently. Build() touches no shared state.
#include "hitlgate/signals/phrase_matcher.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>

#include "signals/person_model.h"
#include "signals/spelling_normalizer.h"

namespace hitlgate::signals {
namespace {

// ASCII classes inline (the "C" locale is the only one hitlgate runs in);
// bytes >= 0x80 (UTF-8) are word characters, so non-English words are words.
constexpr bool IsSpace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
constexpr bool IsAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
constexpr char ToLower(unsigned char c) {
  return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

bool EqualsLower(std::string_view raw, std::string_view lower) {
  if (raw.size() != lower.size()) return false;
  for (size_t k = 0; k < raw.size(); ++k) {
    if (ToLower(static_cast<unsigned char>(raw[k])) != lower[k]) return false;
  }
  return true;
}

template <size_t N>
bool IsOneOf(std::string_view raw, const std::string_view (&list)[N]) {
  for (std::string_view w : list) {
    if (EqualsLower(raw, w)) return true;
  }
  return false;
}

// Words that, right before a match or right before a verb of wanting,
// cancel it: "no lawyer", "I don't need an agent", "not going to sue".
// Multi-word negations are covered by their last negating word: "do not"
// by "not", "no need" by "no" + the verb of wanting "need".
bool IsNegator(std::string_view w) {
  static constexpr std::string_view kNegators[] = {
      "no", "not", "never", "without", "dont", "don't", "doesnt", "doesn't", "didnt", "didn't",
      "wont", "won't", "cannot", "cant", "can't", "isnt", "isn't", "nor", "neither", "aint",
      "ain't", "hardly", "wouldn't", "wouldnt", "shouldn't", "shouldnt", "needn't", "neednt",
      "nope",
      // The same with the typographic apostrophe (U+2019) phones insert.
      "don\u2019t", "doesn\u2019t", "didn\u2019t", "won\u2019t", "can\u2019t", "isn\u2019t",
      "wouldn\u2019t", "shouldn\u2019t", "needn\u2019t",
      // German, French, Spanish, Italian, Portuguese ("no" and "nunca" are
      // above or shared). French "ne" is left out: "pas" follows it anyway,
      // and Italian "ne" is not a negation.
      "nicht", "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals", "ohne",
      "pas", "jamais", "sans", "aucun", "aucune", "nunca", "sin", "tampoco", "jamás", "non",
      "mai", "senza", "não", "nao", "sem", "nem"};
  return IsOneOf(w, kNegators);
}

bool IsVolition(std::string_view w) {
  static constexpr std::string_view kVolition[] = {
      "need", "needs",    "want",   "wants",  "require", "wish",    "going",     "gonna",
      "plan", "planning", "intend", "asking", "ask",     "looking", "necessary", "interested",
      "wait", "waiting",
      // The same verbs in the other five languages.
      "möchte", "möchten", "will", "wollen", "brauche", "brauchen", "muss", "müssen", "werde",
      "veux", "voudrais", "besoin", "souhaite", "vais", "compte", "quiero", "quisiera",
      "necesito", "voy", "pienso", "hace", "voglio", "vorrei", "bisogno", "devo", "intendo",
      "quero", "queria", "preciso", "vou", "pretendo", "gostaria"};
  return IsOneOf(w, kVolition);
}

// Up to four words before `pos`, nearest first, as slices of `text` (no
// copies: this runs for every occurrence of a negatable match). Stops at
// sentence punctuation, so a negation in an earlier clause does not reach
// here, and at any other symbol.
template <int N>
int WordsBefore(std::string_view text, size_t pos, std::string_view (&out)[N]) {
  int found = 0;
  size_t i = pos;
  while (found < N && i > 0) {
    while (i > 0 && IsSpace(static_cast<unsigned char>(text[i - 1]))) --i;
    if (i == 0) break;
    char c = text[i - 1];
    if (c == '.' || c == ',' || c == '!' || c == '?' || c == ';' || c == ':') break;
    size_t end = i;
    while (i > 0) {
      unsigned char ch = static_cast<unsigned char>(text[i - 1]);
      if (!(IsAlnum(ch) || ch == '\'' || ch >= 0x80)) break;
      --i;
    }
    if (i == end) break;  // some other symbol: stop
    out[found++] = text.substr(i, end - i);
  }
  return found;
}

// `Window` words back: 4 for a phrase, which starts at its verb; 6 for a
// person the model is asked about, which comes after the verb ("no need to
// talk to a person").
template <int Window = 4>
bool NegatedAt(std::string_view text, size_t match_start) {
  std::string_view before[Window];
  int n = WordsBefore(text, match_start, before);
  // "no lawyer", "not a bot": a negator one or two words back. Not the
  // negation of a question that expects yes: "isn't there someone".
  for (int k = 0; k < n && k < 2; ++k) {
    if (IsNegator(before[k]) && !(k > 0 && EqualsLower(before[k - 1], "there"))) return true;
  }
  // "don't need an agent", "not going to sue": negator + a verb of wanting.
  for (int k = 1; k < n; ++k) {
    if (IsNegator(before[k]) && IsVolition(before[k - 1])) return true;
  }
  return false;
}

// "are you a real person?", "am I talking to a human?", "is this a real
// agent?": questions about who is answering, not requests for a person; and
// "I was talking to an agent", "I talked to a real person last week":
// reports. Only for human_request. A question pair ("are you", "am I") up
// to six words back counts unless a word of asking comes between: "are you
// able to transfer me to a human" is still a request.
bool QuestionOrReportAt(std::string_view text, size_t match_start) {
  std::string_view before[6];
  const int n = WordsBefore(text, match_start, before);
  static constexpr std::string_view kReported[] = {
      "was",     "were",    "been",   "talked", "spoke",  "spoken",
      "chatted", "called",  "met",    "saw",    "had",    "contacted",
      "be",      "is",      "am",     "are",    "being"};
  static constexpr std::string_view kSkippable[] = {"a", "an", "the", "to", "with", "real",
                                                    "live", "actual", "human"};
  for (int k = 0; k < n; ++k) {
    if (IsOneOf(before[k], kReported)) return true;
    if (!IsOneOf(before[k], kSkippable)) break;
  }
  static constexpr std::string_view kAsking[] = {
      "transfer", "connect", "put",   "get",  "give",  "want", "need",  "let", "able",
      "please",   "help",    "find",  "reach", "contact", "can", "could", "going", "gonna",
      "would",    "will",    "like",  "pass", "send",  "have", "speak", "talk", "chat"};
  static constexpr std::string_view kYouAre[] = {"you're", "youre", "yourself", "you\u2019re",
                                                 // "¿eres una persona real?", "sei un umano?"
                                                 "eres", "\u00bferes", "sei", "bist"};
  auto is = [](std::string_view w, std::string_view lower) { return EqualsLower(w, lower); };
  for (int k = 0; k < n; ++k) {
    if (IsOneOf(before[k], kAsking)) return false;
    if (IsOneOf(before[k], kYouAre)) return true;
    if (k + 1 >= n) break;
    const std::string_view near = before[k], far = before[k + 1];
    if ((is(near, "you") && is(far, "are")) || (is(near, "are") && is(far, "you")) ||
        (is(near, "u") && is(far, "r")) || (is(near, "i") && is(far, "am")) ||
        (is(near, "this") && is(far, "is")) || (is(near, "it") && is(far, "is")) ||
        (is(near, "sie") && is(far, "sind")) || (is(near, "vous") && is(far, "êtes")) ||
        (is(near, "usted") && is(far, "es")) || (is(near, "é") && is(far, "você")) ||
        (is(near, "você") && is(far, "é"))) {
      return true;
    }
  }
  return false;
}

std::string EscapeWord(std::string_view w) {
  return RE2::QuoteMeta(re2::StringPiece(w.data(), w.size()));
}

// "speak to a * person" -> \bspeak\s+to\s+a\s+\w+\s+person\b
std::string PhraseToRegex(std::string_view phrase) {
  std::string out;
  size_t i = 0;
  bool first = true;
  while (i < phrase.size()) {
    while (i < phrase.size() && IsSpace(static_cast<unsigned char>(phrase[i]))) ++i;
    size_t start = i;
    while (i < phrase.size() && !IsSpace(static_cast<unsigned char>(phrase[i]))) ++i;
    if (start == i) break;
    std::string_view word = phrase.substr(start, i - start);
    if (!first) out += "\\s+";
    first = false;
    out += word == "*" ? std::string("[\\w'-]+") : EscapeWord(word);
  }
  if (out.empty()) return out;
  // Word boundaries only where the phrase starts or ends with a word
  // character: "\\b" next to ":(" would never match.
  const size_t first_char = phrase.find_first_not_of(" \t");
  const size_t last_char = phrase.find_last_not_of(" \t");
  auto wordy = [&](size_t at) {
    return IsAlnum(static_cast<unsigned char>(phrase[at])) || phrase[at] == '*';
  };
  return (wordy(first_char) ? "\\b" : "") + out + (wordy(last_char) ? "\\b" : "");
}

}  // namespace

struct PhraseMatcher::Impl {
  std::vector<PhraseCategory> categories;
  std::unique_ptr<RE2::Set> set;
  std::vector<std::unique_ptr<RE2>> entries;  // same index as in the set
  std::vector<int> entry_category;
  std::vector<bool> entry_is_pattern;
  std::vector<int> entry_index;  // within the category's phrases or patterns
  int human_request = -1;        // the category the model decides too
};

PhraseMatcher::PhraseMatcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PhraseMatcher::~PhraseMatcher() = default;

namespace {

// Build() without the exception guard.
std::expected<std::unique_ptr<PhraseMatcher::Impl>, std::vector<PatternError>> Compile(
    std::vector<PhraseCategory> categories) {
  using Impl = PhraseMatcher::Impl;
  std::vector<PatternError> errors;
  if (categories.size() > static_cast<size_t>(kMaxCategories)) {
    errors.push_back({kMaxCategories, false, 0,
                      "at most " + std::to_string(kMaxCategories) + " phrase categories"});
    return std::unexpected(std::move(errors));
  }
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  auto impl = std::make_unique<Impl>();
  impl->set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
  for (size_t c = 0; c < categories.size(); ++c) {
    auto add = [&](const std::string& regex, bool is_pattern, int index) {
      auto re = std::make_unique<RE2>(regex, options);
      if (!re->ok()) {
        errors.push_back({static_cast<int>(c), is_pattern, index, re->error()});
        return;
      }
      std::string set_error;
      if (impl->set->Add(regex, &set_error) < 0) {
        errors.push_back({static_cast<int>(c), is_pattern, index, set_error});
        return;
      }
      impl->entries.push_back(std::move(re));
      impl->entry_category.push_back(static_cast<int>(c));
      impl->entry_is_pattern.push_back(is_pattern);
      impl->entry_index.push_back(index);
    };
    const PhraseCategory& cat = categories[c];
    for (size_t p = 0; p < cat.phrases.size(); ++p) {
      std::string regex = PhraseToRegex(cat.phrases[p]);
      if (regex.empty()) {
        errors.push_back({static_cast<int>(c), false, static_cast<int>(p), "empty phrase"});
        continue;
      }
      add(regex, false, static_cast<int>(p));
    }
    for (size_t p = 0; p < cat.patterns.size(); ++p)
      add(cat.patterns[p], true, static_cast<int>(p));
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  if (!impl->entries.empty() && !impl->set->Compile()) {
    errors.push_back({0, true, 0, "the phrase set is too large to compile"});
    return std::unexpected(std::move(errors));
  }
  impl->categories = std::move(categories);
  for (size_t c = 0; c < impl->categories.size(); ++c) {
    if (impl->categories[c].name == "human_request") impl->human_request = static_cast<int>(c);
  }
  return impl;
}

}  // namespace

std::expected<std::shared_ptr<const PhraseMatcher>, std::vector<PatternError>> PhraseMatcher::Build(
    std::vector<PhraseCategory> categories) {
  // RE2 reports bad patterns as values, but std::bad_alloc (a huge set) and
  // std::length_error can still escape from it and from our own containers;
  // exceptions never cross a module boundary, so they become an error here.
  try {
    auto impl = Compile(std::move(categories));
    if (!impl) return std::unexpected(std::move(impl.error()));
    return std::shared_ptr<const PhraseMatcher>(new PhraseMatcher(std::move(*impl)));
  } catch (const std::exception& e) {
    return std::unexpected(std::vector<PatternError>{
        {0, false, 0, std::string("cannot build the phrase set: ") + e.what()}});
  }
}

namespace {

// Messages up to this long are normalized (in a stack buffer with room for
// shorthand to grow); longer ones are matched as typed.
constexpr size_t kNormalizeLimit = 4096;
constexpr size_t kNormalizedCapacity = kNormalizeLimit + kNormalizeLimit / 2;

std::string CorrectionText(std::string_view original, const internal::Correction& c) {
  std::string out(original.substr(c.offset, c.length));
  for (char& ch : out) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
  return out + " -> " + std::string(c.replacement);
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

// Phrases and patterns over one text. `evidence` (may be null) receives one
// entry per category that fired and is not yet in `bits`.
static std::uint64_t MatchEntries(const PhraseMatcher::Impl& impl, std::string_view text,
                                  std::uint64_t already, std::vector<MatchEvidence>* evidence) {
  const re2::StringPiece piece(text.data(), text.size());
  // The common case is that nothing matches. Asking the set only *whether*
  // something matches lets its DFA stop at the first match and allocates
  // nothing (asking *which* makes RE2 allocate a match set on every call).
  // Only when something matched do we pay a second pass to learn which.
  if (!impl.set->Match(piece, nullptr)) return 0;
  std::vector<int> hits;
  if (!impl.set->Match(piece, &hits)) return 0;
  std::sort(hits.begin(), hits.end());  // evidence names the first entry listed
  std::uint64_t bits = 0;
  for (int entry : hits) {
    const int category = impl.entry_category[entry];
    const std::uint64_t bit = std::uint64_t{1} << category;
    if ((bits | already) & bit) continue;
    const bool negatable = impl.categories[category].negatable;
    // Any occurrence that is not negated counts.
    re2::StringPiece input(text.data(), text.size());
    re2::StringPiece found;
    size_t pos = 0;
    bool fired = false;
    while (pos <= text.size() &&
           impl.entries[entry]->Match(input, pos, text.size(), RE2::UNANCHORED, &found, 1)) {
      const size_t at = static_cast<size_t>(found.data() - text.data());
      const bool human = category == impl.human_request;
      if (!negatable || (!NegatedAt(text, at) && !(human && QuestionOrReportAt(text, at)))) {
        fired = true;
        break;
      }
      pos = at + std::max<size_t>(found.size(), 1);
    }
    if (!fired) continue;
    bits |= bit;
    if (evidence != nullptr) {
      MatchEvidence e;
      e.category = category;
      e.source = impl.entry_is_pattern[entry] ? EvidenceSource::kPattern : EvidenceSource::kPhrase;
      e.index = impl.entry_index[entry];
      e.matched = std::string(found.data(), found.size());
      const PhraseCategory& cat = impl.categories[category];
      e.detail = e.source == EvidenceSource::kPhrase
                     ? "phrase " + Quoted(cat.phrases[e.index])
                     : "pattern " + std::to_string(e.index) + " of " + cat.name;
      e.detail += " matched " + Quoted(e.matched);
      evidence->push_back(std::move(e));
    }
  }
  return bits;
}

// True for "", "en" and "en-…": the spelling corrections and the person
// model were learned from English and only help English text (on other
// languages they cost time and could only add false alarms).
static bool ReadAsEnglish(std::string_view language) {
  return language.empty() ||
         (language.size() >= 2 && (language[0] == 'e' || language[0] == 'E') &&
          (language[1] == 'n' || language[1] == 'N') && (language.size() == 2 || language[2] == '-'));
}

static std::uint64_t Decide(const PhraseMatcher::Impl& impl, std::string_view text,
                            std::vector<MatchEvidence>* evidence, std::string_view language = {}) {
  if (text.empty()) return 0;
  internal::NormalizedText norm;
  char buffer[kNormalizedCapacity];
  if (!ReadAsEnglish(language)) {
    // As written: the phrase entries only, no corrections, no model.
    norm.truncated = true;
  } else if (text.size() <= kNormalizeLimit) {
    norm = internal::SpellingNormalizer::Builtin().Normalize(text, buffer);
  } else {
    norm.truncated = true;
  }
  std::uint64_t bits = 0;
  if (!impl.entries.empty()) {
    bits = MatchEntries(impl, text, 0, evidence);
    if (norm.changed && !norm.truncated) {
      const size_t first_new = evidence != nullptr ? evidence->size() : 0;
      bits |= MatchEntries(impl, norm.text, bits, evidence);
      if (evidence != nullptr) {
        const int kept = std::min(norm.correction_count, internal::kMaxCorrections);
        for (size_t k = first_new; k < evidence->size(); ++k) {
          MatchEvidence& e = (*evidence)[k];
          for (int c = 0; c < kept; ++c) e.corrections.push_back(CorrectionText(text, norm.corrections[c]));
          std::string list;
          for (const std::string& c : e.corrections) list += (list.empty() ? "" : ", ") + c;
          if (!list.empty()) e.detail += " (spelling: " + list + ")";
        }
      }
    }
  }
  const int human = impl.human_request;
  if (human < 0 || norm.truncated || ((bits >> human) & 1) != 0) return bits;
  // The model, for what the phrases do not say. Only a message that names a
  // person (not negated: "I don't need an agent") or a bot is scored.
  const internal::PersonMentions mentions = internal::FindPersonMentions(norm.text);
  bool open = mentions.bot;
  for (int k = 0; k < std::min(mentions.count, internal::PersonMentions::kMax) && !open; ++k) {
    open = !NegatedAt<6>(norm.text, mentions.positions[k]) &&
           !QuestionOrReportAt(norm.text, mentions.positions[k]);
  }
  if (!open) return bits;
  const float p = internal::PersonModelProbability(norm.text);
  const float threshold = internal::PersonModel().threshold;
  if (p < threshold) return bits;
  bits |= std::uint64_t{1} << human;
  if (evidence != nullptr) {
    MatchEvidence e;
    e.category = human;
    e.source = EvidenceSource::kModel;
    e.model_score = p;
    char score[64];
    std::snprintf(score, sizeof score, "model score %.2f >= %.2f", p, threshold);
    e.matched = score;
    e.detail = score;
    const int kept = std::min(norm.correction_count, internal::kMaxCorrections);
    for (int c = 0; c < kept; ++c) e.corrections.push_back(CorrectionText(text, norm.corrections[c]));
    evidence->push_back(std::move(e));
  }
  return bits;
}

std::uint64_t PhraseMatcher::Match(std::string_view text, std::string_view language) const {
  return Decide(*impl_, text, nullptr, language);
}

std::vector<MatchEvidence> PhraseMatcher::Explain(std::string_view text) const {
  std::vector<MatchEvidence> evidence;
  Decide(*impl_, text, &evidence);
  return evidence;
}

int PhraseMatcher::category_count() const { return static_cast<int>(impl_->categories.size()); }

const std::string& PhraseMatcher::category_name(int i) const { return impl_->categories[i].name; }

int PhraseMatcher::FindCategory(std::string_view name) const {
  for (size_t i = 0; i < impl_->categories.size(); ++i) {
    if (impl_->categories[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace hitlgate::signals
