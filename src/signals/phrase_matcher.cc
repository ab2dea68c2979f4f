// One RE2::Set over every phrase and pattern of every category: a single
// linear-time pass over the text finds which entries match (the common case
// is none). Only for entries that matched do we run their own RE2 to find
// where, and look back for a negation ("I don't need an agent").
//
// Thread-safety: a built PhraseMatcher is immutable; RE2 and RE2::Set are
// safe to use from many threads at once (their DFA caches lock inside), so
// Match() may be called concurrently. Build() touches no shared state.
#include "hitlgate/signals/phrase_matcher.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <exception>
#include <string>

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
      "wouldn\u2019t", "shouldn\u2019t", "needn\u2019t"};
  return IsOneOf(w, kNegators);
}

bool IsVolition(std::string_view w) {
  static constexpr std::string_view kVolition[] = {
      "need", "needs",    "want",   "wants",  "require", "wish",    "going",     "gonna",
      "plan", "planning", "intend", "asking", "ask",     "looking", "necessary", "interested"};
  return IsOneOf(w, kVolition);
}

// Up to four words before `pos`, nearest first, as slices of `text` (no
// copies: this runs for every occurrence of a negatable match). Stops at
// sentence punctuation, so a negation in an earlier clause does not reach
// here, and at any other symbol.
int WordsBefore(std::string_view text, size_t pos, std::string_view (&out)[4]) {
  int found = 0;
  size_t i = pos;
  while (found < 4 && i > 0) {
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

bool NegatedAt(std::string_view text, size_t match_start) {
  std::string_view before[4];
  int n = WordsBefore(text, match_start, before);
  // "no lawyer", "not a bot": a negator one or two words back.
  for (int k = 0; k < n && k < 2; ++k) {
    if (IsNegator(before[k])) return true;
  }
  // "don't need an agent", "not going to sue": negator + a verb of wanting.
  for (int k = 1; k < n; ++k) {
    if (IsNegator(before[k]) && IsVolition(before[k - 1])) return true;
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

std::uint64_t PhraseMatcher::Match(std::string_view text) const {
  if (impl_->entries.empty() || text.empty()) return 0;
  const re2::StringPiece piece(text.data(), text.size());
  // The common case is that nothing matches. Asking the set only *whether*
  // something matches lets its DFA stop at the first match and allocates
  // nothing (asking *which* makes RE2 allocate a match set on every call).
  // Only when something matched do we pay a second pass to learn which.
  if (!impl_->set->Match(piece, nullptr)) return 0;
  std::vector<int> hits;
  if (!impl_->set->Match(piece, &hits)) return 0;
  std::uint64_t bits = 0;
  for (int entry : hits) {
    const int category = impl_->entry_category[entry];
    const std::uint64_t bit = std::uint64_t{1} << category;
    if (bits & bit) continue;
    if (!impl_->categories[category].negatable) {
      bits |= bit;
      continue;
    }
    // Any occurrence that is not negated counts.
    re2::StringPiece input(text.data(), text.size());
    re2::StringPiece found;
    size_t pos = 0;
    while (pos <= text.size() &&
           impl_->entries[entry]->Match(input, pos, text.size(), RE2::UNANCHORED, &found, 1)) {
      const size_t at = static_cast<size_t>(found.data() - text.data());
      if (!NegatedAt(text, at)) {
        bits |= bit;
        break;
      }
      pos = at + std::max<size_t>(found.size(), 1);
    }
  }
  return bits;
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
