// SpellingNormalizer: rewrites a customer message so that the phrase sets,
// written in correctly spelt words, also match what people actually type:
// "talk with a live agemt" -> "talk with a live agent", "talkto" -> "talk to",
// "pls" -> "please". Words are lowered; bytes that are not word characters
// are copied unchanged, so punctuation and clause boundaries survive.
//
// Only the phrase vocabulary (phrase_vocabulary.cc) is a correction target,
// and never an English word of its own ("contract" stays): a correction can
// only ever turn a non-word into a word of the signal phrases.
//
// Hand-written rather than hunspell: hunspell suggests from a whole-language
// dictionary (it would turn "agemt" into "agent" but also suggests freely
// across all English), allocates per call and needs a dictionary file at run
// time. A symmetric-delete index (the SymSpell idea) over ~110 words finds
// every candidate within one or two edits with a few hash probes per word,
// without allocating.
//
// Built once; Normalize() is const and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace hitlgate::signals::internal {

// One rewritten word: where it was in the input, and what it became.
struct Correction {
  std::uint32_t offset = 0;  // in the input text
  std::uint32_t length = 0;
  // What it became ("agent", "talk to", "please"), inside the output buffer.
  std::string_view replacement;
};

inline constexpr int kMaxCorrections = 8;

struct NormalizedText {
  std::string_view text;  // inside the caller's buffer
  // True when a word was corrected, expanded or split (not for mere case).
  bool changed = false;
  bool truncated = false;  // the buffer was too small: `text` is not valid
  int correction_count = 0;  // may exceed kMaxCorrections; only those are kept
  Correction corrections[kMaxCorrections];
};

class SpellingNormalizer {
 public:
  // The normalizer over the built-in phrase vocabulary, built on first use.
  static const SpellingNormalizer& Builtin();

  // Writes the normalized text into `buffer`. When it does not fit,
  // `truncated` is set and the caller should match the original text only.
  NormalizedText Normalize(std::string_view text, std::span<char> buffer) const;

  // The vocabulary word `word` (lower case) was corrected to, or empty when
  // the word is left as typed. For tests and the evaluation.
  std::string_view Correct(std::string_view word) const;

  SpellingNormalizer();

 private:
  struct Slot {
    std::uint64_t hash = 0;  // 0: empty
    std::uint32_t value = 0;
  };
  // Open addressing over 64-bit string hashes: a few probes, no allocation.
  class HashIndex {
   public:
    void Reserve(std::size_t entries);
    void Add(std::uint64_t hash, std::uint32_t value);
    // Calls f(value) for every entry with this hash.
    template <typename F>
    void ForEach(std::uint64_t hash, F&& f) const;
    bool Contains(std::uint64_t hash) const;

   private:
    std::vector<Slot> slots_;
    std::uint64_t mask_ = 0;
  };

  std::string_view CorrectWord(std::string_view lower) const;
  bool IsJoinable(std::string_view lower) const;

  std::vector<std::string_view> words_;  // vocabulary words, by index
  HashIndex deletes_;      // a word and its 1 (or 2) letter deletions -> word index
  HashIndex known_;        // words never to correct (vocabulary, near misses)
  HashIndex joinable_;     // halves a joined token may be split into
  HashIndex shorthand_;    // typed shorthand -> index into Shorthands()
};

}  // namespace hitlgate::signals::internal
