// Loads the learning loop's artefacts into an engine: the calibration map
// from `hitlgate calibrate --out` and the triage model from `hitlgate train
// --out`. Used by `serve` and `decide`, so offline decisions match live ones.
#pragma once

#include <memory>
#include <string>

#include "hitlgate/common/error.h"
#include "hitlgate/engine/engine.h"

namespace hitlgate::server {

struct LearningModelOptions {
  // A calibration map: policies read calibrated_confidence.
  std::string calibration_path;
  // A triage model: intent and out_of_scope for customer messages without an intent.
  std::string triage_model;
  std::string triage_oos_label = "oos";
  double triage_oos_threshold = 0.2;
};

struct LearningModels {
  std::shared_ptr<const engine::ConfidenceCalibrator> calibrator;  // null: none asked for
  std::shared_ptr<const engine::IntentClassifier> classifier;      // null: none asked for
};

// Loads what the options name. InvalidArgument (with the file named) when a
// file cannot be read or parsed: the caller refuses to start rather than
// decide without the model the operator asked for.
[[nodiscard]] Result<LearningModels> LoadLearningModels(const LearningModelOptions& options);

// LoadLearningModels, then sets what it loaded on `engine`.
[[nodiscard]] Result<void> AttachLearningModels(const LearningModelOptions& options,
                                                engine::DecisionEngine& engine);

}  // namespace hitlgate::server
