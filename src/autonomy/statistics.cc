#include "hitlgate/autonomy/statistics.h"

#include <algorithm>
#include <cmath>

namespace hitlgate::autonomy {
namespace {

double WilsonBound(int successes, int n, double z, double sign) {
  if (n <= 0) return sign < 0 ? 0.0 : 1.0;
  const double nn = n;
  const double p = std::clamp(successes / nn, 0.0, 1.0);
  const double z2 = z * z;
  const double centre = p + z2 / (2 * nn);
  const double spread = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
  return std::clamp((centre + sign * spread) / (1 + z2 / nn), 0.0, 1.0);
}

}  // namespace

double WilsonLowerBound(int successes, int n, double z) { return WilsonBound(successes, n, z, -1); }
double WilsonUpperBound(int successes, int n, double z) { return WilsonBound(successes, n, z, +1); }

BernoulliCusum::BernoulliCusum(double p0, double p1, double threshold)
    : up_(std::log(p1 / p0)), down_(std::log((1 - p1) / (1 - p0))), threshold_(threshold) {}

bool BernoulliCusum::Add(bool disagreement) {
  value_ = std::max(0.0, value_ + (disagreement ? up_ : down_));
  return value_ > threshold_;
}

}  // namespace hitlgate::autonomy
