// The `language` signal through the engine: detected when the event names
// none, the event's own tag otherwise; policy conditions on `language` see
// the detected one; it is in the decision's JSON; and the built-in
// human_request and legal_threat fire on German, whatever the policy's
// language.
#include <gtest/gtest.h>

#include "hitlgate/codec/json.h"
#include "hitlgate/common/clock.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/engine/engine.h"
#include "hitlgate/engine/memory_conversation_store.h"

namespace hitlgate::engine {
namespace {

constexpr std::string_view kPolicy = R"(policy: languages
queues:
  general: {skills: [], sla_seconds: 300}
  german: {skills: [], sla_seconds: 300}
defaults:
  oversight: hootl
  queue: general
rules:
  - name: asks-for-a-person
    when: {human_request: true}
    decision: handoff
  - name: german-to-german-desk
    events: [customer_message]
    if: "language == 'de'"
    decision: hold
    queue: german
)";

class LanguageSignalTest : public ::testing::Test {
 protected:
  LanguageSignalTest() : clock_(*ParseRfc3339("2026-11-22T10:00:00Z")) {
    auto compiled = policy::CompileText(kPolicy, "p.yaml");
    EXPECT_TRUE(compiled.ok()) << (compiled.issues.empty() ? "" : compiled.issues[0].ToString());
    engine_ = std::make_unique<DecisionEngine>(compiled.program,
                                               std::make_shared<MemoryConversationStore>(),
                                               signals::SentimentScorer::Default(), clock_);
  }
  Decision Say(const std::string& text, const std::string& language = "") {
    Event e;
    e.interaction_id = "i-" + std::to_string(++n_);
    e.customer_id = "c1";
    e.workflow = "shop";
    e.type = EventType::kCustomerMessage;
    e.text = text;
    e.language = language;
    clock_.Advance(std::chrono::minutes(5));
    return engine_->DecideAndRecord(e);
  }
  FakeClock clock_;
  std::unique_ptr<DecisionEngine> engine_;
  int n_ = 0;
};

TEST_F(LanguageSignalTest, DetectedWhenTheEventNamesNone) {
  const Decision d = Say("Wo ist mein Paket? Ich warte schon seit einer Woche darauf");
  EXPECT_EQ(d.signals.language, "de");
  EXPECT_EQ(d.outcome, Outcome::kHold);
  ASSERT_TRUE(d.route.has_value());
  EXPECT_EQ(d.route->queue, "german");
}

TEST_F(LanguageSignalTest, TheEventsOwnLanguageWins) {
  const Decision d = Say("Wo ist mein Paket? Ich warte schon seit einer Woche darauf", "fr");
  EXPECT_EQ(d.signals.language, "fr");
  EXPECT_EQ(d.outcome, Outcome::kAllow);
}

TEST_F(LanguageSignalTest, TooShortToTellIsEmptyAndLeftOutOfTheJson) {
  const Decision d = Say("ok");
  EXPECT_EQ(d.signals.language, "");
  EXPECT_EQ(codec::EncodeDecision(d).find("\"language\""), std::string::npos);
}

TEST_F(LanguageSignalTest, InTheDecisionJson) {
  const Decision d = Say("Quiero saber dónde está mi pedido, por favor");
  EXPECT_NE(codec::EncodeDecision(d).find("\"language\":\"es\""), std::string::npos)
      << codec::EncodeDecision(d);
}

TEST_F(LanguageSignalTest, BuiltinSignalsFireInGermanWhateverThePolicysLanguage) {
  const Decision d = Say("Ich möchte sofort mit einem Menschen sprechen, sonst gehe ich zum Anwalt");
  EXPECT_TRUE(d.signals.human_request);
  EXPECT_TRUE(d.signals.legal_threat);
  EXPECT_EQ(d.outcome, Outcome::kHandoff);
}

}  // namespace
}  // namespace hitlgate::engine
