// Confidence thresholds with a bounded error rate.
#include "hitlgate/learning/threshold_advisor.h"

#include <algorithm>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <map>

namespace hitlgate::learning {

double ClopperPearsonUpper(int errors, int n, double level) {
  if (n <= 0 || errors >= n) return 1.0;
  // Upper limit: the `level` quantile of Beta(errors + 1, n - errors).
  return boost::math::ibeta_inv(static_cast<double>(errors + 1), static_cast<double>(n - errors), level);
}

double WilsonLower(int successes, int n, double z) {
  if (n <= 0) return 0.0;
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double centre = p + z2 / (2.0 * n);
  const double spread = z * std::sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
  return std::max(0.0, (centre - spread) / (1 + z2 / n));
}

double WilsonUpper(int successes, int n, double z) {
  if (n <= 0) return 1.0;
  return 1.0 - WilsonLower(n - successes, n, z);
}

std::vector<ThresholdAdvice> AdviseThresholds(const std::vector<ScoredCase>& cases,
                                              const AdvisorOptions& options) {
  std::map<std::pair<std::string, std::string>, std::vector<const ScoredCase*>> groups;
  for (const ScoredCase& c : cases) groups[{c.workflow, c.intent}].push_back(&c);
  std::vector<ThresholdAdvice> out;
  for (auto& [key, group] : groups) {
    ThresholdAdvice a;
    a.workflow = key.first;
    a.intent = key.second;
    a.n = static_cast<int>(group.size());
    // Highest score first: a threshold t automates a prefix of this order.
    std::sort(group.begin(), group.end(),
              [](const ScoredCase* x, const ScoredCase* y) { return x->score > y->score; });
    int errors = 0;
    for (size_t i = 0; i < group.size(); ++i) {
      errors += group[i]->error;
      // Only between distinct scores can a threshold separate cases.
      if (i + 1 < group.size() && group[i + 1]->score == group[i]->score) continue;
      const int automated = static_cast<int>(i + 1);
      const double upper = ClopperPearsonUpper(errors, automated, options.level);
      if (upper <= options.max_error) {
        a.threshold = group[i]->score;
        a.automated = automated;
        a.automated_errors = errors;
        a.error_upper = upper;
      }
    }
    for (const ScoredCase* c : group) a.observed_errors += c->error;
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace hitlgate::learning
