// The built-in phrase categories that live in files of their own.
// Internal to src/signals.
#pragma once

#include "hitlgate/signals/phrase_matcher.h"

namespace hitlgate::signals::internal {

PhraseCategory HumanRequestPhrases();

}  // namespace hitlgate::signals::internal
