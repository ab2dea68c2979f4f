#include "hitlgate/learning/calibration.h"

#include <gtest/gtest.h>

#include <cmath>

#include "hitlgate/learning/threshold_advisor.h"

namespace hitlgate::learning {
namespace {

TEST(IsotonicTest, PoolsViolatorsAsComputedByHand) {
  // y = 1,0,1,0,1 at x = .1 .. .5: (1,0) pool to .5; (1,0) pool to .5, which
  // equals the block before it, so the first four pool; the last stays.
  auto blocks = FitIsotonic({{0.1, 1}, {0.2, 0}, {0.3, 1}, {0.4, 0}, {0.5, 1}});
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_DOUBLE_EQ(blocks[0].lo, 0.1);
  EXPECT_DOUBLE_EQ(blocks[0].hi, 0.4);
  EXPECT_DOUBLE_EQ(blocks[0].value, 0.5);
  EXPECT_DOUBLE_EQ(blocks[0].weight, 4);
  EXPECT_DOUBLE_EQ(blocks[0].x_mean, 0.25);
  EXPECT_DOUBLE_EQ(blocks[1].value, 1.0);
}

TEST(IsotonicTest, InterpolatesBetweenBlocksAndIsFlatOutside) {
  // Blocks 0 on [.1,.2], .5 on [.3,.4], 1 on [.5,.6].
  auto blocks = FitIsotonic({{0.6, 1}, {0.1, 0}, {0.3, 1}, {0.2, 0}, {0.4, 0}, {0.5, 1}});
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_DOUBLE_EQ(EvaluateBlocks(blocks, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(EvaluateBlocks(blocks, 0.35), 0.5);
  EXPECT_NEAR(EvaluateBlocks(blocks, 0.45), 0.75, 1e-9);
  EXPECT_NEAR(EvaluateBlocks(blocks, 0.25), 0.25, 1e-9);
  EXPECT_DOUBLE_EQ(EvaluateBlocks(blocks, 0.99), 1.0);
  EXPECT_DOUBLE_EQ(EvaluateBlocks({}, 0.42), 0.42);  // no data: identity
}

TEST(IsotonicTest, EqualConfidencesArePooledFirst) {
  auto blocks = FitIsotonic({{0.5, 1}, {0.5, 0}, {0.5, 0}, {0.9, 1}});
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_NEAR(blocks[0].value, 1.0 / 3, 1e-9);
  EXPECT_DOUBLE_EQ(blocks[0].weight, 3);
}

std::vector<CalibrationSample> Repeat(std::string wf, std::string intent, double c, int agreed, int n) {
  std::vector<CalibrationSample> out;
  for (int i = 0; i < n; ++i) out.push_back({wf, intent, c, i < agreed});
  return out;
}

TEST(CalibrationMapTest, SmallPooledSampleShrinksTowardIdentity) {
  // 10 cases at 0.9, all agreed: (10 * 1 + 10 * 0.9) / (10 + 10) = 0.95.
  CalibrationMap map = CalibrationMap::Fit(Repeat("shop", "refund", 0.9, 10, 10),
                                           {.min_samples = 20, .prior_strength = 10});
  EXPECT_NEAR(map.Calibrate("shop", "refund", 0.9), 0.95, 1e-9);
  EXPECT_EQ(map.CurveFor("shop", "refund"), "*/*");  // too few for curves of their own
}

TEST(CalibrationMapTest, IntentCurveShrinksTowardItsWorkflowCurve) {
  std::vector<CalibrationSample> s = Repeat("shop", "refund", 0.9, 12, 40);   // AI overconfident
  auto faq = Repeat("shop", "faq", 0.9, 40, 40);                             // AI right
  s.insert(s.end(), faq.begin(), faq.end());
  CalibrationMap map = CalibrationMap::Fit(s, {.min_samples = 20, .prior_strength = 10});
  EXPECT_EQ(map.CurveFor("shop", "refund"), "shop/refund");
  EXPECT_EQ(map.CurveFor("shop", "unseen"), "shop/*");
  EXPECT_EQ(map.CurveFor("other", "refund"), "*/*");
  // Pooled: 52/80 = .65 -> (52 + 10*.9)/90; workflow: (52 + 10*pooled)/90;
  // refund: (12 + 10*workflow)/50.
  const double pooled = (52 + 10 * 0.9) / 90;
  const double workflow = (52 + 10 * pooled) / 90;
  EXPECT_NEAR(map.Calibrate("shop", "refund", 0.9), (12 + 10 * workflow) / 50, 1e-9);
  EXPECT_NEAR(map.Calibrate("shop", "faq", 0.9), (40 + 10 * workflow) / 50, 1e-9);
  engine::Event e;
  e.workflow = "shop";
  e.intent = "refund";
  EXPECT_FALSE(map.Calibrate(e).has_value());
  e.confidence = 0.9;
  EXPECT_NEAR(*map.Calibrate(e), map.Calibrate("shop", "refund", 0.9), 1e-9);
}

TEST(CalibrationMapTest, JsonRoundTripKeepsVersionAndValues) {
  std::vector<CalibrationSample> s;
  for (int i = 0; i < 100; ++i) s.push_back({"shop", i % 2 ? "a" : "b", i / 100.0, i % 3 != 0 && i > 30});
  CalibrationMap map = CalibrationMap::Fit(s);
  auto back = CalibrationMap::FromJson(map.ToJson());
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->version(), map.version());
  EXPECT_TRUE(map.version().starts_with("sha256:"));
  for (double x : {0.0, 0.33, 0.5, 0.77, 1.0}) {
    EXPECT_DOUBLE_EQ(back->Calibrate("shop", "a", x), map.Calibrate("shop", "a", x));
  }
}

TEST(CalibrationMapTest, ReadBackTwiceGivesTheSameVersion) {
  // Awkward doubles (thirds, sevenths) must survive text and back.
  std::vector<CalibrationSample> s;
  for (int i = 0; i < 700; ++i) s.push_back({"w" + std::to_string(i % 3), "i" + std::to_string(i % 7), (i % 97) / 97.0, i % 3 != 0});
  CalibrationMap map = CalibrationMap::Fit(s, {.min_samples = 20, .prior_strength = 10.0 / 3});
  auto once = CalibrationMap::FromJson(map.ToJson());
  ASSERT_TRUE(once.has_value()) << once.error().ToString();
  auto twice = CalibrationMap::FromJson(once->ToJson());
  ASSERT_TRUE(twice.has_value()) << twice.error().ToString();
  EXPECT_EQ(twice->version(), map.version());
}

TEST(CalibrationMapTest, EditedOrMalformedMapIsRefused) {
  CalibrationMap map = CalibrationMap::Fit(Repeat("shop", "refund", 0.9, 10, 30));
  std::string text = map.ToJson();
  const size_t at = text.find("\"agree_rate\":");
  std::string edited = text;
  edited.replace(at, 14, "\"agree_rate\":0");
  auto refused = CalibrationMap::FromJson(edited);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message().find("does not match"), std::string::npos);
  EXPECT_FALSE(CalibrationMap::FromJson("[]").has_value());
  EXPECT_NE(CalibrationMap::FromJson(R"({"format":"v0"})").error().message().find("format"), std::string::npos);
}

TEST(ReliabilityTest, EceIsTheWeightedGapPerBin) {
  // Bin [.9, 1]: 4 cases at .95, 2 agreed -> gap .45, weight 4/5.
  // Bin [.1, .2): 1 case at .15, agreed -> gap .85, weight 1/5.
  Reliability r = ComputeReliability({{0.95, true}, {0.95, true}, {0.95, false}, {0.95, false}, {0.15, true}}, 10);
  EXPECT_EQ(r.n, 5);
  EXPECT_EQ(r.bins[9].n, 4);
  EXPECT_DOUBLE_EQ(r.bins[9].agree_rate, 0.5);
  EXPECT_EQ(r.bins[1].n, 1);
  EXPECT_NEAR(r.ece, 0.8 * 0.45 + 0.2 * 0.85, 1e-9);
  EXPECT_EQ(ComputeReliability({{1.0, true}}, 10).bins[9].n, 1);  // 1.0 is in the last bin
}

TEST(ReliabilityTest, CrossValidatedScoresComeFromOtherFolds) {
  // Agreement depends on the intent only; a map fitted on the other folds
  // predicts each held-out case close to its intent's rate.
  std::vector<CalibrationSample> s;
  for (int i = 0; i < 200; ++i) s.push_back({"shop", i % 2 ? "good" : "bad", 0.8, i % 2 ? (i % 10 != 1) : (i % 10 == 0)});
  auto scores = CrossValidatedScores(s, 5, {.min_samples = 20, .prior_strength = 1});
  ASSERT_EQ(scores.size(), s.size());
  EXPECT_GT(scores[1], 0.8);
  EXPECT_LT(scores[0], 0.3);
}

TEST(BoundsTest, KnownValues) {
  EXPECT_NEAR(ClopperPearsonUpper(0, 50, 0.95), 1 - std::pow(0.05, 1.0 / 50), 1e-9);  // 0.0582
  EXPECT_DOUBLE_EQ(ClopperPearsonUpper(3, 3, 0.95), 1.0);
  EXPECT_DOUBLE_EQ(ClopperPearsonUpper(0, 0, 0.95), 1.0);
  EXPECT_NEAR(WilsonLower(8, 10, 1.96), 0.490157, 1e-6);
  EXPECT_NEAR(WilsonUpper(2, 10, 1.96), 1 - 0.490157, 1e-6);
  EXPECT_LT(ClopperPearsonUpper(1, 100, 0.95), ClopperPearsonUpper(2, 100, 0.95));
}

TEST(ThresholdAdvisorTest, PicksTheLowestThresholdWhoseBoundMeetsTheTarget) {
  std::vector<ScoredCase> cases;
  // 300 cases at .99 with no errors (bound 1 - .05^(1/300) = 0.99%), then
  // 100 at .8 with 10 errors: automating them too breaks a 2% target.
  for (int i = 0; i < 300; ++i) cases.push_back({"shop", "faq", 0.99, false});
  for (int i = 0; i < 100; ++i) cases.push_back({"shop", "faq", 0.8, i < 10});
  // An intent the AI gets wrong often gets no threshold.
  for (int i = 0; i < 50; ++i) cases.push_back({"shop", "refund", 0.9, i % 3 == 0});
  auto advice = AdviseThresholds(cases, {.max_error = 0.02, .level = 0.95});
  ASSERT_EQ(advice.size(), 2u);
  const ThresholdAdvice& faq = advice[0];
  EXPECT_EQ(faq.intent, "faq");
  ASSERT_TRUE(faq.threshold.has_value());
  EXPECT_DOUBLE_EQ(*faq.threshold, 0.99);
  EXPECT_EQ(faq.automated, 300);
  EXPECT_NEAR(faq.automation_rate(), 0.75, 1e-9);
  EXPECT_NEAR(faq.error_upper, 1 - std::pow(0.05, 1.0 / 300), 1e-9);
  EXPECT_EQ(faq.observed_errors, 10);
  const ThresholdAdvice& refund = advice[1];
  EXPECT_FALSE(refund.threshold.has_value());
  EXPECT_EQ(refund.automated, 0);
  EXPECT_DOUBLE_EQ(refund.escalation_rate(), 1.0);
}

}  // namespace
}  // namespace hitlgate::learning
