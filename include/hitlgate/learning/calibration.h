// Confidence calibration for the learning loop.
//
// An AI agent's self-reported confidence is fitted, per workflow and intent,
// to whether people agreed with it (approved unchanged = agreed; edited,
// rejected or taken over = not). The fit is isotonic regression by
// pool-adjacent-violators (monotone, no shape assumed). Small samples are
// shrunk toward a prior with a Beta prior of `prior_strength` pseudo-cases:
// an intent's curve toward its workflow's curve, a workflow's toward the
// pooled curve, the pooled curve toward the identity (the reported
// confidence itself). Keys with fewer than `min_samples` cases get no curve
// of their own and use their parent's.
//
// CalibrationMap is immutable after Fit/FromJson and thread-safe; it is the
// engine's ConfidenceCalibrator. Its version is the SHA-256 of its curves,
// so a decision can name the exact map it used.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hitlgate/common/error.h"
#include "hitlgate/engine/calibrator.h"

namespace hitlgate::learning {

// One judged proposal.
struct CalibrationSample {
  std::string workflow;
  std::string intent;
  double confidence = 0;  // as reported, in [0, 1]
  bool agreed = false;
};

// A run of pooled confidences with one fitted value.
struct IsotonicBlock {
  double lo = 0;      // smallest confidence in the block
  double hi = 0;      // largest
  double x_mean = 0;  // weighted mean confidence
  double value = 0;   // fitted agreement rate
  double weight = 0;  // cases (pseudo-cases after shrinkage)

  friend bool operator==(const IsotonicBlock&, const IsotonicBlock&) = default;
};

// Pool-adjacent-violators on (x, y, weight 1) points: the non-decreasing
// step function closest to y in squared error. Equal x are pooled first.
std::vector<IsotonicBlock> FitIsotonic(std::vector<std::pair<double, double>> points);
// PAV over blocks (their value and weight), for re-monotonizing.
std::vector<IsotonicBlock> PoolAdjacentViolators(std::vector<IsotonicBlock> blocks);
// The fitted value at x: constant beyond the ends and within a block,
// linear between neighbouring blocks.
double EvaluateBlocks(const std::vector<IsotonicBlock>& blocks, double x);

struct CalibrationOptions {
  int min_samples = 20;         // cases a key needs for a curve of its own
  double prior_strength = 10;   // Beta-prior pseudo-cases toward the parent curve
};

struct CalibrationCurve {
  std::string workflow;  // "*" for the pooled curve
  std::string intent;    // "*" for a workflow's curve
  int n = 0;
  double agree_rate = 0;  // observed, unshrunk
  std::vector<IsotonicBlock> blocks;
};

class CalibrationMap final : public engine::ConfidenceCalibrator {
 public:
  static CalibrationMap Fit(const std::vector<CalibrationSample>& samples,
                            const CalibrationOptions& options = {});
  // InvalidArgument naming what is wrong for a file that is not a map.
  [[nodiscard]] static Result<CalibrationMap> FromJson(std::string_view json);
  std::string ToJson() const;

  // The most specific curve for (workflow, intent), then the workflow's,
  // then the pooled one; the identity when the map is empty.
  double Calibrate(std::string_view workflow, std::string_view intent, double confidence) const;
  std::optional<double> Calibrate(const engine::Event& event) const override;

  // Which curve Calibrate uses: "workflow/intent", "workflow/*", "*/*" or "identity".
  std::string CurveFor(std::string_view workflow, std::string_view intent) const;

  const std::string& version() const { return version_; }  // "sha256:<hex>"
  const std::vector<CalibrationCurve>& curves() const { return curves_; }
  const CalibrationOptions& options() const { return options_; }

 private:
  const CalibrationCurve* Find(std::string_view workflow, std::string_view intent) const;
  void Index();

  CalibrationOptions options_;
  std::vector<CalibrationCurve> curves_;
  std::map<std::pair<std::string, std::string>, size_t, std::less<>> index_;
  std::string version_;
};

// ---- Showing calibration ---------------------------------------------------

struct ReliabilityBin {
  double lo = 0, hi = 0;      // [lo, hi) (the last bin includes 1)
  int n = 0;
  double mean_confidence = 0;  // mean score in the bin
  double agree_rate = 0;       // observed agreement in the bin
};

struct Reliability {
  std::vector<ReliabilityBin> bins;  // equal width
  int n = 0;
  // Expected calibration error: sum over bins of n_b / n * |agree_b - conf_b|.
  double ece = 0;
};

// `scored`: (score, agreed) pairs; `bins` equal-width bins over [0, 1].
Reliability ComputeReliability(const std::vector<std::pair<double, bool>>& scored, int bins = 10);

// Out-of-sample calibrated scores: sample i scored by a map fitted on the
// other folds (fold = i mod `folds`), so its reliability is honest.
std::vector<double> CrossValidatedScores(const std::vector<CalibrationSample>& samples, int folds,
                                         const CalibrationOptions& options = {});

}  // namespace hitlgate::learning
