// IntentClassifier: names the intent of a customer message when the governed
// AI reported none, with a calibrated probability of being right, and says
// when the message fits no intent it knows (out of scope). The learning loop's
// fastText triage model implements it (hitlgate/triage/engine_adapter.h); the
// engine sees only this interface, so fastText stays inside src/triage.
//
// Implementations are immutable and thread-safe (Decide runs concurrently).
#pragma once

#include <string>
#include <string_view>

namespace hitlgate::engine {

struct IntentGuess {
  // The most likely known intent; empty when the model knows none. When
  // out_of_scope, the closest one (for the reviewer), not used for routing.
  std::string intent;
  double confidence = 0.0;  // calibrated probability that `intent` is right, [0, 1]
  bool out_of_scope = false;
};

class IntentClassifier {
 public:
  virtual ~IntentClassifier() = default;
  virtual IntentGuess Classify(std::string_view text) const = 0;
};

}  // namespace hitlgate::engine
