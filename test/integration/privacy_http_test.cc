// Customers' rights over the real HTTP API (gateway_harness.h): a customer
// contests an automated refund decision through the agent, a supervisor
// overturns it and the agent's task view reports it; an export, a legal hold
// that refuses erasure (409), the erasure once released, and an audit chain
// that still verifies.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "api/webhooks/webhook_sender.h"
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


// Every input that can carry a customer's words gets a marker; after the
// erasure no file of the data folder holds it (the database with secure
// delete, its WAL truncated), and a webhook message still waiting holds it
// nowhere either.
TEST_F(PrivacyHttpTest, ErasureLeavesTheMarkerInNoFileOfTheDataFolder) {
  const std::string marker = "ZQXMARKER";
  WebhookReceiver failing({500, 500, 500, 500});
  ASSERT_EQ(h_.Call("PUT", "/v1/webhooks/retail-bot",
                    R"({"url":")" + failing.url() + R"(","secret":"whsec-0123456789abcdef"})", keys().admin)
                .status,
            200);
  auto event = [&](const std::string& interaction, const std::string& type, const std::string& text) {
    return json::object{{"interaction_id", interaction}, {"customer_id", "u-marker"}, {"workflow", "retail-bot"},
                        {"channel", "chat"},              {"type", type},              {"text", text}};
  };
  // A customer message, then a proposal the policy holds (text, action params).
  ASSERT_EQ(h_.Post("/v1/events", json::serialize(event("c-m1", "customer_message", "my name is " + marker)),
                    keys().agent)
                .status,
            200);
  json::object refund = event("c-m1", "ai_proposal", "Refunding you, " + marker + ".");
  refund["intent"] = "return_item";
  refund["confidence"] = 0.95;
  refund["action"] = {{"name", "refund"}, {"amount", 150}, {"currency", "USD"},
                      {"params", {{"order_id", "A-1001"}, {"reason", marker + " reason"}}}};
  HttpReply held = h_.Post("/v1/events", json::serialize(refund), keys().agent);
  ASSERT_EQ(held.status, 200) << held.body;
  ASSERT_EQ(Str(Parse(held).at("decision")), "hold") << held.body;
  // A handoff with collected slots and a summary.
  json::object ask = event("c-m2", "customer_message", "I want to talk to a real person, " + marker);
  ask["collected"] = {{"name", marker}};
  ask["summary"] = "Customer " + marker + " wants a person.";
  HttpReply handoff = h_.Post("/v1/events", json::serialize(ask), keys().agent);
  ASSERT_EQ(handoff.status, 200) << handoff.body;
  ASSERT_EQ(Str(Parse(handoff).at("decision")), "handoff") << handoff.body;

  // Verdicts with texts: the held refund edited, the handoff answered.
  for (const std::string& token : {keys().reviewer, keys().supervisor}) {
    HttpReply next = h_.Post("/v1/review/next", "", token);
    ASSERT_EQ(next.status, 200) << next.body;
    json::value task = Parse(next);
    const std::string id = Str(task.at("id"));
    json::object verdict{{"verdict", "edited"},
                         {"lease_id", task.at("lease").at("lease_id")},
                         {"edited_text", "Edited for " + marker},
                         {"note", "note about " + marker}};
    HttpReply answered = h_.Post("/v1/review/tasks/" + id + "/verdict", json::serialize(verdict), token);
    ASSERT_EQ(answered.status, 200) << answered.body;
  }
  // A contest with its statement and the supervisor's explanation.
  HttpReply contest = h_.Post("/v1/interactions/c-m1/contest",
                              R"({"statement":"I am )" + marker + R"( and I object","event_index":1})", keys().agent);
  ASSERT_EQ(contest.status, 200) << contest.body;
  HttpReply upheld = h_.Post("/v1/review/tasks/" + Str(Parse(contest).at("task_id")) + "/contest-verdict",
                             R"({"outcome":"upheld","explanation":"Dear )" + marker + R"(, it stands.","override":true})",
                             keys().supervisor);
  ASSERT_EQ(upheld.status, 200) << upheld.body;
  ASSERT_EQ(h_.Post("/v1/interactions/c-m1/csat", R"({"score":2})", keys().agent).status, 200);
  // The webhook receiver failed: the messages (with the texts) still wait.
  api::WebhookSender sender(h_.store(), h_.clock(), {.secret_key = GatewayHarness::kPepper});
  sender.DeliverDueForTest();
  ASSERT_FALSE(failing.received().empty());

  auto files_holding_marker = [&] {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(h_.dir())) {
      if (!entry.is_regular_file()) continue;
      if (ReadTextFile(entry.path().string()).find(marker) != std::string::npos) {
        found.push_back(entry.path().filename().string());
      }
    }
    return found;
  };
  // The test can fail: before the erasure the marker is on disk.
  ASSERT_FALSE(files_holding_marker().empty());

  HttpReply erased = h_.Post("/v1/customers/u-marker/erase", "", keys().admin);
  ASSERT_EQ(erased.status, 200) << erased.body;
  EXPECT_THAT(files_holding_marker(), ::testing::IsEmpty());
  HttpReply exported = h_.Get("/v1/customers/u-marker/export", keys().admin);
  EXPECT_THAT(exported.body, Not(HasSubstr(marker)));
  store::StoreAuditSource src(&h_.store());
  EXPECT_TRUE(audit::VerifyChain(src).ok());
}

}  // namespace
}  // namespace hitlgate::testing
