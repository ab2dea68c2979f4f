// ConfidenceCalibrator: maps the confidence an AI agent reports to how often
// people actually agreed with it at that confidence (the learning loop fits
// one per workflow and intent; see hitlgate/learning/calibration.h). The
// engine asks it for every event that reports a confidence and puts the
// answer in Signals::calibrated_confidence, where policies read it
// (`calibrated_confidence`, `confidence_below: {source: calibrated}`).
//
// Implementations are immutable and thread-safe (Decide runs concurrently).
#pragma once

#include <optional>

#include "hitlgate/engine/event.h"

namespace hitlgate::engine {

class ConfidenceCalibrator {
 public:
  virtual ~ConfidenceCalibrator() = default;
  // nullopt when the event reports no confidence. Result in [0, 1].
  virtual std::optional<double> Calibrate(const Event& event) const = 0;
};

// Returns the reported confidence unchanged: the calibrator of a deployment
// that has not fitted a map yet.
class IdentityCalibrator final : public ConfidenceCalibrator {
 public:
  std::optional<double> Calibrate(const Event& event) const override { return event.confidence; }
};

}  // namespace hitlgate::engine
