#include "hitlgate/triage/intent_triage.h"

namespace hitlgate::triage {

TriageIntentClassifier::TriageIntentClassifier(std::shared_ptr<const TextClassifier> model,
                                               TriageOptions options)
    : model_(std::move(model)), options_(std::move(options)) {}

engine::IntentGuess TriageIntentClassifier::Classify(std::string_view text) const {
  engine::IntentGuess guess;
  // Two labels: when the first is the out-of-scope label, the second is the
  // closest known intent, which the reviewer sees.
  const std::vector<Prediction> top = model_->Predict(text, 2);
  if (top.empty()) {
    guess.out_of_scope = true;
    return guess;
  }
  if (!options_.oos_label.empty() && top[0].label == options_.oos_label) {
    guess.out_of_scope = true;
    if (top.size() > 1) {
      guess.intent = top[1].label;
      guess.confidence = top[1].probability;  // calibration covers the top label only
    }
    return guess;
  }
  guess.intent = top[0].label;
  guess.confidence = top[0].calibrated;
  guess.out_of_scope = guess.confidence < options_.oos_threshold;
  return guess;
}

}  // namespace hitlgate::triage
