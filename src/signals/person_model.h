// The "asks for a person" model: logistic regression over hashed word and
// word-class features of the normalized message, trained offline by
// tools/train_person_model.cc on the bitext_intent training split (never
// the validation split) and banking77, with its weights compiled in
// (person_model_weights.cc, generated).
//
// Hand-written rather than fastText (which src/triage uses): the weights are
// a few kilobytes compiled into the binary, so no model file has to be
// deployed with every policy, and scoring reads a fixed array without
// allocating, which fastText's predict() does not.
//
// The model sees word classes (phrase_vocabulary.h) next to the words, so
// what it learns from "talk to an operator" carries over to "chat with a
// representative". Pure functions over constant tables: thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace hitlgate::signals::internal {

inline constexpr int kPersonModelBuckets = 4096;  // power of two
inline constexpr int kPersonModelMaxTokens = 64;  // words beyond are not scored

// Calls add(bucket) once per feature occurrence of `normalized` (the output
// of SpellingNormalizer: lower case, corrected). Shared by the trainer and
// the scorer so both see the same features.
void ForEachPersonFeature(std::string_view normalized, void (*add)(void*, int), void* context);

// The trained parameters (person_model_weights.cc).
struct PersonModelParameters {
  std::span<const std::int8_t> weights;  // kPersonModelBuckets entries
  float scale;                           // weight = weights[i] * scale
  float bias;
  float threshold;  // fires at probability >= threshold
};
const PersonModelParameters& PersonModel();

// Where the normalized text names a person ("agent", "someone") or a bot,
// so the caller can check each mention for negation before asking the model:
// the model is only consulted for messages that name one.
struct PersonMentions {
  static constexpr int kMax = 8;
  int count = 0;  // person words found (up to kMax positions kept)
  std::uint32_t positions[kMax] = {};
  bool bot = false;  // "bot", "robot", "machine"...
};
PersonMentions FindPersonMentions(std::string_view normalized);

// Probability that the message asks for a person, in [0, 1].
float PersonModelProbability(std::string_view normalized);

}  // namespace hitlgate::signals::internal
