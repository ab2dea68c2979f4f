// Accuracy, macro-F1, ECE and the coverage curve of a classifier.
#include "hitlgate/triage/evaluation.h"

#include <algorithm>
#include <map>

namespace hitlgate::triage {

EvaluationReport Evaluate(const std::vector<EvaluatedCase>& cases) {
  EvaluationReport r;
  r.n = static_cast<int>(cases.size());
  if (cases.empty()) return r;
  struct Counts {
    int tp = 0, fp = 0, fn = 0;
  };
  std::map<std::string, Counts> labels;
  int correct = 0;
  std::vector<std::pair<double, bool>> raw, calibrated;
  for (const EvaluatedCase& c : cases) {
    const bool ok = c.top.label == c.gold;
    correct += ok;
    if (ok) {
      ++labels[c.gold].tp;
    } else {
      ++labels[c.gold].fn;
      ++labels[c.top.label].fp;
    }
    raw.push_back({c.top.probability, ok});
    calibrated.push_back({c.top.calibrated, ok});
  }
  r.accuracy = static_cast<double>(correct) / r.n;
  double f1_sum = 0;
  int gold_labels = 0;
  for (const auto& [label, k] : labels) {
    if (k.tp + k.fn == 0) continue;  // predicted but never the truth: not a class of the data
    ++gold_labels;
    const double precision = k.tp + k.fp ? static_cast<double>(k.tp) / (k.tp + k.fp) : 0;
    const double recall = static_cast<double>(k.tp) / (k.tp + k.fn);
    f1_sum += precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
  }
  r.macro_f1 = gold_labels ? f1_sum / gold_labels : 0;
  r.ece_raw = learning::ComputeReliability(raw).ece;
  r.ece_calibrated = learning::ComputeReliability(calibrated).ece;

  // Most probable first; a threshold can only fall between distinct
  // probabilities. (The calibrated probability is monotone in it, so the
  // same cut is a threshold on either.)
  std::vector<const EvaluatedCase*> order;
  for (const auto& c : cases) order.push_back(&c);
  std::sort(order.begin(), order.end(), [](const EvaluatedCase* a, const EvaluatedCase* b) {
    return a->top.probability > b->top.probability;
  });
  int kept_correct = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    kept_correct += order[i]->top.label == order[i]->gold;
    if (i + 1 < order.size() && order[i + 1]->top.probability == order[i]->top.probability) continue;
    r.curve.push_back({order[i]->top.probability, order[i]->top.calibrated,
                       static_cast<double>(i + 1) / r.n, static_cast<double>(kept_correct) / (i + 1)});
  }
  return r;
}

CoveragePoint CoverageAtAccuracy(const EvaluationReport& report, double accuracy) {
  CoveragePoint best{1.0, 1.0, 0.0, 0.0};
  for (const CoveragePoint& p : report.curve) {
    if (p.accuracy >= accuracy && p.coverage > best.coverage) best = p;
  }
  return best;
}

}  // namespace hitlgate::triage
