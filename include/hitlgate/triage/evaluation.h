// Measuring a triage classifier: accuracy, macro-F1, calibration (ECE of the
// top label's probability) and the selective-accuracy/coverage curve: if only
// messages at or above a confidence are routed automatically, what share is
// routed and how accurate are they. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "hitlgate/triage/classifier.h"

namespace hitlgate::triage {

struct EvaluatedCase {
  std::string gold;
  Prediction top;  // the classifier's most likely label
};

struct CoveragePoint {
  double threshold = 0;   // model probability at or above which messages are routed
  double calibrated = 0;  // the calibrated probability at that threshold
  double coverage = 0;   // share routed
  double accuracy = 0;   // accuracy among them
};

struct EvaluationReport {
  int n = 0;
  double accuracy = 0;
  double macro_f1 = 0;   // over the gold labels
  double ece_raw = 0;    // of the fastText probability (10 bins)
  double ece_calibrated = 0;
  std::vector<CoveragePoint> curve;  // one point per distinct probability, most probable first
};

EvaluationReport Evaluate(const std::vector<EvaluatedCase>& cases);

// The largest share of messages a single confidence threshold routes with
// at least `accuracy` among them (0 when none), and that threshold.
CoveragePoint CoverageAtAccuracy(const EvaluationReport& report, double accuracy);

}  // namespace hitlgate::triage
