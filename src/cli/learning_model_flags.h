// The flags that load the learning loop's models into an engine, shared by
// `serve`, `decide` and `replay` so the three read the same files the same way.
#pragma once

#include <CLI/CLI.hpp>

#include "server/learning_models.h"

namespace hitlgate::cli {

inline void AddLearningModelFlags(CLI::App* cmd, server::LearningModelOptions& o) {
  cmd->add_option("--calibration", o.calibration_path,
                  "Calibration map from `hitlgate calibrate --out` (policies read calibrated_confidence)");
  cmd->add_option("--triage-model", o.triage_model,
                  "Model from `hitlgate train` (bundle directory or fastText file): intent and out_of_scope for customer messages "
                  "that come without an intent");
  cmd->add_option("--triage-oos-label", o.triage_oos_label, "The model's out-of-scope label");
  cmd->add_option("--triage-oos-threshold", o.triage_oos_threshold,
                  "Out of scope when the top intent's calibrated probability is below this")
      ->check(CLI::Range(0.0, 1.0));
}

}  // namespace hitlgate::cli
