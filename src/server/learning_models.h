// Loads the learning loop's artefacts into a running engine: the calibration
// map from `hitlgate calibrate --out` and the triage model from `hitlgate
// train --out`. Kept apart from serve.cc so the wiring stays readable.
#pragma once

#include "hitlgate/common/error.h"
#include "hitlgate/engine/engine.h"
#include "server/serve.h"

namespace hitlgate::server {

// Does nothing for the parts the options leave empty. InvalidArgument (with
// the file named) when a file cannot be read or parsed: `serve` refuses to
// start rather than decide without the model the operator asked for.
[[nodiscard]] Result<void> AttachLearningModels(const ServeOptions& options, engine::DecisionEngine& engine);

}  // namespace hitlgate::server
