// Threshold advisor: per workflow and intent, the lowest confidence threshold
// at which proposals could go out without review while the error rate among
// them stays under a target *with confidence*: the one-sided upper
// Clopper-Pearson (exact binomial) bound of the error rate, at the given
// confidence level, must be at most the target. Clopper-Pearson rather than
// Wilson because it never undercovers, which matters at the small counts
// where a threshold is first trusted (0 errors in 50 cases bound the rate at
// 5.8%, not 0). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hitlgate::learning {

// One-sided upper bound of a binomial proportion (errors of n) at
// `level` (e.g. 0.95): Clopper-Pearson. 1 when n == 0.
double ClopperPearsonUpper(int errors, int n, double level);
// One-sided Wilson score bounds, z for the one-sided level (1.645 for 95%).
double WilsonLower(int successes, int n, double z);
double WilsonUpper(int successes, int n, double z);

struct ScoredCase {
  std::string workflow;
  std::string intent;
  double score = 0;  // the confidence the threshold applies to
  bool error = false;  // the human did not agree
};

struct AdvisorOptions {
  double max_error = 0.02;   // target error rate of unreviewed proposals
  double level = 0.95;       // confidence level of the upper bound
};

struct ThresholdAdvice {
  std::string workflow;
  std::string intent;
  int n = 0;                           // judged cases
  int observed_errors = 0;             // among all n
  std::optional<double> threshold;     // none when no threshold meets the target
  int automated = 0;                   // cases at or above the threshold
  int automated_errors = 0;
  double error_upper = 1;              // the bound at the threshold
  double automation_rate() const { return n ? static_cast<double>(automated) / n : 0; }
  double escalation_rate() const { return 1 - automation_rate(); }
};

// One advice per (workflow, intent), sorted by workflow then intent.
std::vector<ThresholdAdvice> AdviseThresholds(const std::vector<ScoredCase>& cases,
                                              const AdvisorOptions& options);

}  // namespace hitlgate::learning
