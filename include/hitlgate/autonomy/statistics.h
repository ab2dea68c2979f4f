// Statistics behind earned autonomy: the Wilson score bound of an agreement
// rate (how sure we are that the AI agrees with people often enough) and a
// Bernoulli CUSUM on disagreements (how quickly we notice that it stopped).
// Pure functions and small value types; thread-compatible.
#pragma once

namespace hitlgate::autonomy {

// One-sided Wilson score bounds of a binomial proportion (successes out of
// n) at normal quantile `z` (1.645: one-sided 95%). Wilson rather than the
// Wald interval because it stays inside [0, 1] and keeps near-nominal
// coverage at rates close to 1, where autonomy decisions are made; it is
// less conservative than Clopper-Pearson, which suits a decision that a
// person signs off and a CUSUM keeps watching. n == 0 gives 0 (lower) and
// 1 (upper): no evidence proves nothing.
double WilsonLowerBound(int successes, int n, double z);
double WilsonUpperBound(int successes, int n, double z);

// Page's CUSUM for a Bernoulli stream of disagreements: the log-likelihood
// ratio of "the disagreement rate is p1" against "it is p0" (p0 < p1),
// accumulated and floored at 0; it alarms when it exceeds `threshold`.
// Each disagreement adds log(p1/p0), each agreement adds
// log((1-p1)/(1-p0)) < 0. With p0 = 3%, p1 = 9% and threshold 4, four
// disagreements in a row alarm (each adds 1.10, each agreement takes 0.064
// off), while a stream at p0 takes hundreds of cases on average to alarm
// falsely.
class BernoulliCusum {
 public:
  BernoulliCusum(double p0, double p1, double threshold);
  // Adds one case; true when the statistic exceeds the threshold (it then
  // stays above until Reset).
  bool Add(bool disagreement);
  void Reset() { value_ = 0; }
  double value() const { return value_; }
  double threshold() const { return threshold_; }

 private:
  double up_;    // log(p1 / p0)
  double down_;  // log((1 - p1) / (1 - p0))
  double threshold_;
  double value_ = 0;
};

}  // namespace hitlgate::autonomy
