// The built-in contact-center sentiment lexicon and the word lists of the
// scorer (boosters, dampeners, negations). Internal to src/signals.
#pragma once

#include <span>
#include <string_view>

namespace hitlgate::signals::internal {

struct LexiconEntry {
  std::string_view word;
  double valence;  // VADER scale, -4 .. +4
};

std::span<const LexiconEntry> BuiltinLexicon();
std::span<const LexiconEntry> BuiltinEmoji();  // UTF-8 emoji and emoticons
std::span<const LexiconEntry> Boosters();      // +: intensifiers, -: dampeners
std::span<const std::string_view> Negations();

}  // namespace hitlgate::signals::internal
