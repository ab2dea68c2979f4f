// Feedback examples derived from what a real gateway recorded: verdicts on
// held proposals and a supervisor's takeover, read back through the audit log.
#include "hitlgate/learning/feedback.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "hitlgate/common/time_format.h"
#include "hitlgate/crypto/random.h"
#include "hitlgate/engine/memory_conversation_store.h"
#include "hitlgate/gateway/gateway.h"
#include "hitlgate/store/memory_store.h"
#include "gateway/testing/gateway_fixture.h"

namespace hitlgate::learning {
namespace {

namespace json = boost::json;

constexpr std::string_view kPolicy = R"(policy: feedback-test
queues:
  billing: {skills: [billing], sla_seconds: 120, priority: 2}
defaults:
  oversight: hotl
  queue: billing
rules:
  - name: refunds-over-100
    when: {action_value_above: {action: refund, limits: {EUR: 100}}}
    decision: hold
    queue: billing
)";

class FeedbackTest : public gateway::testing::GatewayFixture {
 protected:
  FeedbackTest() : GatewayFixture(std::string(kPolicy)) {
    agent_ = MakeKey("agent", store::Role::kAgent);
    reviewer_ = MakeKey("reviewer", store::Role::kReviewer, {"billing"});
    supervisor_ = MakeKey("supervisor", store::Role::kSupervisor, {"billing"});
  }

  void Customer(const std::string& id, const std::string& text) {
    auto r = gateway_->events().Submit(agent_, R"({"interaction_id":")" + id +
                                               R"(","customer_id":"u-1","workflow":"shop","type":"customer_message","text":")" +
                                               text + "\"}");
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
  }

  // A refund proposal; held when amount > 100.
  std::string Refund(const std::string& id, double amount, double confidence) {
    auto r = gateway_->events().Submit(
        agent_, R"({"interaction_id":")" + id +
                    R"(","customer_id":"u-1","workflow":"shop","type":"ai_proposal","text":"I refunded your order, mail me at jane@example.com",
               "intent":"refund_request","confidence":)" +
                    std::to_string(confidence) + R"(,"action":{"name":"refund","amount":)" +
                    std::to_string(amount) + R"(,"currency":"EUR","params":{"order":"A-1"}}})");
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return r->task_id;
  }

  void Answer(gateway::VerdictRequest v) {
    auto claimed = gateway_->review().ClaimNext(reviewer_, {});
    ASSERT_TRUE(claimed.has_value()) << claimed.error().ToString();
    ASSERT_TRUE(claimed->task.lease.has_value());
    v.lease_id = claimed->task.lease->lease_id;
    const std::string id = claimed->task.id;
    clock_.Advance(std::chrono::seconds(5));
    auto answered = gateway_->review().SubmitVerdict(reviewer_, id, v);
    ASSERT_TRUE(answered.has_value()) << answered.error().ToString();
  }

  gateway::Principal agent_, reviewer_, supervisor_;
};

TEST_F(FeedbackTest, EveryVerdictAndTakeoverBecomesALabeledExample) {
  Customer("i-1", "I want my money back");
  Refund("i-1", 120, 0.91);
  gateway::VerdictRequest approve;
  Answer(approve);

  Customer("i-2", "Refund please");
  Refund("i-2", 150, 0.62);
  gateway::VerdictRequest edit;
  edit.kind = store::VerdictKind::kEdited;
  edit.edited_text = "I refunded your order";
  edit.reason = "tone: no personal e-mail addresses";
  Answer(edit);

  Customer("i-3", "Give me 500 EUR");
  Refund("i-3", 500, 0.55);
  gateway::VerdictRequest reject;
  reject.kind = store::VerdictKind::kRejected;
  reject.reason = "policy says refunds over 300 need a receipt";
  reject.customer_message = "We need your receipt first.";
  Answer(reject);

  Customer("i-4", "Where is my parcel?");
  Refund("i-4", 20, 0.97);  // allowed, monitored
  ASSERT_TRUE(gateway_->supervision().TakeOver(supervisor_, "i-4", "odd refund").has_value());

  auto examples = CollectFeedback(*store_, {});
  ASSERT_TRUE(examples.has_value()) << examples.error().ToString();
  ASSERT_EQ(examples->size(), 4u);

  const FeedbackExample& a = (*examples)[0];
  EXPECT_EQ(a.source, "hold");
  EXPECT_EQ(a.workflow, "shop");
  EXPECT_EQ(a.verdict, "approved");
  EXPECT_EQ(a.agreed, true);
  EXPECT_EQ(a.intent, "refund_request");
  ASSERT_TRUE(a.confidence.has_value());
  EXPECT_NEAR(*a.confidence, 0.91, 1e-9);
  EXPECT_EQ(a.customer_text, "I want my money back");
  EXPECT_EQ(a.final_text, a.proposal_text);
  EXPECT_FALSE(a.diff.text_changed);
  EXPECT_EQ(a.reason_category, "none");
  EXPECT_EQ(a.outcome, "hold");
  EXPECT_NE(std::find(a.triggers.begin(), a.triggers.end(), "action_value_above"), a.triggers.end());
  EXPECT_EQ(a.policy_version, engine_->policy()->version());
  EXPECT_NE(a.signals_json.find("\"sentiment\""), std::string::npos);

  const FeedbackExample& e = (*examples)[1];
  EXPECT_EQ(e.verdict, "edited");
  EXPECT_EQ(e.agreed, false);
  EXPECT_EQ(e.final_text, "I refunded your order");
  EXPECT_TRUE(e.diff.text_changed);
  // "order, mail me at jane@example.com" became "order".
  EXPECT_EQ(e.diff.words_removed, 5);
  EXPECT_EQ(e.diff.words_added, 1);
  EXPECT_EQ(e.reason_category, "tone");

  const FeedbackExample& r = (*examples)[2];
  EXPECT_EQ(r.verdict, "rejected");
  EXPECT_FALSE(r.delivered);
  EXPECT_EQ(r.final_text, "We need your receipt first.");
  EXPECT_EQ(r.reason_category, "policy_violation");

  const FeedbackExample& t = (*examples)[3];
  EXPECT_EQ(t.source, "intervention");
  EXPECT_EQ(t.verdict, "taken_over");
  EXPECT_EQ(t.interaction_id, "i-4");
  EXPECT_EQ(t.workflow, "shop");
  EXPECT_EQ(t.reason, "odd refund");
  EXPECT_EQ(t.customer_text, "Where is my parcel?");
  EXPECT_EQ(t.agreed, false);
}

TEST_F(FeedbackTest, TimeRangeSelectsByWhenTheHumanActed) {
  Customer("i-1", "hello");
  Refund("i-1", 120, 0.9);
  Answer({});
  const TimePoint between = clock_.Now() + std::chrono::seconds(1);
  clock_.Advance(std::chrono::minutes(1));
  Customer("i-2", "hello");
  Refund("i-2", 120, 0.9);
  Answer({});
  auto early = CollectFeedback(*store_, {.to = between});
  auto late = CollectFeedback(*store_, {.from = between});
  ASSERT_TRUE(early.has_value() && late.has_value());
  ASSERT_EQ(early->size(), 1u);
  ASSERT_EQ(late->size(), 1u);
  EXPECT_EQ(early->front().interaction_id, "i-1");
  EXPECT_EQ(late->front().interaction_id, "i-2");
}

TEST_F(FeedbackTest, ExportedLineIsMaskedAndReadsBack) {
  Customer("i-1", "call me on +49 30 12345678");
  Refund("i-1", 120, 0.8);
  Answer({});
  auto examples = CollectFeedback(*store_, {});
  ASSERT_TRUE(examples.has_value());
  ASSERT_EQ(examples->size(), 1u);
  FeedbackExample ex = examples->front();
  auto masker = PersonalDataMasker::Create({});
  ASSERT_TRUE(masker.has_value());
  MaskCounts counts;
  MaskExample(**masker, &ex, &counts);
  EXPECT_EQ(ex.customer_text, "call me on <PHONE>");
  EXPECT_EQ(ex.proposal_text, "I refunded your order, mail me at <EMAIL>");
  EXPECT_EQ(counts.emails, 3);  // proposal, final text and the diff
  const std::string line = EncodeFeedbackLine(ex);
  EXPECT_EQ(line.find("jane@example.com"), std::string::npos);
  auto back = DecodeFeedbackLine(line);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->proposal_text, ex.proposal_text);
  EXPECT_EQ(back->intent, "refund_request");
  EXPECT_EQ(back->confidence, ex.confidence);
  EXPECT_EQ(back->agreed, true);
  EXPECT_EQ(back->verdict, "approved");
  EXPECT_EQ(back->at, ex.at);
  EXPECT_EQ(back->proposal_action_json, ex.proposal_action_json);
  EXPECT_EQ(back->triggers, ex.triggers);
}

TEST(FeedbackLineTest, AssistJudgementsReadBackAndAreAbsentWhenNone) {
  FeedbackExample ex;
  ex.source = "hold";
  ex.verdict = "edited";
  EXPECT_EQ(EncodeFeedbackLine(ex).find("\"assist\""), std::string::npos);
  ex.assist_used = {"enter-details"};
  ex.assist_wrong = {"make-password", "offer-refund"};
  const std::string line = EncodeFeedbackLine(ex);
  EXPECT_NE(line.find(R"("assist":{"used":["enter-details"],"wrong":["make-password","offer-refund"]})"), std::string::npos)
      << line;
  auto back = DecodeFeedbackLine(line);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->assist_used, ex.assist_used);
  EXPECT_EQ(back->assist_wrong, ex.assist_wrong);
}

TEST(FeedbackLineTest, MalformedLinesNameTheProblem) {
  EXPECT_EQ(DecodeFeedbackLine("[1]").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(DecodeFeedbackLine("{").error().message().find("not JSON"), std::string::npos);
  EXPECT_NE(DecodeFeedbackLine(R"({"at":"2026-01-01T00:00:00Z"})").error().message().find("proposal"),
            std::string::npos);
  EXPECT_NE(DecodeFeedbackLine(R"({"at":"2026-01-01T00:00:00Z","proposal":{"confidence":2},"final":{"verdict":"approved"}})")
                .error()
                .message()
                .find("confidence"),
            std::string::npos);
}

TEST(TextDiffTest, MarksRemovedAndAddedWords) {
  TextDiff d = DiffTexts("your refund of 50 EUR is on its way", "your refund of 40 EUR was sent");
  EXPECT_TRUE(d.text_changed);
  EXPECT_EQ(d.marked, "your refund of [-50-] {+40+} EUR [-is on its way-] {+was sent+}");
  EXPECT_EQ(d.words_removed, 5);
  EXPECT_EQ(d.words_added, 3);
  EXPECT_NEAR(d.similarity, 2.0 * 4 / (9 + 7), 1e-12);
  EXPECT_FALSE(DiffTexts("a  b", "a b").text_changed);
}

TEST(ReasonCategoryTest, PrefixThenKeywordsThenOther) {
  EXPECT_EQ(ReasonCategory("approved", "whatever"), "none");
  EXPECT_EQ(ReasonCategory("rejected", "tone: fine, but policy"), "tone");
  EXPECT_EQ(ReasonCategory("rejected", "the amount is too high"), "wrong_amount");
  EXPECT_EQ(ReasonCategory("rejected", "that is incorrect"), "factual_error");
  EXPECT_EQ(ReasonCategory("edited", ""), "edited");
  EXPECT_EQ(ReasonCategory("rejected", "hmm"), "other");
}

}  // namespace
}  // namespace hitlgate::learning
