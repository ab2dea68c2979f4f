#include "hitlgate/autonomy/simulation.h"

#include <filesystem>

#include <gtest/gtest.h>

namespace hitlgate::autonomy {
namespace {

std::vector<GoldAction> Synthetic() {
  std::vector<GoldAction> gold;
  for (int i = 0; i < 10; ++i) {
    gold.push_back({"retail", "cancel_pending_order", "{}", "test"});         // the AI errs 0.5%
    gold.push_back({"retail", "exchange_delivered_order_items", "{}", "test"});  // 15%
  }
  return gold;
}

const KeyTimeline& Find(const SimulationResult& r, std::string_view subject) {
  for (const KeyTimeline& t : r.keys) {
    if (t.key.subject == subject) return t;
  }
  static const KeyTimeline kNone;
  ADD_FAILURE() << "no timeline for " << subject;
  return kNone;
}

SimulationOptions NoDrift() {
  SimulationOptions o;
  o.passes = 40;  // 400 proposals of each action
  o.drift_action.clear();
  return o;
}

TEST(SimulationTest, ReliableActionRisesToHootlUnreliableStaysHitl) {
  SimulationResult r = Simulate(Synthetic(), NoDrift());
  EXPECT_EQ(r.steps, 800);
  const KeyTimeline& reliable = Find(r, "action:cancel_pending_order");
  const KeyTimeline& unreliable = Find(r, "action:exchange_delivered_order_items");
  EXPECT_EQ(LevelAt(reliable, r.steps - 1), Oversight::kHootl);
  EXPECT_EQ(LevelAt(unreliable, r.steps - 1), Oversight::kHitl);
  EXPECT_EQ(unreliable.reviewed, unreliable.proposals);  // every one judged by a person
  EXPECT_LT(reliable.reviewed, reliable.proposals / 2);  // most go out; audits continue
  EXPECT_GT(reliable.reviewed, 30);
}

TEST(SimulationTest, SameSeedSameLevels) {
  SimulationResult a = Simulate(Synthetic(), NoDrift());
  SimulationResult b = Simulate(Synthetic(), NoDrift());
  ASSERT_EQ(a.keys.size(), b.keys.size());
  for (std::size_t i = 0; i < a.keys.size(); ++i) EXPECT_EQ(a.keys[i].levels, b.keys[i].levels);
}

TEST(SimulationTest, DriftDemotesAfterItStarts) {
  SimulationOptions o = NoDrift();
  o.drift_action = "cancel_pending_order";
  o.drift_at = 0.7;
  o.drift_error = 0.3;
  SimulationResult r = Simulate(Synthetic(), o);
  const KeyTimeline& drifted = Find(r, "action:cancel_pending_order");
  ASSERT_FALSE(drifted.demotions.empty());
  EXPECT_GE(drifted.demotions.front(), r.drift_step);
  EXPECT_EQ(LevelAt(drifted, r.steps - 1), Oversight::kHitl);
}

TEST(SimulationTest, SvgHasALanePerKeyAndTheLegend) {
  SimulationResult r = Simulate(Synthetic(), NoDrift());
  std::string svg = RenderSimulationSvg(r, NoDrift());
  EXPECT_TRUE(svg.starts_with("<svg"));
  EXPECT_TRUE(svg.ends_with("</svg>\n"));
  EXPECT_NE(svg.find("retail / cancel_pending_order"), std::string::npos);
  EXPECT_NE(svg.find("retail / exchange_delivered_order_items"), std::string::npos);
  EXPECT_NE(svg.find(">hootl<"), std::string::npos);
}

TEST(TauDataTest, MissingFolderIsNotFound) {
  auto gold = LoadTauGoldActions("/nonexistent/data");
  ASSERT_FALSE(gold.has_value());
  EXPECT_EQ(gold.error().code(), ErrorCode::kNotFound);
}

TEST(TauDataTest, ReadsGoldWritesFromBothDataSets) {
  const std::string data = HITLGATE_SHARED_DATA;
  if (!std::filesystem::exists(data + "/tau2_bench") || !std::filesystem::exists(data + "/tau_bench")) {
    GTEST_SKIP() << "tau_bench / tau2_bench not under " << data;
  }
  auto gold = LoadTauGoldActions(data);
  ASSERT_TRUE(gold.has_value()) << gold.error().message();
  int tau = 0, tau2 = 0, airline = 0;
  for (const GoldAction& g : *gold) {
    tau += g.source == "tau_bench" ? 1 : 0;
    tau2 += g.source == "tau2_bench" ? 1 : 0;
    airline += g.workflow == "airline" ? 1 : 0;
    EXPECT_FALSE(g.name.starts_with("get_")) << "reads need no approval";
  }
  // tau2: 148 write actions among the 104 train tasks' gold actions;
  // tau-bench: writes seen as status changes in 88 dialogues.
  EXPECT_EQ(tau2, 148);
  EXPECT_GT(tau, 50);
  EXPECT_GT(airline, 20);
}

}  // namespace
}  // namespace hitlgate::autonomy
