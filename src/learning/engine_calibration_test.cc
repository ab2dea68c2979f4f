// The engine with a calibration map: policies see calibrated_confidence.
#include <gtest/gtest.h>

#include "hitlgate/common/time_format.h"
#include "hitlgate/engine/engine.h"
#include "hitlgate/engine/memory_conversation_store.h"
#include "hitlgate/learning/calibration.h"

namespace hitlgate::learning {
namespace {

constexpr std::string_view kPolicy = R"(policy: calibrated
queues:
  general: {skills: [], sla_seconds: 300}
defaults:
  oversight: hootl
  queue: general
rules:
  - name: unsure
    when: {confidence_below: {threshold: 0.8, source: calibrated}}
    decision: hold
)";

class EngineCalibrationTest : public ::testing::Test {
 protected:
  EngineCalibrationTest() : clock_(*ParseRfc3339("2026-11-22T10:00:00Z")) {
    auto compiled = policy::CompileText(kPolicy, "p.yaml");
    EXPECT_TRUE(compiled.ok()) << (compiled.issues.empty() ? "" : compiled.issues[0].ToString());
    engine_ = std::make_unique<engine::DecisionEngine>(
        compiled.program, std::make_shared<engine::MemoryConversationStore>(),
        signals::SentimentScorer::Default(), clock_);
  }

  engine::Decision Propose(const std::string& intent, double confidence) {
    engine::Event e;
    e.interaction_id = "i-" + std::to_string(++n_);
    e.workflow = "shop";
    e.type = engine::EventType::kAiProposal;
    e.text = "done";
    e.intent = intent;
    e.confidence = confidence;
    return engine_->DecideAndRecord(e);
  }

  FakeClock clock_;
  std::unique_ptr<engine::DecisionEngine> engine_;
  int n_ = 0;
};

TEST_F(EngineCalibrationTest, WithoutAMapTheReportedConfidenceDecides) {
  engine::Decision d = Propose("refund", 0.9);
  EXPECT_FALSE(d.signals.calibrated_confidence.has_value());
  EXPECT_EQ(d.outcome, engine::Outcome::kAllow);
}

TEST_F(EngineCalibrationTest, AnOverconfidentIntentIsHeldOnceCalibrated) {
  // People agreed with only 20 of 60 refunds at 0.9, and all 60 FAQ answers.
  std::vector<CalibrationSample> s;
  for (int i = 0; i < 60; ++i) s.push_back({"shop", "refund", 0.9, i < 20});
  for (int i = 0; i < 60; ++i) s.push_back({"shop", "faq", 0.9, true});
  engine_->SetCalibrator(std::make_shared<CalibrationMap>(CalibrationMap::Fit(s)));
  engine::Decision refund = Propose("refund", 0.9);
  ASSERT_TRUE(refund.signals.calibrated_confidence.has_value());
  EXPECT_LT(*refund.signals.calibrated_confidence, 0.5);
  EXPECT_EQ(refund.outcome, engine::Outcome::kHold);
  engine::Decision faq = Propose("faq", 0.9);
  EXPECT_GT(*faq.signals.calibrated_confidence, 0.9);
  EXPECT_EQ(faq.outcome, engine::Outcome::kAllow);
  // The identity calibrator changes nothing but makes the value visible.
  engine_->SetCalibrator(std::make_shared<engine::IdentityCalibrator>());
  EXPECT_DOUBLE_EQ(*Propose("refund", 0.9).signals.calibrated_confidence, 0.9);
}

}  // namespace
}  // namespace hitlgate::learning
