// Customers' rights over the real HTTP API (gateway_harness.h): a customer
// contests an automated refund decision through the agent, a supervisor
// overturns it and the agent's task view reports it; an export, a legal hold
// that refuses erasure (409), the erasure once released, and an audit chain
// that still verifies.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hitlgate/audit/verifier.h"
#include "hitlgate/store/audit_source.h"
#include "integration/gateway_harness.h"
#include "integration/http_client.h"

namespace hitlgate::testing {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Str(const json::value& v) { return std::string(v.as_string()); }

json::value Parse(const HttpReply& r) {
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  EXPECT_FALSE(ec) << "not JSON (HTTP " << r.status << "): " << r.body;
  return ec ? json::value(json::object()) : v;
}

std::string Refund(const std::string& interaction, double amount) {
  return json::serialize(json::object{{"interaction_id", interaction},
                                      {"customer_id", "u-privacy"},
                                      {"workflow", "retail-bot"},
                                      {"channel", "chat"},
                                      {"type", "ai_proposal"},
                                      {"text", "Your refund of the blender is declined, Ms Example."},
                                      {"intent", "return_item"},
                                      {"confidence", 0.95},
                                      {"action",
                                       {{"name", "refund"},
                                        {"amount", amount},
                                        {"currency", "USD"},
                                        {"params", {{"order_id", "A-1001"}}}}}});
}

class PrivacyHttpTest : public ::testing::Test {
 protected:
  const HarnessKeys& keys() const { return h_.keys(); }
  GatewayHarness h_;
};

TEST_F(PrivacyHttpTest, ContestIsReviewedAndTheVerdictReachesTheAgent) {
  ASSERT_EQ(h_.Post("/v1/events", Refund("c-contest", 20), keys().agent).status, 200);
  const std::string statement = R"({"statement":"I never got my money back.","event_index":0})";
  HttpReply opened = h_.Post("/v1/interactions/c-contest/contest", statement, keys().agent);
  ASSERT_EQ(opened.status, 200) << opened.body;
  const std::string task_id = Str(Parse(opened).at("task_id"));
  EXPECT_EQ(Str(Parse(opened).at("queue")), "supervisors");

  HttpReply twice = h_.Post("/v1/interactions/c-contest/contest", statement, keys().supervisor);
  EXPECT_EQ(twice.status, 409) << twice.body;
  EXPECT_EQ(h_.Post("/v1/interactions/c-nobody/contest", statement, keys().agent).status, 404);
  EXPECT_EQ(h_.Post("/v1/interactions/c-contest/contest", R"({"statement":""})", keys().agent).status, 400);
  EXPECT_EQ(h_.Post("/v1/interactions/c-contest/contest", "[]", keys().agent).status, 400);
  EXPECT_EQ(h_.Post("/v1/interactions/c-contest/contest", R"({"statement":"x","mood":1})", keys().agent).status,
            400);

  HttpReply task = h_.Get("/v1/review/tasks/" + task_id, keys().supervisor);
  ASSERT_EQ(task.status, 200) << task.body;
  EXPECT_THAT(task.body, HasSubstr("I never got my money back."));
  EXPECT_EQ(Str(Parse(task).at("kind")), "contest");

  EXPECT_EQ(h_.Post("/v1/review/tasks/" + task_id + "/contest-verdict",
                    R"({"outcome":"maybe","explanation":"x","override":true})", keys().supervisor)
                .status,
            400);
  HttpReply decided = h_.Post("/v1/review/tasks/" + task_id + "/contest-verdict",
                              R"({"outcome":"overturned","explanation":"You get the refund.","override":true})",
                              keys().supervisor);
  ASSERT_EQ(decided.status, 200) << decided.body;
  HttpReply view = h_.Get("/v1/tasks/" + task_id + "?wait=1s", keys().agent);
  ASSERT_EQ(view.status, 200) << view.body;
  json::value v = Parse(view);
  EXPECT_EQ(Str(v.at("status")), "answered");
  EXPECT_EQ(Str(v.at("kind")), "contest");
  EXPECT_EQ(Str(v.at("verdict").at("customer_message")), "You get the refund.");
}

TEST_F(PrivacyHttpTest, LegalHoldRefusesErasureWith409AndTheAuditStillVerifies) {
  ASSERT_EQ(h_.Post("/v1/events", Refund("c-erase", 20), keys().agent).status, 200);
  HttpReply exported = h_.Get("/v1/customers/u-privacy/export", keys().auditor);
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_THAT(exported.body, HasSubstr("refund of the blender"));

  ASSERT_EQ(h_.Post("/v1/legal-holds", R"({"customer_id":"u-privacy","reason":"case 2026-17"})", keys().admin).status,
            200);
  EXPECT_EQ(h_.Post("/v1/legal-holds", R"({"customer_id":"u-privacy","interaction_id":"c"})", keys().admin).status,
            400);
  HttpReply refused = h_.Post("/v1/customers/u-privacy/erase", "", keys().admin);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_THAT(refused.body, HasSubstr("legal hold"));

  ASSERT_EQ(h_.Post("/v1/legal-holds/release", R"({"customer_id":"u-privacy"})", keys().admin).status, 200);
  HttpReply erased = h_.Post("/v1/customers/u-privacy/erase", "", keys().admin);
  ASSERT_EQ(erased.status, 200) << erased.body;
  HttpReply after = h_.Get("/v1/customers/u-privacy/export", keys().admin);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_THAT(after.body, Not(HasSubstr("refund of the blender")));
  EXPECT_EQ(Parse(after).at("interactions").as_array().size(), 0u);

  store::StoreAuditSource src(&h_.store());
  auto summary = audit::VerifyChain(src);
  EXPECT_TRUE(summary.ok()) << summary.detail;
}

}  // namespace
}  // namespace hitlgate::testing
