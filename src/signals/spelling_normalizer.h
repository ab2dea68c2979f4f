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
// time. Here ~110 target words are bucketed by length with their letter
// sets, so a typed word costs one hash probe (is it a known word?) and a few
// dozen bit operations; only a plausible candidate gets an edit-distance
// computation. Nothing is allocated.
//
// Built once; Normalize() is const and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "signals/word_index.h"

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
  // `hash`: HashWord(lower), computed once per word.
  std::string_view CorrectWord(std::string_view lower, std::uint64_t hash) const;
  bool IsJoinable(std::string_view lower) const;

  // Correction targets, indexed by (length, first letter) and (length,
  // second letter). A word one edit from a target shares its first or second
  // letter with the target's first or second letter (an edit at the front
  // moves the other one), so a typed word looks in four small buckets per
  // length instead of at every target. Then letter sets filter (each edit
  // adds at most one letter the other word lacks), then the edit distance.
  struct Target {
    std::uint32_t letters;  // bit i: letter 'a' + i occurs
    std::uint16_t word;     // index into words_
    std::uint8_t length;
  };
  static constexpr int kBuckets = 32 * 26;
  std::vector<std::string_view> words_;  // vocabulary words, by index
  std::vector<Target> by_first_, by_second_;
  std::uint32_t first_start_[kBuckets + 1] = {};
  std::uint32_t second_start_[kBuckets + 1] = {};
  WordIndex known_;      // words never to correct (vocabulary, English near misses)
  WordIndex joinable_;   // halves a joined token may be split into
  WordIndex shorthand_;  // typed shorthand -> index into Shorthands()
};

}  // namespace hitlgate::signals::internal
