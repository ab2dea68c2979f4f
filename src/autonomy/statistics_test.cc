#include "hitlgate/autonomy/statistics.h"

#include <gtest/gtest.h>

namespace hitlgate::autonomy {
namespace {

TEST(WilsonTest, MatchesPublishedInterval) {
  // 95 of 100 at z = 1.96: the textbook Wilson interval [0.8882, 0.9785].
  EXPECT_NEAR(WilsonLowerBound(95, 100, 1.96), 0.88825, 1e-4);
  EXPECT_NEAR(WilsonUpperBound(95, 100, 1.96), 0.97846, 1e-4);
}

TEST(WilsonTest, AllSuccessesLowerBoundIsNOverNPlusZSquared) {
  EXPECT_NEAR(WilsonLowerBound(10, 10, 1.645), 10 / (10 + 1.645 * 1.645), 1e-9);
  EXPECT_DOUBLE_EQ(WilsonUpperBound(10, 10, 1.645), 1.0);
}

TEST(WilsonTest, NoEvidenceProvesNothing) {
  EXPECT_EQ(WilsonLowerBound(0, 0, 1.645), 0.0);
  EXPECT_EQ(WilsonUpperBound(0, 0, 1.645), 1.0);
}

TEST(WilsonTest, BoundsTightenWithMoreCases) {
  EXPECT_LT(WilsonLowerBound(9, 10, 1.645), WilsonLowerBound(90, 100, 1.645));
  EXPECT_GT(WilsonUpperBound(9, 10, 1.645), WilsonUpperBound(90, 100, 1.645));
}

TEST(BernoulliCusumTest, FourDisagreementsInARowAlarmAtThreePercent) {
  BernoulliCusum c(0.03, 0.09, 4.0);
  EXPECT_FALSE(c.Add(true));
  EXPECT_FALSE(c.Add(true));
  EXPECT_FALSE(c.Add(true));
  EXPECT_TRUE(c.Add(true));
}

TEST(BernoulliCusumTest, AgreementsPullTheStatisticBackToZero) {
  BernoulliCusum c(0.03, 0.09, 4.0);
  c.Add(true);
  EXPECT_GT(c.value(), 1.0);
  for (int i = 0; i < 20; ++i) c.Add(false);
  EXPECT_EQ(c.value(), 0.0);  // floored, never negative
}

TEST(BernoulliCusumTest, StreamAtTheInControlRateDoesNotAlarm) {
  // One disagreement in 40 (2.5% < p0 = 3%), in a fixed pattern.
  BernoulliCusum c(0.03, 0.09, 4.0);
  for (int i = 0; i < 2000; ++i) EXPECT_FALSE(c.Add(i % 40 == 39)) << "case " << i;
}

}  // namespace
}  // namespace hitlgate::autonomy
