#include "hitlgate/compliance/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "hitlgate/store/memory_store.h"
#include "testing/result_matchers.h"

namespace hitlgate::compliance {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsOk;
using ::testing::Contains;
using ::testing::HasSubstr;
using std::chrono::seconds;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string RetailPolicy() { return ReadFile(std::string(HITLGATE_SOURCE_DIR) + "/examples/policies/retail.yaml"); }

TEST(DescribePolicyTest, SaysWhereOversightEntersEachWorkflow) {
  auto p = DescribePolicy(RetailPolicy());
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->name, "retail-contact-center");
  ASSERT_FALSE(p->workflows.empty());
  EXPECT_THAT(p->workflows[0], HasSubstr("Workflow 'retail-bot': AI proposals go out and are watched live"));
  EXPECT_THAT(p->workflows[0], HasSubstr("billing_dispute: hitl"));
  EXPECT_THAT(p->floors, Contains(HasSubstr("Floor 'person-requested': when the human request signal is present, "
                                            "the conversation is handed over to a person (review queue 'supervisors')")));
  EXPECT_THAT(p->floors, Contains(HasSubstr("Nothing relaxes it")));
  EXPECT_THAT(p->rules, Contains(HasSubstr("Rule 'refunds-over-100': when action value above (action refund, "
                                           "limits EUR 100, USD 110, GBP 90), the proposal is held")));
  EXPECT_THAT(p->defaults, Contains(HasSubstr("Workflows the policy does not name: AI proposals go out")));
  EXPECT_THAT(p->rules, Contains(HasSubstr("Rule 'frustrated-on-voice': when the frustration signal is present, "
                                           "the conversation is handed over to a person (review queue 'supervisors'), "
                                           "only if channel == 'voice'.")));
}

TEST(DescribePolicyTest, BadYamlIsAnError) {
  EXPECT_THAT(DescribePolicy("rules: [a, b"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(DescribePolicy("- just\n- a list\n"), IsError(ErrorCode::kInvalidArgument));
}

class ReportTest : public ::testing::Test {
 protected:
  ReportTest() : ids_(1), store_(store::NewMemoryStore(&ids_)) {
    t0_ = TimePoint(std::chrono::duration_cast<Duration>(seconds(1'795'000'000)));
  }

  // A held decision; answered `kind` after `wait` when given.
  void Held(const std::string& iid, std::optional<store::VerdictKind> kind, Duration wait, bool override = false) {
    store::DecisionRecord d;
    d.interaction_id = iid;
    d.customer_id = "u-" + iid;
    d.workflow = "retail-bot";
    d.outcome = engine::Outcome::kHold;
    d.event_json = "{}";
    d.decision_json = "{}";
    d.recorded_by = "k-agent";
    store::NewTask t;
    t.queue = "billing";
    t.created_at = t0_;
    t.due_at = t0_ + std::chrono::hours(1);
    auto r = store_->RecordDecision(d, t, {}, t0_);
    ASSERT_THAT(r, IsOk());
    if (!kind) return;
    std::string lease;
    if (!override) {
      store::ClaimRequest c;
      c.reviewer = "rev";
      c.now = t0_;
      auto claimed = store_->Claim(r->task_id, c);
      ASSERT_THAT(claimed, IsOk());
      lease = claimed->lease->lease_id;
    }
    store::Verdict v;
    v.kind = *kind;
    v.reviewer = "rev";
    v.reason = "r";
    v.edited_text = "e";
    store::VerdictOptions o;
    o.override = override;
    ASSERT_THAT(store_->SubmitVerdict(r->task_id, lease, v, t0_ + wait, o), IsOk());
  }

  store::SequentialIdGenerator ids_;
  std::unique_ptr<store::Store> store_;
  TimePoint t0_;
};

TEST_F(ReportTest, CountsOversightAndRendersSelfContainedHtml) {
  store::PolicyVersion pv{"sha256:1", "retail-contact-center", RetailPolicy(), "k-admin", t0_};
  ASSERT_THAT(store_->SavePolicyVersion(pv), IsOk());
  ASSERT_THAT(store_->ActivatePolicy("sha256:1", "k-admin", t0_), IsOk());
  Held("c-1", store::VerdictKind::kApproved, seconds(10));
  Held("c-2", store::VerdictKind::kRejected, seconds(30));
  Held("c-3", store::VerdictKind::kEdited, seconds(50), /*override=*/true);
  Held("c-4", std::nullopt, {});
  store::Control hold{store::ControlKind::kLegalHold, "customer:u-c-1", "k-admin", "case 17", t0_};
  ASSERT_THAT(store_->SetControl(hold), IsOk());

  auto r = BuildReport(*store_, {.now = t0_ + std::chrono::hours(2)});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->stats.decisions_by_outcome.at("hold"), 4);
  EXPECT_EQ(r->stats.holds_opened, 4);
  EXPECT_EQ(r->stats.holds_answered, 3);
  EXPECT_EQ(r->stats.proposals_changed, 2);
  EXPECT_EQ(r->stats.supervisor_overrides, 1);
  ASSERT_TRUE(r->stats.median_seconds_to_verdict.has_value());
  EXPECT_DOUBLE_EQ(*r->stats.median_seconds_to_verdict, 30.0);
  EXPECT_TRUE(r->chain_verified) << r->chain_detail;
  ASSERT_EQ(r->legal_holds.size(), 1u);

  const std::string html = RenderHtml(*r);
  EXPECT_THAT(html, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("Floor 'person-requested'"));
  EXPECT_THAT(html, HasSubstr("holds answered / opened</th><td>3 / 4"));
  EXPECT_THAT(html, HasSubstr("median time to verdict</th><td>30.0 s"));
  EXPECT_THAT(html, HasSubstr("case 17"));
  // Self-contained: no scripts, no external resources.
  EXPECT_THAT(html, ::testing::Not(HasSubstr("<script")));
  EXPECT_THAT(html, ::testing::Not(HasSubstr("http")));
  const std::string json = RenderJson(*r);
  EXPECT_THAT(json, HasSubstr(R"("holds_answered":3)"));
  EXPECT_THAT(json, HasSubstr(R"("audit_retention_days":183)"));
}

TEST_F(ReportTest, CountsOutcomesFromOldDecisionRecordsAndNewEventRecordsInOneVerifiedChain) {
  // A log written before the one-record-per-event form: an "event" record
  // without the outcome, then its "decision" record.
  ASSERT_THAT(store_->AppendAudit(
                  {{"event", "k-agent", "c-old", R"({"decision_seq":1,"event_id":"e-old"})"},
                   {"decision", "k-agent", "c-old",
                    R"({"decision_seq":1,"event_index":0,"outcome":"block","policy_version":"sha256:1"})"}},
                  t0_),
              IsOk());
  // Then events in the new form: the "event" record carries the outcome.
  Held("c-1", std::nullopt, {});
  Held("c-2", std::nullopt, {});

  auto r = BuildReport(*store_, {.now = t0_ + std::chrono::hours(2)});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->stats.decisions_by_outcome.at("block"), 1) << "the old form's decision record";
  EXPECT_EQ(r->stats.decisions_by_outcome.at("hold"), 2) << "the new form's event records";
  EXPECT_EQ(r->stats.decisions_by_outcome.size(), 2u) << "an old event record counts no outcome";
  EXPECT_TRUE(r->chain_verified) << r->chain_detail;
}

TEST_F(ReportTest, WithoutAPolicyTheReportSaysSo) {
  auto r = BuildReport(*store_, {.now = t0_});
  ASSERT_THAT(r, IsOk());
  EXPECT_FALSE(r->policy.has_value());
  EXPECT_THAT(RenderHtml(*r), HasSubstr("No active policy"));
}

TEST_F(ReportTest, MissingCheckpointDirIsAnError) {
  EXPECT_THAT(BuildReport(*store_, {.checkpoint_dir = "/nonexistent/hitlgate-checkpoints", .now = t0_}),
              IsError(ErrorCode::kNotFound));
}

}  // namespace
}  // namespace hitlgate::compliance
