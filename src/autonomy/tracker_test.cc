#include "hitlgate/autonomy/tracker.h"

#include <gtest/gtest.h>

#include "hitlgate/autonomy/levels.h"

namespace hitlgate::autonomy {
namespace {

const AutonomyKey kRefund{"shop", "action:refund"};

Judgement Agreed(bool audit = false) { return {true, audit, false}; }
Judgement Disagreed(bool audit = false, bool severe = false) { return {false, audit, severe}; }

// Feeds `n` agreements; returns the 1-based case that proposed a change, or 0.
int FeedAgreements(AutonomyTracker& t, int n, std::optional<LevelChange>* change) {
  for (int i = 1; i <= n; ++i) {
    auto c = t.Observe(kRefund, Agreed(t.LevelOf(kRefund) != Oversight::kHitl));
    if (c) {
      *change = c;
      return i;
    }
  }
  return 0;
}

TEST(KeyForTest, ActionWinsOverIntent) {
  EXPECT_EQ(KeyFor("shop", "refund_request", "refund")->subject, "action:refund");
  EXPECT_EQ(KeyFor("shop", "order_status", "")->subject, "intent:order_status");
  EXPECT_FALSE(KeyFor("shop", "", "").has_value());
}

TEST(AutonomyTrackerTest, ThirtyAgreementsProposeHotlAndWaitForSignOff) {
  AutonomyTracker t;
  std::optional<LevelChange> change;
  // Wilson lower bound of 30/30 at z = 1.645 is 0.917 >= 0.90; 29 cases are under min_cases.
  EXPECT_EQ(FeedAgreements(t, 100, &change), 30);
  ASSERT_TRUE(change);
  EXPECT_TRUE(change->promotion);
  EXPECT_EQ(change->to, Oversight::kHotl);
  EXPECT_EQ(change->evidence.cases, 30);
  // Proposed, not applied.
  EXPECT_EQ(t.LevelOf(kRefund), Oversight::kHitl);
  EXPECT_EQ(t.PendingOf(kRefund), Oversight::kHotl);
  // No second proposal while one is pending.
  EXPECT_FALSE(t.Observe(kRefund, Agreed()).has_value());
  EXPECT_TRUE(t.Approve(kRefund));
  EXPECT_EQ(t.LevelOf(kRefund), Oversight::kHotl);
  EXPECT_FALSE(t.PendingOf(kRefund).has_value());
}

TEST(AutonomyTrackerTest, HootlNeedsEightyEightCleanCasesAndThirtyAtHotl) {
  AutonomyTracker t;
  std::optional<LevelChange> change;
  ASSERT_EQ(FeedAgreements(t, 30, &change), 30);
  t.Approve(kRefund);
  // 88/88 is the first all-agreed count with a lower bound >= 0.97
  // (88 / (88 + 1.645^2) = 0.9702); the window kept the 30 cases so far.
  EXPECT_EQ(FeedAgreements(t, 200, &change), 88 - 30);
  EXPECT_EQ(change->to, Oversight::kHootl);
  t.Approve(kRefund);
  EXPECT_EQ(t.LevelOf(kRefund), Oversight::kHootl);
}

TEST(AutonomyTrackerTest, UnreliableKeyIsNeverPromoted) {
  AutonomyTracker t;
  // 80% agreement (every fifth case disagrees): the bound never reaches 90%.
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(t.Observe(kRefund, i % 5 == 4 ? Disagreed() : Agreed()).has_value()) << i;
  }
  EXPECT_EQ(t.LevelOf(kRefund), Oversight::kHitl);
}

TEST(AutonomyTrackerTest, RejectedPromotionNeedsMinCasesAgain) {
  AutonomyTracker t;
  std::optional<LevelChange> change;
  ASSERT_EQ(FeedAgreements(t, 30, &change), 30);
  EXPECT_TRUE(t.Reject(kRefund));
  EXPECT_FALSE(t.Approve(kRefund));  // nothing pending any more
  EXPECT_EQ(FeedAgreements(t, 100, &change), 30);
}

TEST(AutonomyTrackerTest, SignOffAfterTheEvidenceDegradedLapses) {
  AutonomyTracker t;
  std::optional<LevelChange> change;
  ASSERT_EQ(FeedAgreements(t, 30, &change), 30);
  // While the promotion waits, four disagreements: 30/34 bounds under 90%.
  for (int i = 0; i < 4; ++i) t.Observe(kRefund, Disagreed());
  EXPECT_FALSE(t.Approve(kRefund));
  EXPECT_EQ(t.LevelOf(kRefund), Oversight::kHitl);
  EXPECT_FALSE(t.PendingOf(kRefund).has_value());
}

TEST(AutonomyTrackerTest, DriftAtHootlDemotesToHitlAtOnce) {
  AutonomyTracker t;
  std::optional<LevelChange> change;
  FeedAgreements(t, 30, &change);
  t.Approve(kRefund);
  FeedAgreements(t, 200, &change);
  t.Approve(kRefund);
  ASSERT_EQ(t.LevelOf(kRefund), Oversight::kHootl);
  // p0 = 3%, p1 = 9%: the fourth audit flag in a row alarms.
  EXPECT_FALSE(t.Observe(kRefund, Disagreed(true)).has_value());
  EXPECT_FALSE(t.Observe(kRefund, Disagreed(true)).has_value());
  EXPECT_FALSE(t.Observe(kRefund, Disagreed(true)).has_value());
  auto demoted = t.Observe(kRefund, Disagreed(true));
  ASSERT_TRUE(demoted);
  EXPECT_FALSE(demoted->promotion);
  EXPECT_EQ(demoted->from, Oversight::kHootl);
  EXPECT_EQ(demoted->to, Oversight::kHitl);
  EXPECT_EQ(t.LevelOf(kRefund), Oversight::kHitl);
  // Fresh evidence is needed: the window was cleared.
  EXPECT_EQ(t.Snapshot().front().evidence.cases, 0);
}

TEST(AutonomyTrackerTest, SevereAuditFlagDemotesAtOnce) {
  AutonomyTracker t;
  std::optional<LevelChange> change;
  FeedAgreements(t, 30, &change);
  t.Approve(kRefund);
  auto demoted = t.Observe(kRefund, Disagreed(/*audit=*/true, /*severe=*/true));
  ASSERT_TRUE(demoted);
  EXPECT_EQ(demoted->to, Oversight::kHitl);
  EXPECT_TRUE(IsSevereCategory("wrong_amount"));
  EXPECT_FALSE(IsSevereCategory("tone"));
}

TEST(AutonomyTrackerTest, UpperBoundBelowTargetDemotesOneLevel) {
  AutonomyConfig config;
  config.cusum_threshold = 1e9;  // isolate the window rule
  AutonomyTracker t(config);
  std::optional<LevelChange> change;
  FeedAgreements(t, 30, &change);
  t.Approve(kRefund);
  FeedAgreements(t, 200, &change);
  t.Approve(kRefund);
  // Half the cases disagree: the window (100) soon bounds agreement under 97%.
  std::optional<LevelChange> demoted;
  int i = 0;
  for (; i < 200 && !demoted; ++i) demoted = t.Observe(kRefund, i % 2 ? Disagreed(true) : Agreed(true));
  ASSERT_TRUE(demoted);
  EXPECT_EQ(demoted->to, Oversight::kHotl);
  EXPECT_LT(demoted->evidence.upper, 0.97);
  EXPECT_GE(demoted->evidence.upper, 0.90);  // the earliest case it was sure
}

TEST(AutonomyTrackerTest, AuditRateIsTiedToTheLevel) {
  AutonomyConfig c;
  EXPECT_EQ(c.AuditRate(Oversight::kHitl), 0.0);
  EXPECT_GT(c.AuditRate(Oversight::kHotl), 0.0);
  EXPECT_GT(c.AuditRate(Oversight::kHootl), 0.0);
}

TEST(LevelTableTest, OverridesOnlyPromotedKeysAndOnlyProposals) {
  AutonomyTracker t;
  std::optional<LevelChange> change;
  FeedAgreements(t, 30, &change);
  t.Approve(kRefund);
  t.Observe({"shop", "intent:complaint"}, Disagreed());
  LevelTable table = LevelTable::FromTracker(t);
  engine::Event e;
  e.workflow = "shop";
  e.type = engine::EventType::kAiProposal;
  e.intent = "refund_request";
  e.action = engine::Action{.name = "refund"};
  EXPECT_EQ(table.LevelFor(e), Oversight::kHotl);
  e.action.reset();
  e.intent = "complaint";
  EXPECT_FALSE(table.LevelFor(e).has_value());  // at HITL: the policy's baseline
  e.type = engine::EventType::kCustomerMessage;
  e.action = engine::Action{.name = "refund"};
  EXPECT_FALSE(table.LevelFor(e).has_value());
}

}  // namespace
}  // namespace hitlgate::autonomy
