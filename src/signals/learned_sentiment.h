// Sentiment for German, French, Spanish, Italian and Portuguese: a linear
// model per language over words and word stems, learned from the XLM-T
// tweets (train splits) by tools/train_sentiment.cc and compiled in
// (learned_sentiment_weights.cc). The English scorer is a hand-made lexicon
// with VADER's rules; the same rules that carry over without a lexicon are
// applied here to each word's learned weight, identically when training and
// scoring (ForEachSentimentFeature is the one place that says how):
//   - negation: a negator of the language up to three words back, in the
//     same clause, multiplies the word's weight by -0.74 (VADER's scalar);
//   - intensity: a booster right before ("sehr", "très", "muy", "molto",
//     "muito") multiplies by 1.3, a word in capitals in a mixed-case text by
//     1.3, and each "!" (up to four) adds to the direction of the sum.
// Internal to src/signals. Scoring allocates nothing.
#pragma once

#include <cstddef>
#include <string_view>

#include "hitlgate/signals/sentiment.h"

namespace hitlgate::signals::internal {

constexpr int kLearnedLanguages = 5;
// "de", "fr", "es", "it", "pt" -> 0..4; anything else (also "de-AT" -> 0) -1.
int LearnedLanguageIndex(std::string_view code);
std::string_view LearnedLanguageCode(int index);
// The data set's folder name for the language ("german").
std::string_view LearnedLanguageFolder(int index);

struct LearnedWeight {
  std::string_view feature;
  float weight;
};
// Sorted by feature (byte order): the generated file reads as a list.
struct LearnedModel {
  const LearnedWeight* weights;
  std::size_t count;
  float exclamation;  // per "!" (up to four), in the direction of the sum
};
// Generated (learned_sentiment_weights.cc).
const LearnedModel& LearnedSentimentModel(int language);

// Calls f(feature, value) for each feature of `text` (negators and boosters
// are none: they only change the words after them): each word as typed
// (lower-cased) and, for words longer than kStemBytes, its first kStemBytes
// bytes followed by "~" ("ekelhafte" -> "ekelh~"), with the multiplier of
// negation and intensity as value. Words longer than 48 bytes, user mentions
// (@user) and links are skipped; emoji are words of their own.
constexpr std::size_t kStemBytes = 5;
void ForEachSentimentFeature(std::string_view text, int language,
                             void (*f)(void* ctx, std::string_view feature, double value), void* ctx);
// Number of "!" in the text, at most four.
int CountExclamations(std::string_view text);

// The feature that carries the English lexicon's compound score (emoji,
// English words in a German message); no word can be spelt like it.
constexpr std::string_view kEnglishFeature = "\x01english";

// The feature that carries the hand-written contact-center lexicon
// (european_sentiment_lexicon.cc): the sum of its words' valences, each with
// its word's negation and intensity multiplier. Its weight is learned like
// any other, so the lexicon's scale is fitted, not guessed.
constexpr std::string_view kLexiconFeature = "\002lexicon";
// The lexicon's valence (VADER's scale) of a lower-cased word in `language`
// (0..4), 0 when it lists neither the word nor a prefix of it.
double ContactCenterValence(std::string_view word, int language);
// The shortest prefix ("term*") the lexicon lists, in bytes (for a test:
// lookups assume at least four).
std::size_t ShortestContactCenterPrefix(int language);

// The learned score of `text` in `language` (0..4), given the English
// scorer's compound for it, shaped like the English scorer's: compound =
// tanh(logit / 2) without the bias, so a text with no known word scores 0.
SentimentScore ScoreLearned(std::string_view text, int language, double english_compound);

}  // namespace hitlgate::signals::internal
