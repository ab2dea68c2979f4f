// Spelling normalization against the phrase vocabulary. See the header for
// why this is hand-written; the distances here must match
// tools/gen_english_near_misses.py, which lists the English words that are
// near a vocabulary word and so must never be corrected.
#include "signals/spelling_normalizer.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

#include "signals/phrase_vocabulary.h"

namespace hitlgate::signals::internal {
namespace {

constexpr std::string_view kEnglishNearMisses[] = {
#include "signals/english_near_misses.inc"
};

// Longest word we try to correct or split; longer tokens are left alone
// (URLs, order numbers, words nobody misspells into an agent).
constexpr std::size_t kMaxWord = 24;

constexpr bool IsAsciiLetter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
constexpr bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
constexpr bool IsWordByte(unsigned char c) {
  return IsAsciiLetter(c) || IsDigit(c) || c == '\'' || c >= 0x80;
}
constexpr char Lower(unsigned char c) {
  return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

// How far a typed word may be from a vocabulary word: one edit, two for long
// words typed long (people drop or swap more letters of "representative").
constexpr int MaxDistance(std::size_t target_length, std::size_t typed_length) {
  return target_length >= 8 && typed_length >= 7 ? 2 : 1;
}

// Optimal string alignment distance (Levenshtein plus adjacent
// transposition), capped: returns cap + 1 as soon as it must exceed cap.
// Three rolling rows on the stack: it runs for every plausible candidate.
int Osa(std::string_view a, std::string_view b, int cap) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > cap) return cap + 1;
  std::uint8_t rows[3][kMaxWord + 2];
  std::uint8_t* two_back = rows[0];
  std::uint8_t* previous = rows[1];
  std::uint8_t* current = rows[2];
  for (int j = 0; j <= m; ++j) previous[j] = static_cast<std::uint8_t>(j);
  for (int i = 1; i <= n; ++i) {
    current[0] = static_cast<std::uint8_t>(i);
    int row_min = i;
    for (int j = 1; j <= m; ++j) {
      int v = std::min({previous[j] + 1, current[j - 1] + 1,
                        previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        v = std::min(v, two_back[j - 2] + 1);
      current[j] = static_cast<std::uint8_t>(v);
      row_min = std::min(row_min, v);
    }
    if (row_min > cap) return cap + 1;
    std::uint8_t* spare = two_back;
    two_back = previous;
    previous = current;
    current = spare;
  }
  return previous[m];
}

// At most `limit` (1 or 2) bits set, without a popcount call (the build
// does not assume the POPCNT instruction).
constexpr bool AtMostBits(std::uint32_t x, int limit) {
  x &= x - 1;  // drop one bit
  if (limit >= 2) x &= x - 1;
  return x == 0;
}

// QWERTY positions, for ranking candidates: a slip onto a neighbouring key
// ("agemt": m is next to n) is likelier than any other substitution.
bool KeysAdjacent(char a, char b) {
  static constexpr std::string_view kRows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
  int ra = -1, ca = 0, rb = -1, cb = 0;
  for (int r = 0; r < 3; ++r) {
    if (auto p = kRows[r].find(a); p != std::string_view::npos) ra = r, ca = static_cast<int>(p);
    if (auto p = kRows[r].find(b); p != std::string_view::npos) rb = r, cb = static_cast<int>(p);
  }
  if (ra < 0 || rb < 0) return false;
  return std::abs(ra - rb) <= 1 && std::abs(ca - cb) <= 1 && (ra != rb || ca != cb);
}

// Weighted edit cost, only to choose between candidates at the same
// distance: neighbouring-key slips, swapped letters and doubled or dropped
// double letters are the common typing errors, so they cost less.
double TypingCost(std::string_view typed, std::string_view word) {
  const int n = static_cast<int>(typed.size()), m = static_cast<int>(word.size());
  double rows[3][kMaxWord + 2];
  double* two_back = rows[0];
  double* previous = rows[1];
  double* current = rows[2];
  for (int j = 0; j <= m; ++j) previous[j] = j;
  for (int i = 1; i <= n; ++i) {
    current[0] = i;
    for (int j = 1; j <= m; ++j) {
      const char t = typed[i - 1], w = word[j - 1];
      // An extra typed letter that repeats its neighbour ("talkk") is cheap.
      const double extra = (i > 1 && typed[i - 2] == t) ? 0.6 : 1.0;
      // A dropped letter of a double ("suport") is cheap.
      const double dropped = (j > 1 && word[j - 2] == w) ? 0.6 : 1.0;
      const double sub = t == w ? 0.0 : KeysAdjacent(t, w) ? 0.6 : 1.0;
      double v = std::min({previous[j] + extra, current[j - 1] + dropped, previous[j - 1] + sub});
      if (i > 1 && j > 1 && t == word[j - 2] && typed[i - 2] == w) v = std::min(v, two_back[j - 2] + 0.7);
      current[j] = v;
    }
    double* spare = two_back;
    two_back = previous;
    previous = current;
    current = spare;
  }
  return previous[m];
}

// Appends to the output buffer; remembers overflow instead of writing past.
struct Writer {
  std::span<char> buffer;
  std::size_t size = 0;
  bool overflow = false;
  void Put(std::string_view s) {
    if (size + s.size() > buffer.size()) {
      overflow = true;
      return;
    }
    std::memcpy(buffer.data() + size, s.data(), s.size());
    size += s.size();
  }
  std::string_view Since(std::size_t start) const {
    return {buffer.data() + start, size - start};
  }
};

const Shorthand* FindShorthand(std::string_view lower) {
  for (const Shorthand& s : Shorthands()) {
    if (s.typed == lower) return &s;
  }
  return nullptr;
}

}  // namespace

std::uint32_t Letters(std::string_view lower) {
  std::uint32_t mask = 0;
  for (char c : lower) mask |= 1u << ((c - 'a') & 31);
  return mask;
}

SpellingNormalizer::SpellingNormalizer() {
  for (const VocabularyWord& w : PhraseVocabulary()) words_.push_back(w.word);
  // Bucket the correction targets (four letters or more).
  for (int bucket = 0; bucket < kBuckets; ++bucket) {
    const std::size_t length = static_cast<std::size_t>(bucket / 26);
    const char letter = static_cast<char>('a' + bucket % 26);
    first_start_[bucket] = static_cast<std::uint32_t>(by_first_.size());
    second_start_[bucket] = static_cast<std::uint32_t>(by_second_.size());
    for (std::size_t idx = 0; idx < words_.size(); ++idx) {
      const std::string_view w = words_[idx];
      if (w.size() != length || length < 4) continue;
      const Target t{Letters(w), static_cast<std::uint16_t>(idx), static_cast<std::uint8_t>(length)};
      if (w[0] == letter) by_first_.push_back(t);
      if (w[1] == letter) by_second_.push_back(t);
    }
  }
  first_start_[kBuckets] = static_cast<std::uint32_t>(by_first_.size());
  second_start_[kBuckets] = static_cast<std::uint32_t>(by_second_.size());
  known_.Reserve(words_.size() + std::size(kEnglishNearMisses));
  for (std::string_view w : words_) known_.Add(w, 0);
  for (std::string_view w : kEnglishNearMisses) known_.Add(w, 0);
  joinable_.Reserve(words_.size() + JoinableShortWords().size());
  for (std::string_view w : words_) joinable_.Add(w, 0);
  for (std::string_view w : JoinableShortWords()) joinable_.Add(w, 0);
  const auto shorthands = Shorthands();
  shorthand_.Reserve(shorthands.size());
  for (std::uint32_t i = 0; i < shorthands.size(); ++i) shorthand_.Add(shorthands[i].typed, i);
}

const SpellingNormalizer& SpellingNormalizer::Builtin() {
  static const SpellingNormalizer instance;
  return instance;
}

// `lower`: ASCII letters only, 3..kMaxWord long.
std::string_view SpellingNormalizer::CorrectWord(std::string_view lower, std::uint64_t hash) const {
  if (known_.ContainsHash(hash)) return {};
  const std::uint32_t letters = Letters(lower);
  const std::size_t n = lower.size();
  int best = -1;
  int best_distance = 3;
  double best_cost = 0;
  // Lengths within reach: one edit, two when both words are long (MaxDistance).
  const std::size_t shortest = std::max<std::size_t>(n >= 10 ? n - 2 : n - 1, 4);
  const std::size_t longest = std::min<std::size_t>(n >= 7 ? n + 2 : n + 1, 31);
  const int letter0 = lower[0] - 'a', letter1 = lower[1] - 'a';
  auto consider = [&](const Target& t) {
    const int cap = MaxDistance(t.length, n);
    const std::size_t gap = t.length > n ? t.length - n : n - t.length;
    if (gap > static_cast<std::size_t>(cap) || !AtMostBits(letters & ~t.letters, cap) ||
        !AtMostBits(t.letters & ~letters, cap)) {
      return;
    }
    const std::uint16_t index = t.word;
    const std::string_view word = words_[index];
    const int distance = Osa(lower, word, cap);
    if (distance > cap) return;
    const double cost = TypingCost(lower, word);
    // A four-letter word is one edit from too many others ("liye" is Hindi,
    // not "live"): only typing slips correct to it (a neighbouring key,
    // swapped letters, a doubled letter, a dropped letter).
    if (word.size() <= 4 && cost > 0.7 && n + 1 != word.size()) return;
    if (best < 0 || distance < best_distance || (distance == best_distance && cost < best_cost)) {
      best = static_cast<int>(index);
      best_distance = distance;
      best_cost = cost;
    }
  };
  for (std::size_t length = shortest; length <= longest; ++length) {
    const int base = static_cast<int>(length) * 26;
    for (int letter : {letter0, letter1}) {
      if (letter < 0 || letter >= 26) continue;
      for (std::uint32_t k = first_start_[base + letter]; k < first_start_[base + letter + 1]; ++k)
        consider(by_first_[k]);
      for (std::uint32_t k = second_start_[base + letter]; k < second_start_[base + letter + 1]; ++k)
        consider(by_second_[k]);
    }
  }
  return best < 0 ? std::string_view{} : words_[static_cast<std::size_t>(best)];
}

bool SpellingNormalizer::IsJoinable(std::string_view lower) const {
  return joinable_.Contains(lower);
}

std::string_view SpellingNormalizer::Correct(std::string_view word) const {
  char buf[kMaxWord];
  if (word.size() > kMaxWord) return {};
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (!IsAsciiLetter(static_cast<unsigned char>(word[i]))) return {};
    buf[i] = Lower(static_cast<unsigned char>(word[i]));
  }
  const std::string_view lower(buf, word.size());
  if (lower.size() < 3) return {};
  return CorrectWord(lower, HashWord(lower));
}

NormalizedText SpellingNormalizer::Normalize(std::string_view text, std::span<char> buffer) const {
  NormalizedText out;
  Writer w{buffer};
  auto record = [&](std::size_t offset, std::size_t length, std::size_t written_from) {
    if (out.correction_count < kMaxCorrections) {
      out.corrections[out.correction_count] = {static_cast<std::uint32_t>(offset),
                                               static_cast<std::uint32_t>(length),
                                               w.Since(written_from)};
    }
    ++out.correction_count;
    out.changed = true;
  };
  std::size_t i = 0;
  while (i < text.size() && !w.overflow) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (!IsWordByte(c)) {
      const std::size_t from = i;
      while (i < text.size() && !IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
      w.Put(text.substr(from, i - from));
      continue;
    }
    const std::size_t start = i;
    bool letters_only = true, ascii = true;
    while (i < text.size() && IsWordByte(static_cast<unsigned char>(text[i]))) {
      const unsigned char b = static_cast<unsigned char>(text[i]);
      letters_only &= IsAsciiLetter(b);
      ascii &= b < 0x80;
      ++i;
    }
    const std::size_t length = i - start;
    if (length > kMaxWord || !ascii) {
      // Other scripts and long tokens are copied (ASCII letters lowered).
      const std::size_t from = w.size;
      w.Put(text.substr(start, length));
      if (!w.overflow) {
        for (std::size_t k = from; k < w.size; ++k)
          buffer[k] = Lower(static_cast<unsigned char>(buffer[k]));
      }
      continue;
    }
    char lowered[kMaxWord];
    for (std::size_t k = 0; k < length; ++k) lowered[k] = Lower(static_cast<unsigned char>(text[start + k]));
    const std::string_view lower(lowered, length);
    const std::size_t from = w.size;
    const std::uint64_t hash = HashWord(lower);
    if (shorthand_.ContainsHash(hash)) {
      if (const Shorthand* s = FindShorthand(lower)) {
        w.Put(s->expanded);
        record(start, length, from);
        continue;
      }
    }
    // Two phrase words typed without the space: "talkto", "tosomebody".
    // English words made of two such words ("into", "someone") are in the
    // near-miss list: known words are never split.
    if (letters_only && length >= 4 && !known_.ContainsHash(hash)) {
      bool split = false;
      for (std::size_t k = 1; k + 1 <= length - 1 && !split; ++k) {
        const std::string_view left = lower.substr(0, k), right = lower.substr(k);
        if (!IsJoinable(left) || !IsJoinable(right)) continue;
        const Shorthand* sl = FindShorthand(left);
        const Shorthand* sr = FindShorthand(right);
        w.Put(sl ? sl->expanded : left);
        w.Put(" ");
        w.Put(sr ? sr->expanded : right);
        record(start, length, from);
        split = true;
      }
      if (split) continue;
    }
    if (letters_only && length >= 3) {
      if (std::string_view fixed = CorrectWord(lower, hash); !fixed.empty()) {
        w.Put(fixed);
        record(start, length, from);
        continue;
      }
    }
    w.Put(lower);
  }
  out.truncated = w.overflow;
  out.text = w.overflow ? std::string_view{} : w.Since(0);
  return out;
}

}  // namespace hitlgate::signals::internal
