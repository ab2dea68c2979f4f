// TriageIntentClassifier: the engine's IntentClassifier over a trained
// TextClassifier. A message is out of scope when the model's top label is
// the out-of-scope label (a model trained with clinc150's oos queries, or a
// feedback export where people marked messages as such) or when the
// calibrated probability of its top intent is under `oos_threshold` (a model
// that knows only in-scope intents). Immutable and thread-safe.
#pragma once

#include <memory>
#include <string>

#include "hitlgate/engine/intent_classifier.h"
#include "hitlgate/triage/classifier.h"

namespace hitlgate::triage {

struct TriageOptions {
  std::string oos_label = "oos";
  // On clinc150 (README), p < 0.2 with an oos class flags half of the
  // out-of-scope queries at 65% precision; higher thresholds flag more at
  // lower precision. 0 = only the oos label.
  double oos_threshold = 0.2;
};

class TriageIntentClassifier final : public engine::IntentClassifier {
 public:
  TriageIntentClassifier(std::shared_ptr<const TextClassifier> model, TriageOptions options);
  engine::IntentGuess Classify(std::string_view text) const override;

 private:
  std::shared_ptr<const TextClassifier> model_;
  TriageOptions options_;
};

}  // namespace hitlgate::triage
