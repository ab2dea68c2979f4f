// The engine with the triage classifier: a customer message that reports no
// intent gets the model's intent and calibrated probability, a message that
// fits no known intent is out of scope, and policies act on both. The model
// is a real fastText model trained here on a few phrases per intent.
#include <gtest/gtest.h>

#include "hitlgate/common/time_format.h"
#include "hitlgate/engine/engine.h"
#include "hitlgate/engine/memory_conversation_store.h"
#include "hitlgate/triage/intent_triage.h"

namespace hitlgate::triage {
namespace {

constexpr std::string_view kPolicy = R"(policy: triage
queues:
  general: {skills: [], sla_seconds: 300}
  cards: {skills: [], sla_seconds: 300}
defaults:
  oversight: hootl
  queue: general
topics:
  money_back: {intents: [refund]}
rules:
  - name: off-topic-to-a-person
    when: {out_of_scope: true}
    decision: handoff
  - name: card-questions-watched
    events: [customer_message]
    if: "intent == 'card_arrival' and confidence >= 0.5"
    decision: allow_monitored
    queue: cards
  - name: second-contact-same-topic
    when: {repeat_contact: {contacts: 2, within_days: 7, same_intent: true}}
    decision: hold
)";

std::vector<LabeledText> TrainingSet() {
  std::vector<LabeledText> out;
  const char* card[] = {"where is my card", "my card has not arrived", "card still not here",
                        "when will my new card come", "i am waiting for my card"};
  const char* refund[] = {"i want a refund", "give me my money back", "refund my order please",
                          "how do i get a refund", "money back for this purchase"};
  const char* oos[] = {"what is the weather tomorrow", "tell me a joke", "who won the football match",
                       "play some music", "how tall is mount everest"};
  for (int round = 0; round < 12; ++round) {
    for (const char* t : card) out.push_back({t, "card_arrival"});
    for (const char* t : refund) out.push_back({t, "refund"});
    for (const char* t : oos) out.push_back({t, "oos"});
  }
  return out;
}

class TriageEngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    TrainOptions options;
    options.epochs = 30;
    options.buckets = 20000;
    auto trained = FastTextClassifier::Train(TrainingSet(), options);
    ASSERT_TRUE(trained) << trained.error().message();
    model_ = std::shared_ptr<const TextClassifier>(std::move(*trained));
  }
  static void TearDownTestSuite() { model_.reset(); }

  TriageEngineTest() : clock_(*ParseRfc3339("2026-11-22T10:00:00Z")) {
    auto compiled = policy::CompileText(kPolicy, "p.yaml");
    EXPECT_TRUE(compiled.ok()) << (compiled.issues.empty() ? "" : compiled.issues[0].ToString());
    engine_ = std::make_unique<engine::DecisionEngine>(
        compiled.program, std::make_shared<engine::MemoryConversationStore>(),
        signals::SentimentScorer::Default(), clock_);
  }

  void TurnOnTriage(double oos_threshold = 0.2) {
    engine_->SetIntentClassifier(std::make_shared<TriageIntentClassifier>(
        model_, TriageOptions{.oos_label = "oos", .oos_threshold = oos_threshold}));
  }

  engine::Decision Say(const std::string& customer, const std::string& text, std::string intent = "") {
    engine::Event e;
    e.interaction_id = "i-" + std::to_string(++n_);
    e.customer_id = customer;
    e.workflow = "bank";
    e.type = engine::EventType::kCustomerMessage;
    e.text = text;
    e.intent = std::move(intent);
    clock_.Advance(std::chrono::minutes(5));
    return engine_->DecideAndRecord(e);
  }

  static bool Fired(const engine::Decision& d, std::string_view rule) {
    for (const engine::Reason& r : d.reasons) {
      if (r.rule == rule) return true;
    }
    return false;
  }

  static std::shared_ptr<const TextClassifier> model_;
  FakeClock clock_;
  std::unique_ptr<engine::DecisionEngine> engine_;
  int n_ = 0;
};

std::shared_ptr<const TextClassifier> TriageEngineTest::model_;

TEST_F(TriageEngineTest, WithoutAClassifierNothingIsTriaged) {
  engine::Decision d = Say("c1", "what is the weather tomorrow");
  EXPECT_FALSE(d.signals.triage_confidence.has_value());
  EXPECT_FALSE(d.signals.out_of_scope);
  EXPECT_EQ(d.outcome, engine::Outcome::kAllow);
}

TEST_F(TriageEngineTest, AMessageWithoutIntentGetsTheModelsIntentAndConfidence) {
  TurnOnTriage();
  engine::Decision d = Say("c1", "my card has still not arrived");
  EXPECT_EQ(d.signals.triage_intent, "card_arrival");
  ASSERT_TRUE(d.signals.triage_confidence.has_value());
  EXPECT_GE(*d.signals.triage_confidence, 0.5);
  EXPECT_FALSE(d.signals.out_of_scope);
  // The policy saw the intent and the calibrated probability as confidence.
  EXPECT_TRUE(Fired(d, "card-questions-watched"));
  EXPECT_EQ(d.outcome, engine::Outcome::kAllowMonitored);
  ASSERT_TRUE(d.signals.calibrated_confidence.has_value());
  EXPECT_DOUBLE_EQ(*d.signals.calibrated_confidence, *d.signals.triage_confidence);
}

TEST_F(TriageEngineTest, AMessageThatFitsNoIntentIsOutOfScopeAndHandedOff) {
  TurnOnTriage();
  engine::Decision d = Say("c1", "tell me a joke about the weather");
  EXPECT_TRUE(d.signals.out_of_scope);
  EXPECT_EQ(d.outcome, engine::Outcome::kHandoff);
  ASSERT_TRUE(Fired(d, "off-topic-to-a-person"));
  for (const engine::Reason& r : d.reasons) {
    if (r.rule == "off-topic-to-a-person") {
      EXPECT_EQ(r.trigger, "out_of_scope");
      EXPECT_NE(r.detail.find("fits no known intent"), std::string::npos) << r.detail;
    }
  }
}

TEST_F(TriageEngineTest, AnImpossibleThresholdMakesEveryMessageOutOfScope) {
  TurnOnTriage(/*oos_threshold=*/1.01);
  engine::Decision d = Say("c1", "i want a refund for my order");
  EXPECT_TRUE(d.signals.out_of_scope);
  EXPECT_EQ(d.signals.triage_intent, "refund");  // the closest intent, for the reviewer
  EXPECT_EQ(d.outcome, engine::Outcome::kHandoff);
}

TEST_F(TriageEngineTest, TheAgentsOwnIntentWins) {
  TurnOnTriage();
  engine::Decision d = Say("c1", "tell me a joke", "small_talk");
  EXPECT_FALSE(d.signals.triage_confidence.has_value());
  EXPECT_FALSE(d.signals.out_of_scope);
  EXPECT_EQ(d.outcome, engine::Outcome::kAllow);
}

TEST_F(TriageEngineTest, ATriagedIntentRaisesTheTopicThePolicyTiesToIt) {
  TurnOnTriage();
  engine::Decision d = Say("c1", "how do i get my money back");
  ASSERT_EQ(d.signals.triage_intent, "refund");
  EXPECT_EQ(d.signals.topics, std::vector<std::string>{"money_back"});
  engine::Decision other = Say("c2", "where is my card");
  EXPECT_TRUE(other.signals.topics.empty());
}

TEST_F(TriageEngineTest, TriagedIntentsCountForSameIntentRepeatContacts) {
  TurnOnTriage();
  engine::Decision first = Say("c7", "where is my card");
  EXPECT_FALSE(Fired(first, "second-contact-same-topic"));
  engine::Decision other = Say("c7", "i want a refund");  // another topic: not a repeat of it
  EXPECT_FALSE(Fired(other, "second-contact-same-topic"));
  engine::Decision again = Say("c7", "my card has not arrived yet");
  EXPECT_TRUE(Fired(again, "second-contact-same-topic"));
}

}  // namespace
}  // namespace hitlgate::triage
