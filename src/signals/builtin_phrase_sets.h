// The built-in phrase categories that live in files of their own.
// Internal to src/signals.
#pragma once

#include "hitlgate/signals/phrase_matcher.h"

namespace hitlgate::signals::internal {

PhraseCategory HumanRequestPhrases();

// German, French, Spanish, Italian and Portuguese phrases and patterns of
// the three negatable categories, appended to the English ones.
void AddEuropeanPhrases(PhraseCategory* human, PhraseCategory* legal, PhraseCategory* frustration);

// The same five languages' phrases of the sensitive topics (not negatable).
void AddEuropeanTopics(PhraseCategory* medical, PhraseCategory* financial, PhraseCategory* legal);

}  // namespace hitlgate::signals::internal
