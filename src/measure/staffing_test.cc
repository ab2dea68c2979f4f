#include "hitlgate/measure/staffing.h"

#include <gtest/gtest.h>

#include <cmath>

namespace hitlgate::measure {
namespace {

// The textbook example (e.g. "Erlang C formula made simple",
// callcentrehelper.com): 100 calls in 30 minutes, 180 s handling, 80% within
// 20 s. Load 10 Erlangs; 14 agents give 88.8% within 20 s, ASA 7.8 s.
StaffingInput Textbook() {
  StaffingInput in;
  in.arrivals_per_hour = 200;
  in.escalation_rate = 1.0;
  in.handle_seconds = 180;
  in.target_level = 0.8;
  in.target_wait_seconds = 20;
  return in;
}

TEST(ErlangCTest, KnownTableValues) {
  EXPECT_NEAR(ErlangC(11, 10.0), 0.6821, 1e-4);  // Erlang C tables, A = 10
  EXPECT_NEAR(ErlangC(12, 10.0), 0.4494, 1e-4);
  EXPECT_NEAR(ErlangC(14, 10.0), 0.1741, 1e-4);
}

TEST(ErlangCTest, MatchesClosedFormsForOneAndTwoServers) {
  // M/M/1: P(wait) = rho. M/M/2: P(wait) = 2 rho^2 / (1 + rho), rho = A / 2.
  EXPECT_NEAR(ErlangC(1, 0.7), 0.7, 1e-12);
  const double rho = 0.6;
  EXPECT_NEAR(ErlangC(2, 1.2), 2 * rho * rho / (1 + rho), 1e-12);
}

TEST(ErlangCTest, OverloadedQueueAlwaysWaits) {
  EXPECT_EQ(ErlangC(10, 10.0), 1.0);
  EXPECT_FALSE(ErlangCFigures(Textbook(), 10).stable);
}

TEST(ErlangCTest, TextbookExampleNeedsFourteenAgents) {
  StaffingInput in = Textbook();
  EXPECT_NEAR(in.OfferedLoad(), 10.0, 1e-12);
  auto needed = AgentsNeeded(in);
  ASSERT_TRUE(needed);
  EXPECT_EQ(*needed, 14);
  QueueFigures f = ErlangCFigures(in, 14);
  EXPECT_NEAR(f.service_level, 0.888, 1e-3);
  EXPECT_NEAR(f.mean_wait_seconds, 7.8, 0.05);
  EXPECT_NEAR(f.occupancy, 10.0 / 14, 1e-12);
  EXPECT_NEAR(ErlangCFigures(in, 13).service_level, 0.796, 1e-3);
}

TEST(ErlangATest, VeryPatientCustomersGiveErlangC) {
  StaffingInput in = Textbook();
  in.patience_seconds = 1e9;
  for (int n : {11, 12, 14}) {
    QueueFigures a = ErlangAFigures(in, n), c = ErlangCFigures(in, n);
    EXPECT_NEAR(a.wait_probability, c.wait_probability, 1e-4) << n;
    EXPECT_NEAR(a.service_level, c.service_level, 1e-3) << n;
    EXPECT_NEAR(a.mean_wait_seconds, c.mean_wait_seconds, 0.05 * c.mean_wait_seconds + 0.01) << n;
    EXPECT_LT(a.abandonment, 1e-5);
  }
}

TEST(ErlangATest, ImpatienceShortensWaitsAndAbandons) {
  StaffingInput in = Textbook();
  in.patience_seconds = 60;
  QueueFigures a = ErlangAFigures(in, 11), c = ErlangCFigures(in, 11);
  EXPECT_LT(a.mean_wait_seconds, c.mean_wait_seconds);
  EXPECT_GT(a.abandonment, 0.01);
  // With abandonment the queue is stable even below the load.
  QueueFigures overloaded = ErlangAFigures(in, 8);
  EXPECT_TRUE(overloaded.stable);
  EXPECT_GT(overloaded.abandonment, 0.1);
  EXPECT_LT(overloaded.abandonment, 1.0);
}

TEST(SimulateTest, AgreesWithErlangCForAFixedSeed) {
  StaffingInput in = Textbook();
  SimulationOptions options;
  options.seed = 7;
  options.tasks = 400000;
  for (int n : {12, 14}) {
    QueueFigures sim = Simulate(in, n, options), formula = ErlangCFigures(in, n);
    EXPECT_NEAR(sim.service_level, formula.service_level, 0.02) << n;
    EXPECT_NEAR(sim.wait_probability, formula.wait_probability, 0.02) << n;
    EXPECT_NEAR(sim.mean_wait_seconds, formula.mean_wait_seconds, 0.1 * formula.mean_wait_seconds) << n;
    EXPECT_NEAR(sim.occupancy, formula.occupancy, 0.01) << n;
  }
}

TEST(SimulateTest, AgreesWithErlangAForAFixedSeed) {
  StaffingInput in = Textbook();
  in.patience_seconds = 90;
  SimulationOptions options;
  options.seed = 11;
  options.tasks = 400000;
  for (int n : {9, 11, 13}) {
    QueueFigures sim = Simulate(in, n, options), formula = ErlangAFigures(in, n);
    EXPECT_NEAR(sim.service_level, formula.service_level, 0.02) << n;
    EXPECT_NEAR(sim.abandonment, formula.abandonment, 0.01) << n;
    EXPECT_NEAR(sim.mean_wait_seconds, formula.mean_wait_seconds, 0.1 * formula.mean_wait_seconds + 0.5) << n;
  }
}

TEST(SimulateTest, SameSeedSameFigures) {
  SimulationOptions options;
  options.tasks = 20000;
  QueueFigures a = Simulate(Textbook(), 12, options), b = Simulate(Textbook(), 12, options);
  EXPECT_EQ(a.service_level, b.service_level);
  EXPECT_EQ(a.mean_wait_seconds, b.mean_wait_seconds);
}

TEST(StaffingTableTest, RowsAroundTheRecommendation) {
  SimulationOptions options;
  options.tasks = 20000;
  auto table = BuildStaffingTable(Textbook(), options);
  ASSERT_TRUE(table) << table.error().ToString();
  EXPECT_EQ(table->recommended_agents, 14);
  EXPECT_NEAR(table->tasks_per_hour, 200, 1e-9);
  ASSERT_FALSE(table->rows.empty());
  EXPECT_EQ(table->rows.back().formula.agents, 16);
  EXPECT_LE(table->rows.front().formula.agents, 11);
}

TEST(StaffingValidateTest, BadInputNamesTheField) {
  StaffingInput in = Textbook();
  in.escalation_rate = 1.5;
  auto bad = Validate(in);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message().find("escalation rate"), std::string::npos);
  in = Textbook();
  in.target_level = 1.0;
  EXPECT_FALSE(Validate(in));
  in = Textbook();
  in.patience_seconds = 0;
  EXPECT_NE(Validate(in).error().message().find("patience"), std::string::npos);
  in = Textbook();
  in.handle_seconds = -1;
  EXPECT_FALSE(BuildStaffingTable(in, {}));
}

}  // namespace
}  // namespace hitlgate::measure
