// A VADER-style scorer (Hutto & Gilbert, ICWSM 2014), written here because no
// Debian package ships one for C++. The steps, in VADER's order: word
// valences; ALL-CAPS emphasis when the text mixes case; boosters and
// dampeners up to three words back (decaying 1, 0.95, 0.9); negation up to
// three words back (x -0.74); "but" shifts weight to what follows (0.5 before,
// 1.5 after); "!" and "?" amplify; the sum is normalized x / sqrt(x^2 + 15).
// A preceding word acts as booster or negation only when it carries no valence
// of its own, as in VADER; "no", "never so", "without doubt", "least" and
// "kind of" follow VADER's idiom rules.
//
// Thread-safety: the lexicon is built once (Default() or FromFile()) and only
// read afterwards; Score() keeps its state on the stack and may run
// concurrently on one scorer. It allocates nothing (at most kMaxWords words
// are considered).
#include "hitlgate/signals/sentiment.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <string>
#include <unordered_map>

#include "signals/builtin_lexicon.h"
#include "signals/learned_sentiment.h"

namespace hitlgate::signals {

namespace {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using WordMap = std::unordered_map<std::string, double, StringHash, std::equal_to<>>;

constexpr double kBoostCaps = 0.733;
constexpr double kNegationScalar = -0.74;
constexpr double kAlpha = 15.0;
constexpr int kMaxWords = 512;        // longer texts: the rest is ignored
constexpr size_t kMaxWordBytes = 48;  // longer tokens are not words we know

// ASCII classification: what <cctype> does in the "C" locale (hitlgate never
// sets another), inlined; the library calls were a tenth of the scorer's time.
// Bytes >= 0x80 (UTF-8) are none of these.
constexpr bool IsUpper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool IsLower(unsigned char c) { return c >= 'a' && c <= 'z'; }
constexpr bool IsAlpha(unsigned char c) { return IsUpper(c) || IsLower(c); }
constexpr bool IsAlnum(unsigned char c) { return IsAlpha(c) || (c >= '0' && c <= '9'); }
constexpr bool IsSpace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
constexpr char ToLower(unsigned char c) { return static_cast<char>(IsUpper(c) ? c + 32 : c); }

bool IsWordByte(unsigned char c) { return IsAlnum(c) || c == '\'' || c == '-' || c >= 0x80; }

bool IsAllCaps(std::string_view w) {
  bool letter = false;
  for (unsigned char c : w) {
    if (IsLower(c)) return false;
    if (IsUpper(c)) letter = true;
  }
  return letter && w.size() > 1;
}

bool HasNonAscii(std::string_view w) {
  for (unsigned char c : w) {
    if (c >= 0x80) return true;
  }
  return false;
}

// The handful of words whose role depends on their neighbours (VADER's
// idiom rules). Classified once per word, from the text as written.
enum class Special : unsigned char {
  kNone,
  kBut,
  kNo,
  kOr,
  kNever,
  kSoThis,
  kWithout,
  kDoubt,
  kLeast,
  kAt,
  kVery,
  kKind,
  kOf
};

bool EqualsLower(std::string_view raw, std::string_view lower) {
  if (raw.size() != lower.size()) return false;
  for (size_t k = 0; k < raw.size(); ++k) {
    if (ToLower(static_cast<unsigned char>(raw[k])) != lower[k]) return false;
  }
  return true;
}

Special Classify(std::string_view raw) {
  switch (raw.size()) {
    case 2:
      if (EqualsLower(raw, "no")) return Special::kNo;
      if (EqualsLower(raw, "or")) return Special::kOr;
      if (EqualsLower(raw, "so")) return Special::kSoThis;
      if (EqualsLower(raw, "at")) return Special::kAt;
      if (EqualsLower(raw, "of")) return Special::kOf;
      return Special::kNone;
    case 3:
      if (EqualsLower(raw, "but")) return Special::kBut;
      if (EqualsLower(raw, "nor")) return Special::kOr;
      return Special::kNone;
    case 4:
      if (EqualsLower(raw, "this")) return Special::kSoThis;
      if (EqualsLower(raw, "very")) return Special::kVery;
      if (EqualsLower(raw, "kind")) return Special::kKind;
      return Special::kNone;
    case 5:
      if (EqualsLower(raw, "never")) return Special::kNever;
      if (EqualsLower(raw, "doubt")) return Special::kDoubt;
      if (EqualsLower(raw, "least")) return Special::kLeast;
      return Special::kNone;
    case 7:
      return EqualsLower(raw, "without") ? Special::kWithout : Special::kNone;
    default:
      return Special::kNone;
  }
}

}  // namespace

class SentimentLexicon {
 public:
  WordMap words;
  WordMap boosters;
  WordMap negations;  // value unused

  // Everything Score() needs to know about one lower-cased token, found with
  // one hash lookup: built by Finalize() from the maps above.
  struct Entry {
    double valence = 0;  // from `words`
    double emoji = 0;    // from the built-in emoji (all non-ASCII)
    double booster = 0;
    bool in_words = false;
    bool is_booster = false;
    bool is_negation = false;
  };
  std::unordered_map<std::string, Entry, StringHash, std::equal_to<>> index;

  const Entry* Lookup(std::string_view lower) const {
    auto it = index.find(lower);
    return it == index.end() ? nullptr : &it->second;
  }

  // Call once the maps are complete, before the lexicon is shared.
  void Finalize() {
    index.clear();
    for (const auto& [w, v] : words) {
      Entry& e = index[w];
      e.valence = v;
      e.in_words = true;
    }
    for (const auto& em : internal::BuiltinEmoji()) index[std::string(em.word)].emoji = em.valence;
    for (const auto& [w, v] : boosters) {
      Entry& e = index[w];
      e.booster = v;
      e.is_booster = true;
    }
    for (const auto& [w, v] : negations) index[w].is_negation = true;
  }

  static std::shared_ptr<SentimentLexicon> Builtin() {
    auto lex = std::make_shared<SentimentLexicon>();
    for (const auto& e : internal::BuiltinLexicon())
      lex->words.emplace(std::string(e.word), e.valence);
    for (const auto& e : internal::Boosters())
      lex->boosters.emplace(std::string(e.word), e.valence);
    for (std::string_view n : internal::Negations()) lex->negations.emplace(std::string(n), 0.0);
    lex->Finalize();
    return lex;
  }
};

SentimentScorer::SentimentScorer(std::shared_ptr<const SentimentLexicon> lexicon)
    : lexicon_(std::move(lexicon)) {}
SentimentScorer::~SentimentScorer() = default;

std::shared_ptr<const SentimentScorer> SentimentScorer::Default() {
  static const std::shared_ptr<const SentimentScorer> scorer =
      std::make_shared<SentimentScorer>(SentimentLexicon::Builtin());
  return scorer;
}

Result<std::shared_ptr<const SentimentScorer>> SentimentScorer::FromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound("cannot open lexicon file " + path);
  auto lex = SentimentLexicon::Builtin();
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0) {
      return InvalidArgument(path + ":" + std::to_string(number) +
                             ": expected 'token<TAB>mean valence<TAB>...'");
    }
    size_t end = line.find('\t', tab + 1);
    std::string_view value(line.data() + tab + 1,
                           (end == std::string::npos ? line.size() : end) - tab - 1);
    double valence = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), valence);
    if (ec != std::errc() || ptr != value.data() + value.size() || valence < -4.0 ||
        valence > 4.0) {
      return InvalidArgument(path + ":" + std::to_string(number) + ": valence '" +
                             std::string(value) + "' is not a number in [-4, 4]");
    }
    std::string token = line.substr(0, tab);
    for (char& c : token) c = ToLower(static_cast<unsigned char>(c));
    lex->words[token] = valence;
  }
  lex->Finalize();
  return std::make_shared<const SentimentScorer>(std::move(lex));
}

SentimentScore SentimentScorer::Score(std::string_view text, std::string_view language) const {
  const int learned = internal::LearnedLanguageIndex(language);
  const SentimentScore english = Score(text);
  return learned >= 0 ? internal::ScoreLearned(text, learned, english.compound) : english;
}

SentimentScore SentimentScorer::Score(std::string_view text) const {
  using Entry = SentimentLexicon::Entry;
  const SentimentLexicon& lex = *lexicon_;
  SentimentScore out;
  // What the rules need of each word, looked up once per word. Trivially
  // constructible on purpose: only the first n are ever written or read, and
  // the arrays live on the stack, so scoring allocates nothing.
  struct Word {
    const Entry* entry;  // nullptr: not a word we know
    bool all_caps;       // IsAllCaps of the word as written
    bool negates;        // a negation, or ends in "n't" (VADER's negated())
    Special special;     // the few words VADER's idiom rules name
  };
  std::array<Word, kMaxWords> words;
  int n = 0;
  int caps_words = 0, alpha_words = 0;

  std::array<char, kMaxWordBytes> lower;
  // Lower-cases `raw` into `lower` and looks it up; nullptr when unknown.
  auto lookup = [&](std::string_view raw) -> const Entry* {
    if (raw.empty() || raw.size() > kMaxWordBytes) return nullptr;
    for (size_t k = 0; k < raw.size(); ++k) lower[k] = ToLower(static_cast<unsigned char>(raw[k]));
    return lex.Lookup(std::string_view(lower.data(), raw.size()));
  };
  // Pushes one word (`entry` is its lookup).
  auto push = [&](std::string_view raw, const Entry* entry) {
    if (n >= kMaxWords || raw.empty() || raw.size() > kMaxWordBytes) return;
    Word& w = words[n++];
    w.entry = entry;
    w.all_caps = false;
    bool alpha = false;
    for (unsigned char c : raw) alpha |= IsAlpha(c);
    if (alpha) {
      ++alpha_words;
      w.all_caps = IsAllCaps(raw);
      caps_words += w.all_caps;
    }
    w.special = Classify(raw);
    const size_t z = raw.size();
    // "n't" with an ASCII or a typographic (U+2019, phones insert it) apostrophe.
    auto lower_at = [&](size_t k) { return ToLower(static_cast<unsigned char>(raw[k])); };
    w.negates =
        (entry != nullptr && entry->is_negation) ||
        (z >= 3 && lower_at(z - 3) == 'n' && raw[z - 2] == '\'' && lower_at(z - 1) == 't') ||
        (z >= 5 && lower_at(z - 5) == 'n' && raw.substr(z - 4, 3) == "\u2019" &&
         lower_at(z - 1) == 't');
  };
  // Tokenize on whitespace; strip surrounding punctuation unless the token
  // itself is in the lexicon (emoticons like ":)").
  size_t i = 0;
  while (i < text.size() && n < kMaxWords) {
    while (i < text.size() && IsSpace(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && !IsSpace(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) break;
    std::string_view token = text.substr(start, i - start);
    for (char c : token) out.exclamations += c == '!';
    const Entry* whole = lookup(token);
    if (whole != nullptr && whole->in_words) {
      push(token, whole);
      continue;
    }
    // Emoji glued to words ("thanks🙏") count on their own. Every emoji is
    // non-ASCII, so plain ASCII tokens skip the scan.
    if (HasNonAscii(token)) {
      for (const auto& emoji : internal::BuiltinEmoji()) {
        if (token.find(emoji.word) != std::string_view::npos)
          push(emoji.word, lex.Lookup(emoji.word));
      }
    }
    size_t b = 0, e = token.size();
    while (b < e && !IsWordByte(static_cast<unsigned char>(token[b]))) ++b;
    while (e > b && !IsWordByte(static_cast<unsigned char>(token[e - 1]))) --e;
    const std::string_view word = token.substr(b, e - b);
    push(word, word.size() == token.size() ? whole : lookup(word));
  }
  out.caps_ratio = alpha_words ? static_cast<double>(caps_words) / alpha_words : 0.0;
  const bool caps_differ = caps_words > 0 && caps_words < alpha_words;

  // A word "counts as lexicon" when it carries a valence of its own; VADER
  // lets only the other words act as boosters or negations of what follows.
  auto in_lexicon = [&](int k) {
    return words[k].entry != nullptr && (words[k].entry->in_words || words[k].entry->emoji != 0);
  };
  auto special = [&](int k, Special s) { return k >= 0 && k < n && words[k].special == s; };

  std::array<double, kMaxWords> valences;  // first n written below
  int but_index = -1;
  for (int k = 0; k < n; ++k) {
    const Word& w = words[k];
    valences[k] = 0.0;
    if (w.special == Special::kBut && but_index < 0) but_index = k;
    if (w.entry == nullptr || w.entry->is_booster) continue;
    // "kind of" is a hedge, not kindness.
    if (w.special == Special::kKind && special(k + 1, Special::kOf)) continue;
    const double base = w.entry->valence != 0.0 ? w.entry->valence : w.entry->emoji;
    if (base == 0.0) continue;
    double v = base;
    // "no" before a known word only negates it ("no help"), it is not itself
    // negative; a word one or two after "no" (three with "or"/"nor") flips.
    if (w.special == Special::kNo && k + 1 < n && in_lexicon(k + 1)) v = 0.0;
    if (special(k - 1, Special::kNo) || special(k - 2, Special::kNo) ||
        (special(k - 3, Special::kNo) && (special(k - 1, Special::kOr)))) {
      v = base * kNegationScalar;
    }
    if (v == 0.0) continue;
    if (caps_differ && w.all_caps) v += v > 0 ? kBoostCaps : -kBoostCaps;
    static constexpr double kDecay[] = {1.0, 0.95, 0.9};
    for (int back = 1; back <= 3 && k - back >= 0; ++back) {
      const Word& prev = words[k - back];
      if (in_lexicon(k - back)) continue;
      const double boost = prev.entry != nullptr ? prev.entry->booster : 0.0;
      if (boost != 0.0) {
        double scalar = v > 0 ? boost : -boost;
        if (caps_differ && prev.all_caps) scalar += v > 0 ? kBoostCaps : -kBoostCaps;
        v += scalar * kDecay[back - 1];
      }
      // Negation, each negator on its own (VADER's _negation_check), except
      // the idioms "never so good" (more, not less) and "without doubt".
      // "no" was handled above.
      if (back >= 2 && prev.special == Special::kNever &&
          (special(k - 1, Special::kSoThis) || (back == 3 && special(k - 2, Special::kSoThis)))) {
        v *= 1.25;
      } else if (back >= 2 && prev.special == Special::kWithout &&
                 (special(k - 1, Special::kDoubt) ||
                  (back == 3 && special(k - 2, Special::kDoubt)))) {
        // unchanged
      } else if (prev.negates && prev.special != Special::kNo) {
        v *= kNegationScalar;
      }
    }
    // "least good" is not good; "at least" and "very least" are not negations.
    if (k >= 1 && words[k - 1].special == Special::kLeast && !in_lexicon(k - 1) &&
        !special(k - 2, Special::kAt) && !special(k - 2, Special::kVery)) {
      v *= kNegationScalar;
    }
    valences[k] = v;
  }
  if (but_index >= 0) {
    for (int k = 0; k < n; ++k) {
      if (k < but_index)
        valences[k] *= 0.5;
      else if (k > but_index)
        valences[k] *= 1.5;
    }
  }
  double sum = 0, pos = 0, neg = 0;
  int neutral = 0;
  for (int k = 0; k < n; ++k) {
    double v = valences[k];
    sum += v;
    if (v > 0)
      pos += v + 1;
    else if (v < 0)
      neg += v - 1;
    else
      ++neutral;
  }
  int questions = 0;
  for (char c : text) questions += c == '?';
  double emphasis = std::min(out.exclamations, 4) * 0.292;
  if (questions > 1) emphasis += questions <= 3 ? questions * 0.18 : 0.96;
  if (sum > 0) {
    sum += emphasis;
  } else if (sum < 0) {
    sum -= emphasis;
  }
  out.compound = sum == 0 ? 0.0 : std::clamp(sum / std::sqrt(sum * sum + kAlpha), -1.0, 1.0);
  // The shares take the emphasis on whichever side is larger (VADER does the
  // same), so "!!!" makes a positive text more positive, not less neutral.
  if (pos > std::fabs(neg)) {
    pos += emphasis;
  } else if (pos < std::fabs(neg)) {
    neg -= emphasis;
  }
  double total = pos + std::fabs(neg) + neutral;
  if (total > 0) {
    out.positive = pos / total;
    out.negative = std::fabs(neg) / total;
  }
  return out;
}

}  // namespace hitlgate::signals
