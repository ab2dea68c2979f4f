#include "server/learning_models.h"

#include <fstream>
#include <sstream>

#include "hitlgate/learning/calibration.h"
#include "hitlgate/triage/ensemble.h"
#include "hitlgate/triage/intent_triage.h"

namespace hitlgate::server {

Result<LearningModels> LoadLearningModels(const LearningModelOptions& options) {
  LearningModels out;
  if (!options.calibration_path.empty()) {
    std::ifstream in(options.calibration_path);
    if (!in) return InvalidArgument("calibration map " + options.calibration_path + ": cannot read it");
    std::stringstream text;
    text << in.rdbuf();
    auto map = learning::CalibrationMap::FromJson(text.str());
    if (!map) return InvalidArgument(options.calibration_path + ": " + map.error().message());
    out.calibrator = std::make_shared<learning::CalibrationMap>(std::move(*map));
  }
  if (!options.triage_model.empty()) {
    if (options.triage_oos_threshold < 0 || options.triage_oos_threshold > 1) {
      return InvalidArgument("--triage-oos-threshold: must be in [0, 1]");
    }
    // A bundle directory (the default `train`) or a single fastText file.
    auto model = triage::LoadTextClassifier(options.triage_model);
    if (!model) return InvalidArgument("triage model " + options.triage_model + ": " + model.error().message());
    out.classifier = std::make_shared<triage::TriageIntentClassifier>(
        std::shared_ptr<const triage::TextClassifier>(std::move(*model)),
        triage::TriageOptions{.oos_label = options.triage_oos_label,
                              .oos_threshold = options.triage_oos_threshold});
  }
  return out;
}

Result<void> AttachLearningModels(const LearningModelOptions& options, engine::DecisionEngine& engine) {
  auto models = LoadLearningModels(options);
  HITLGATE_RETURN_IF_ERROR(models);
  if (models->calibrator) engine.SetCalibrator(models->calibrator);
  if (models->classifier) engine.SetIntentClassifier(models->classifier);
  return {};
}

}  // namespace hitlgate::server
