// The whole gateway over real HTTP, in process (gateway_harness.h): the
// production wiring with a SqliteStore in a temporary folder, the example
// retail policy, a FakeClock the tests move by hand, and an HttpServer on
// 127.0.0.1, port 0. Each test drives the loop an AI agent, reviewers,
// supervisors, auditors and admins go through, and checks what each of them
// sees. Nothing sleeps: waits are joins, the Notifier's wake-ups, reads with
// deadlines, or bounded polls of a real background thread.
//
// Service-level detail (every verdict kind, audit chain verification,
// controls, statistics) is in src/gateway/gateway_test.cc; HTTP framing
// (keep-alive, pipelining, HEAD, header limits) in src/api/http/server_test.cc.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/webhooks/webhook_sender.h"
#include "hitlgate/crypto/mac.h"
#include "integration/gateway_harness.h"
#include "integration/http_client.h"

namespace hitlgate::testing {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;

json::value Json(const HttpReply& r) {
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  EXPECT_FALSE(ec) << "not JSON (HTTP " << r.status << "): " << r.body;
  return ec ? json::value(json::object()) : v;
}

double Num(const json::value& v) { return v.to_number<double>(); }

std::string Str(const json::value& v) { return std::string(v.as_string()); }

std::string ErrorMessage(const HttpReply& r) {
  json::value v = Json(r);
  const json::value* m = v.is_object() ? v.as_object().if_contains("error") : nullptr;
  if (m == nullptr || !m->is_object() || !m->as_object().contains("message")) return "";
  return Str(m->at("message"));
}

// A refund proposal from the retail bot.
std::string Refund(const std::string& interaction, double amount, const std::string& currency = "USD",
                   const std::string& workflow = "retail-bot") {
  json::object e{{"interaction_id", interaction},
                 {"customer_id", "u-" + interaction},
                 {"workflow", workflow},
                 {"channel", "chat"},
                 {"type", "ai_proposal"},
                 {"text", "I have refunded your order."},
                 {"intent", "return_item"},
                 {"confidence", 0.95},
                 {"collected", {{"order_id", "A-1001"}, {"item", "blender"}}},
                 {"action",
                  {{"name", "refund"},
                   {"amount", amount},
                   {"currency", currency},
                   {"params", {{"order_id", "A-1001"}}}}}};
  return json::serialize(e);
}

// Runs until `pred` holds or `limit` passes (for state a real background
// thread changes: the server's I/O threads). True when it held.
bool Eventually(const std::function<bool()>& pred,
                std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

class HttpGatewayTest : public ::testing::Test {
 protected:
  HttpGatewayTest() : h_(HarnessOptions{}) {}
  explicit HttpGatewayTest(HarnessOptions options) : h_(std::move(options)) {}

  const HarnessKeys& keys() const { return h_.keys(); }

  // Submits an event as the retail agent; expects 200.
  json::value Submit(const std::string& event, const std::string& token = "") {
    HttpReply r = h_.Post("/v1/events", event, token.empty() ? keys().agent : token);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r);
  }

  // A held refund's task id.
  std::string HeldTask(const std::string& interaction, double amount = 150) {
    json::value d = Submit(Refund(interaction, amount));
    EXPECT_EQ(Str(d.at("decision")), "hold") << d;
    return d.as_object().contains("task_id") ? Str(d.at("task_id")) : "";
  }

  // The audit log's last sequence number, read over HTTP as the auditor.
  std::int64_t AuditHead() {
    HttpReply r = h_.Get("/v1/audit?from_seq=1&limit=10000", keys().auditor);
    EXPECT_EQ(r.status, 200) << r.body;
    std::int64_t seq = 0;
    size_t start = 0;
    while (start < r.body.size()) {
      size_t nl = r.body.find('\n', start);
      std::string line = r.body.substr(start, nl == std::string::npos ? nl : nl - start);
      if (!line.empty()) seq = json::parse(line).at("seq").as_int64();
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    return seq;
  }

  std::vector<std::string> AuditKinds() {
    HttpReply r = h_.Get("/v1/audit?from_seq=1&limit=10000", keys().auditor);
    std::vector<std::string> kinds;
    size_t start = 0;
    while (start < r.body.size()) {
      size_t nl = r.body.find('\n', start);
      std::string line = r.body.substr(start, nl == std::string::npos ? nl : nl - start);
      if (!line.empty()) kinds.push_back(Str(json::parse(line).at("kind")));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    return kinds;
  }

  GatewayHarness h_;
};

// ---- (a) the whole loop ----

TEST_F(HttpGatewayTest, HeldRefundIsEditedAndTheWaitingAgentGetsTheEditedAction) {
  // The agent proposes a refund over the limit: held for billing.
  json::value d = Submit(Refund("c-loop", 150));
  EXPECT_EQ(Str(d.at("decision")), "hold");
  EXPECT_EQ(Str(d.at("oversight")), "hitl");
  const std::string task_id = Str(d.at("task_id"));
  EXPECT_EQ(Str(d.at("task_url")), "/v1/tasks/" + task_id + "?wait=30s");
  EXPECT_EQ(Str(d.at("route").at("queue")), "billing");

  // The agent long-polls for the verdict before anyone has looked at it.
  HttpReply waited;
  std::chrono::steady_clock::duration waited_for{};
  std::thread agent([&] {
    const auto start = std::chrono::steady_clock::now();
    waited = HttpCall(h_.port(), "GET", "/v1/tasks/" + task_id + "?wait=30s", "", keys().agent, 40);
    waited_for = std::chrono::steady_clock::now() - start;
  });
  // The long-poll is parked on the Notifier (the server's thread got there).
  ASSERT_TRUE(Eventually([&] { return h_.notifier().waiter_count() >= 1; }));

  // A billing reviewer claims the most urgent task and sees the whole context.
  HttpReply claimed = h_.Post("/v1/review/next", "{}", keys().reviewer);
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  json::value task = Json(claimed);
  EXPECT_EQ(Str(task.at("id")), task_id);
  EXPECT_EQ(Str(task.at("status")), "claimed");
  const json::value& context = task.at("context");
  ASSERT_EQ(task.at("transcript").as_array().size(), 1u);
  EXPECT_EQ(Str(task.at("transcript").at(0).at("type")), "ai_proposal");
  EXPECT_EQ(Num(task.at("transcript").at(0).at("action").at("amount")), 150);
  EXPECT_EQ(Str(context.at("collected").at("order_id")), "A-1001");
  bool refund_rule = false;
  for (const json::value& reason : context.at("decision").at("reasons").as_array()) {
    refund_rule |= Str(reason.at("rule")) == "refunds-over-100";
  }
  EXPECT_TRUE(refund_rule) << context.at("decision");
  const std::string lease = Str(task.at("lease").at("lease_id"));

  // The reviewer lowers the refund to 100.
  const std::string verdict =
      R"({"verdict":"edited","lease_id":")" + lease +
      R"(","edited_action":{"name":"refund","amount":100,"currency":"USD","params":{"order_id":"A-1001"}},"note":"partial refund"})";
  HttpReply answered = h_.Post("/v1/review/tasks/" + task_id + "/verdict", verdict, keys().reviewer);
  ASSERT_EQ(answered.status, 200) << answered.body;
  EXPECT_EQ(Str(Json(answered).at("status")), "answered");

  // The waiting agent wakes (through the Notifier, long before its 30 s) with
  // the edited action to deliver.
  agent.join();
  ASSERT_EQ(waited.status, 200) << waited.body;
  EXPECT_LT(waited_for, std::chrono::seconds(10));
  json::value view = Json(waited);
  EXPECT_EQ(Str(view.at("status")), "answered");
  EXPECT_EQ(Str(view.at("verdict").at("kind")), "edited");
  EXPECT_TRUE(view.at("final").at("deliver").as_bool());
  EXPECT_EQ(Num(view.at("final").at("action").at("amount")), 100);
  EXPECT_EQ(Str(view.at("final").at("action").at("params").at("order_id")), "A-1001");

  // A settled task answers a long-poll at once.
  HttpReply again = h_.Get("/v1/tasks/" + task_id + "?wait=30s", keys().agent);
  EXPECT_EQ(Str(Json(again).at("status")), "answered");

  // One verdict per task, whoever sends the second.
  HttpReply twice = h_.Post("/v1/review/tasks/" + task_id + "/verdict", verdict, keys().reviewer);
  EXPECT_EQ(twice.status, 409) << twice.body;
  const std::string other = h_.MintKey("second reviewer", store::Role::kReviewer, {"billing"});
  HttpReply from_other = h_.Post("/v1/review/tasks/" + task_id + "/verdict",
                                 R"({"verdict":"approved","lease_id":")" + lease + R"("})", other);
  EXPECT_EQ(from_other.status, 409) << from_other.body;
  HttpReply overridden = h_.Post("/v1/review/tasks/" + task_id + "/verdict",
                                 R"({"verdict":"approved","override":true})", keys().supervisor);
  EXPECT_EQ(overridden.status, 409) << overridden.body;
  EXPECT_EQ(Num(Json(h_.Get("/v1/tasks/" + task_id, keys().agent)).at("final").at("action").at("amount")),
            100);
}

TEST_F(HttpGatewayTest, SmallRefundIsAllowedWithoutATask) {
  json::value d = Submit(Refund("c-small", 20));
  EXPECT_EQ(Str(d.at("decision")), "allow_monitored");
  EXPECT_FALSE(d.as_object().contains("task_id"));
}

TEST_F(HttpGatewayTest, SameEventTwiceReturnsIdenticalBytesMarkedAsReplayed) {
  json::value e = json::parse(Refund("c-idem", 150));
  e.as_object()["event_id"] = "evt-1";
  HttpReply first = h_.Post("/v1/events", json::serialize(e), keys().agent);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Header("Idempotent-Replayed"), "");
  const std::int64_t head = AuditHead();
  // The same event, its keys in another order: still the same event.
  json::object reordered;
  const json::object& o = e.as_object();
  for (auto it = o.end(); it != o.begin();) {
    --it;
    reordered[it->key()] = it->value();
  }
  HttpReply again = h_.Post("/v1/events", json::serialize(reordered), keys().agent);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("Idempotent-Replayed"), "true");
  EXPECT_EQ(AuditHead(), head) << "a retry writes nothing";
}

TEST_F(HttpGatewayTest, RetryWithAChangedRefundIsAConflictAndTheHoldStands) {
  json::value e = json::parse(Refund("c-idem-409", 150));
  e.as_object()["event_id"] = "evt-409";
  HttpReply first = h_.Post("/v1/events", json::serialize(e), keys().agent);
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string task_id = Str(json::parse(first.body).at("task_id"));
  e.as_object()["action"].as_object()["amount"] = 20;
  HttpReply changed = h_.Post("/v1/events", json::serialize(e), keys().agent);
  EXPECT_EQ(changed.status, 409) << changed.body;
  EXPECT_THAT(ErrorMessage(changed), HasSubstr("action.amount"));
  json::value task = Json(h_.Get("/v1/tasks/" + task_id, keys().agent));
  EXPECT_EQ(Str(task.at("status")), "pending") << "the held refund still waits for a person";
}

TEST_F(HttpGatewayTest, AgentStreamsCarryTheirOwnWorkflowsEventsOnly) {
  SseConnection retail_stream, billing_stream;
  ASSERT_EQ(retail_stream.Open(h_.port(), "/v1/stream?topics=decision", keys().agent), 200);
  ASSERT_EQ(billing_stream.Open(h_.port(), "/v1/stream?topics=decision", keys().other_agent), 200);
  ASSERT_TRUE(retail_stream.WaitForEvent("hello", std::chrono::seconds(10), nullptr));
  ASSERT_TRUE(billing_stream.WaitForEvent("hello", std::chrono::seconds(10), nullptr));
  ASSERT_EQ(h_.Post("/v1/events", Refund("c-stream-b", 20, "USD", "billing-bot"), keys().other_agent).status, 200);
  ASSERT_EQ(h_.Post("/v1/events", Refund("c-stream-r", 20), keys().agent).status, 200);
  std::string data;
  ASSERT_TRUE(retail_stream.WaitForEvent("decision", std::chrono::seconds(10), &data));
  EXPECT_EQ(Str(json::parse(data).at("interaction_id")), "c-stream-r")
      << "the billing-bot decision, published first, never reached the retail-bot agent";
  ASSERT_TRUE(billing_stream.WaitForEvent("decision", std::chrono::seconds(10), &data));
  EXPECT_EQ(Str(json::parse(data).at("interaction_id")), "c-stream-b");
  retail_stream.Close();
  billing_stream.Close();
}

TEST_F(HttpGatewayTest, EventOfAWorkflowThePolicyDoesNotDeclareIsRefusedNamingIt) {
  HttpReply r = h_.Post("/v1/events", Refund("c-ghost", 20, "USD", "ghost-bot"), keys().admin);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_THAT(ErrorMessage(r), HasSubstr("'ghost-bot'"));
}

TEST_F(HttpGatewayTest, AgentKeyWithoutWorkflowsIsRefusedAndStarMeansEvery) {
  HttpReply unscoped = h_.Post("/v1/keys", R"({"name":"lazy","role":"agent"})", keys().admin);
  EXPECT_EQ(unscoped.status, 400) << unscoped.body;
  EXPECT_THAT(ErrorMessage(unscoped), HasSubstr("workflows"));
  HttpReply every = h_.Post("/v1/keys", R"({"name":"all","role":"agent","workflows":["*"]})", keys().admin);
  ASSERT_EQ(every.status, 200) << every.body;
  const std::string token = Str(json::parse(every.body).at("token"));
  EXPECT_EQ(h_.Post("/v1/events", Refund("c-star-1", 20), token).status, 200);
  EXPECT_EQ(h_.Post("/v1/events", Refund("c-star-2", 20, "USD", "billing-bot"), token).status, 200);
}

// ---- (b) lease expiry ----

TEST_F(HttpGatewayTest, ExpiredLeaseIsLostAndTheTaskIsClaimableAgain) {
  const std::string task_id = HeldTask("c-lease");
  HttpReply claimed = h_.Post("/v1/review/tasks/" + task_id + "/claim", "", keys().reviewer);
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  const std::string lease = Str(Json(claimed).at("lease").at("lease_id"));
  const std::string lease_body = R"({"lease_id":")" + lease + R"("})";

  // Renewal works while the lease lives.
  h_.clock().Advance(std::chrono::seconds(30));
  HttpReply renewed = h_.Post("/v1/review/tasks/" + task_id + "/renew", lease_body, keys().reviewer);
  ASSERT_EQ(renewed.status, 200) << renewed.body;

  // Past the (renewed) lease, the periodic work puts the task back.
  h_.clock().Advance(std::chrono::seconds(61));
  auto tick = h_.gateway().Tick();
  ASSERT_TRUE(tick.has_value()) << tick.error().ToString();
  EXPECT_EQ(tick->leases_expired, 1);

  // Key use is audited once a minute per key, and a minute has passed:
  // use the key once, so that only writes could move the head below.
  h_.Get("/v1/me", keys().reviewer);
  const std::int64_t head = AuditHead();
  HttpReply late_renew = h_.Post("/v1/review/tasks/" + task_id + "/renew", lease_body, keys().reviewer);
  EXPECT_EQ(late_renew.status, 409) << late_renew.body;
  HttpReply late_verdict = h_.Post("/v1/review/tasks/" + task_id + "/verdict",
                                   R"({"verdict":"approved","lease_id":")" + lease + R"("})",
                                   keys().reviewer);
  EXPECT_EQ(late_verdict.status, 409) << late_verdict.body;
  EXPECT_EQ(AuditHead(), head) << "a refused verdict wrote something";

  json::value open = Json(h_.Get("/v1/review/tasks/" + task_id, keys().reviewer));
  EXPECT_EQ(Str(open.at("status")), "open");
  EXPECT_TRUE(open.at("verdict").is_null());

  // Claimable again, under a new lease.
  HttpReply again = h_.Post("/v1/review/next", "", keys().reviewer);
  ASSERT_EQ(again.status, 200) << again.body;
  json::value task = Json(again);
  EXPECT_EQ(Str(task.at("id")), task_id);
  EXPECT_NE(Str(task.at("lease").at("lease_id")), lease);
  EXPECT_EQ(task.at("claim_count").as_int64(), 2);
}

TEST_F(HttpGatewayTest, ReleasedTaskGoesBackToItsQueue) {
  const std::string task_id = HeldTask("c-release");
  json::value task = Json(h_.Post("/v1/review/next", "", keys().reviewer));
  const std::string lease = Str(task.at("lease").at("lease_id"));
  HttpReply released = h_.Post("/v1/review/tasks/" + task_id + "/release",
                               R"({"lease_id":")" + lease + R"("})", keys().reviewer);
  ASSERT_EQ(released.status, 200) << released.body;
  EXPECT_EQ(Str(Json(released).at("status")), "open");
  json::value queues = Json(h_.Get("/v1/review/queues", keys().reviewer));
  bool billing_open = false;
  for (const json::value& q : queues.at("queues").as_array()) {
    if (Str(q.at("name")) == "billing") billing_open = q.at("open").as_int64() == 1;
  }
  EXPECT_TRUE(billing_open) << queues;
}

// ---- (c) SLA breach ----

TEST_F(HttpGatewayTest, SlaBreachEscalatesToSupervisorsAndTheirStreamHearsIt) {
  const std::string task_id = HeldTask("c-sla");

  // A supervisor's console listens to task events.
  SseConnection stream;
  ASSERT_EQ(stream.Open(h_.port(), "/v1/stream?topics=task.", keys().supervisor), 200);
  ASSERT_TRUE(stream.WaitForEvent("hello", std::chrono::seconds(10), nullptr));

  // Billing's SLA is 120 s.
  h_.clock().Advance(std::chrono::seconds(121));
  auto tick = h_.gateway().Tick();
  ASSERT_TRUE(tick.has_value()) << tick.error().ToString();
  EXPECT_EQ(tick->escalated, 1);

  std::string data;
  ASSERT_TRUE(stream.WaitForEvent("task.escalated", std::chrono::seconds(10), &data));
  json::value event = json::parse(data);
  EXPECT_EQ(Str(event.at("id")), task_id);
  EXPECT_EQ(Str(event.at("queue")), "supervisors");
  EXPECT_EQ(event.at("priority").as_int64(), 1);
  EXPECT_TRUE(event.at("escalated").as_bool());
  stream.Close();

  // Reviewers do not work the escalation queue, whichever way they ask.
  EXPECT_EQ(h_.Post("/v1/review/next", "{}", keys().reviewer).status, 404);
  EXPECT_EQ(h_.Post("/v1/review/next", R"({"queues":["supervisors"]})", keys().reviewer).status, 403);
  HttpReply direct = h_.Post("/v1/review/tasks/" + task_id + "/claim", "", keys().reviewer);
  EXPECT_EQ(direct.status, 403) << direct.body;
  auto can_claim = [&](const std::string& token) {
    json::value list = Json(h_.Get("/v1/review/tasks?queue=supervisors", token));
    const json::array& tasks = list.at("tasks").as_array();
    return tasks.size() == 1 && tasks[0].at("can_claim").as_bool();
  };
  EXPECT_FALSE(can_claim(keys().reviewer));
  EXPECT_TRUE(can_claim(keys().supervisor));

  // A supervisor does.
  HttpReply claimed = h_.Post("/v1/review/next", "{}", keys().supervisor);
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  json::value task = Json(claimed);
  EXPECT_EQ(Str(task.at("id")), task_id);
  EXPECT_EQ(Str(task.at("queue")), "supervisors");
  EXPECT_EQ(task.at("priority").as_int64(), 1);

  // The agent sees the escalation too.
  json::value view = Json(h_.Get("/v1/tasks/" + task_id, keys().agent));
  EXPECT_TRUE(view.at("escalated").as_bool());
}

TEST_F(HttpGatewayTest, HoldNoticeWakesTheWaitingAgentWithAHoldingMessage) {
  const std::string task_id = HeldTask("c-notice");
  HttpReply waited;
  std::thread agent([&] {
    waited = HttpCall(h_.port(), "GET", "/v1/tasks/" + task_id + "?wait=30s", "", keys().agent, 40);
  });
  ASSERT_TRUE(Eventually([&] { return h_.notifier().waiter_count() >= 1; }));
  // The retail policy's hold notice comes after 20 s.
  h_.clock().Advance(std::chrono::seconds(21));
  auto tick = h_.gateway().Tick();
  ASSERT_TRUE(tick.has_value());
  EXPECT_EQ(tick->hold_notices, 1);
  agent.join();
  ASSERT_EQ(waited.status, 200) << waited.body;
  json::value view = Json(waited);
  EXPECT_EQ(Str(view.at("status")), "pending");
  EXPECT_GT(Num(view.at("holding_message").at("expected_wait_seconds")), 0);
}

TEST_F(HttpGatewayTest, AgentsDeadlineEndsItsLongPollWithTheFallback) {
  json::value event = json::parse(Refund("c-deadline", 150));
  event.as_object()["deadline_ms"] = 1000;
  json::value d = Submit(json::serialize(event));
  ASSERT_EQ(Str(d.at("decision")), "hold") << d;
  EXPECT_EQ(Str(d.at("on_deadline")), "fail_closed");  // the retail policy's default
  EXPECT_FALSE(Str(d.at("wait_message")).empty());
  const std::string task_id = Str(d.at("task_id"));
  HttpReply waited;
  const auto started = std::chrono::steady_clock::now();
  std::thread agent([&] {
    waited = HttpCall(h_.port(), "GET", "/v1/tasks/" + task_id + "?wait=30s", "", keys().agent, 40);
  });
  ASSERT_TRUE(Eventually([&] { return h_.notifier().waiter_count() >= 1; }));
  // The waiter arms before it reads the task: give the read time to finish,
  // so the wait itself (capped at the deadline) is what ends. Then business
  // time passes the deadline with no tick: the read after the capped wait
  // settles the task.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  h_.clock().Advance(std::chrono::seconds(2));
  agent.join();
  const auto waited_for = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(waited.status, 200) << waited.body;
  json::value view = Json(waited);
  EXPECT_EQ(Str(view.at("status")), "expired");
  EXPECT_FALSE(view.at("final").at("deliver").as_bool());
  EXPECT_EQ(Str(view.at("final").at("fallback")), "fail_closed");
  EXPECT_LT(waited_for, std::chrono::seconds(15)) << "the wait ended at the deadline, not after 30 s";
}

// ---- (d) handoff with context ----

TEST_F(HttpGatewayTest, HandoffCarriesTheEarlierTurnsCollectedSlotsAndSummary) {
  auto event = [](const std::string& type, const std::string& text) {
    return json::object{{"interaction_id", "c-handoff"}, {"customer_id", "u-77"},
                        {"workflow", "retail-bot"},      {"channel", "chat"},
                        {"type", type},                  {"text", text}};
  };
  EXPECT_EQ(Str(Submit(json::serialize(event("customer_message", "Hi, my blender arrived broken.")))
                    .at("decision")),
            "allow");
  json::object proposal = event("ai_proposal", "Sorry to hear that! Shall I send a replacement?");
  proposal["intent"] = "return_item";
  proposal["confidence"] = 0.9;
  Submit(json::serialize(proposal));
  json::object ask = event("customer_message", "No. I want to talk to a real person");
  ask["collected"] = {{"order_id", "W-2378156"}, {"item", "blender"}};
  ask["summary"] = "Blender arrived broken; the AI offered a replacement; the customer wants a person.";
  json::value d = Submit(json::serialize(ask));
  EXPECT_EQ(Str(d.at("decision")), "handoff");
  ASSERT_TRUE(d.as_object().contains("task_id")) << d;
  const std::string task_id = Str(d.at("task_id"));
  EXPECT_EQ(Str(d.at("route").at("queue")), "supervisors");

  HttpReply got = h_.Get("/v1/review/tasks/" + task_id, keys().supervisor);
  ASSERT_EQ(got.status, 200) << got.body;
  json::value task = Json(got);
  EXPECT_EQ(Str(task.at("kind")), "handoff");
  const json::value& context = task.at("context");
  const json::array& transcript = task.at("transcript").as_array();
  ASSERT_EQ(transcript.size(), 3u) << context;
  EXPECT_EQ(Str(transcript[0].at("text")), "Hi, my blender arrived broken.");
  EXPECT_EQ(Str(transcript[0].at("decision")), "allow");
  EXPECT_EQ(Str(transcript[1].at("type")), "ai_proposal");
  EXPECT_EQ(Str(transcript[1].at("text")), "Sorry to hear that! Shall I send a replacement?");
  EXPECT_EQ(Str(transcript[2].at("text")), "No. I want to talk to a real person");
  EXPECT_EQ(Str(transcript[2].at("decision")), "handoff");
  EXPECT_EQ(Str(context.at("collected").at("order_id")), "W-2378156");
  EXPECT_EQ(Str(context.at("collected").at("item")), "blender");
  EXPECT_THAT(Str(context.at("summary")), HasSubstr("wants a person"));
  EXPECT_TRUE(context.at("decision").at("signals").at("human_request").as_bool());

  // The whole interaction is on record for reviewers.
  json::value record = Json(h_.Get("/v1/interactions/c-handoff", keys().reviewer));
  EXPECT_EQ(record.at("events").as_array().size(), 3u);
  EXPECT_EQ(record.at("tasks").as_array().size(), 1u);

  // Handoffs to the supervisors' queue are for supervisors.
  EXPECT_EQ(h_.Post("/v1/review/tasks/" + task_id + "/claim", "", keys().reviewer).status, 403);
  HttpReply taken = h_.Post("/v1/review/tasks/" + task_id + "/claim", "", keys().supervisor);
  EXPECT_EQ(taken.status, 200) << taken.body;
}

TEST_F(HttpGatewayTest, ReviewerSeesTheCustomersEarlierContactsNewestFirst) {
  auto message = [](const std::string& interaction, const std::string& at, const std::string& text,
                    const std::string& customer = "u-history") {
    return json::serialize(json::object{{"interaction_id", interaction}, {"customer_id", customer},
                                        {"workflow", "retail-bot"},     {"channel", "chat"},
                                        {"type", "customer_message"},   {"text", text},
                                        {"at", at}});
  };
  // Each earlier contact is sent when it happened: an event's time must be
  // near the server's clock (serve --event-clock-skew).
  const TimePoint today = h_.clock().Now();
  auto then = [&](const std::string& at) { h_.clock().Set(*ParseRfc3339(at)); };
  then("2026-11-20T09:00:00Z");
  Submit(message("c-old-1", "2026-11-20T09:00:00Z", "Where is my parcel W-1?"));
  then("2026-11-21T09:00:00Z");
  Submit(message("c-old-2", "2026-11-21T09:00:00Z", "The parcel W-1 still has not arrived."));
  then("2026-11-21T10:00:00Z");
  Submit(message("c-other-customer", "2026-11-21T10:00:00Z", "Unrelated", "u-someone-else"));
  h_.clock().Set(today);
  json::object refund = json::parse(Refund("c-now", 150)).as_object();
  refund["customer_id"] = "u-history";
  json::value held = Submit(json::serialize(refund));
  ASSERT_EQ(Str(held.at("decision")), "hold") << held;

  json::value task = Json(h_.Get("/v1/review/tasks/" + Str(held.at("task_id")), keys().reviewer));
  const json::array& contacts = task.at("recent_contacts").as_array();
  ASSERT_EQ(contacts.size(), 2u) << task;
  EXPECT_EQ(Str(contacts[0].at("interaction_id")), "c-old-2");
  EXPECT_EQ(Str(contacts[0].at("first_message")), "The parcel W-1 still has not arrived.");
  EXPECT_EQ(Str(contacts[1].at("interaction_id")), "c-old-1");
  EXPECT_EQ(contacts[1].at("events").as_int64(), 1);
  EXPECT_EQ(Str(contacts[1].at("strictest_decision")), "allow");
}

// ---- (e) webhooks ----

TEST_F(HttpGatewayTest, WebhookIsSignedRetriedAfterBackoffAndDeliveredOnce) {
  WebhookReceiver receiver({500, 200});
  const std::string secret = "whsec-0123456789abcdef";
  HttpReply set = h_.Call("PUT", "/v1/webhooks/retail-bot",
                          R"({"url":")" + receiver.url() + R"(","secret":")" + secret + R"("})",
                          keys().admin);
  ASSERT_EQ(set.status, 200) << set.body;

  const std::string task_id = HeldTask("c-hook");
  json::value task = Json(h_.Post("/v1/review/next", "", keys().reviewer));
  HttpReply answered =
      h_.Post("/v1/review/tasks/" + task_id + "/verdict",
              R"({"verdict":"approved","lease_id":")" + Str(task.at("lease").at("lease_id")) + R"("})",
              keys().reviewer);
  ASSERT_EQ(answered.status, 200) << answered.body;

  // Stored sealed: the database does not hold the secret.
  auto stored = h_.store().ListWebhooks();
  ASSERT_TRUE(stored.has_value());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].secret.find(secret), std::string::npos);

  api::WebhookSender sender(h_.store(), h_.clock(), {.secret_key = GatewayHarness::kPepper});
  // First attempt: the receiver answers 500.
  EXPECT_EQ(sender.DeliverDueForTest(), 0);
  ASSERT_EQ(receiver.received().size(), 1u);
  // Not due again before the backoff.
  EXPECT_EQ(sender.DeliverDueForTest(), 0);
  EXPECT_EQ(receiver.received().size(), 1u);
  // After it, the retry arrives and is accepted.
  h_.clock().Advance(api::BackoffAfter(0, std::chrono::minutes(10)));
  EXPECT_EQ(sender.DeliverDueForTest(), 1);
  ASSERT_EQ(receiver.received().size(), 2u);
  // Delivered: never sent again.
  h_.clock().Advance(std::chrono::hours(1));
  EXPECT_EQ(sender.DeliverDueForTest(), 0);
  EXPECT_EQ(receiver.received().size(), 2u);

  const auto received = receiver.received();
  for (const WebhookReceiver::Received& r : received) {
    EXPECT_EQ(r.target, "/hooks/hitlgate");
    EXPECT_EQ(r.Header("x-hitlgate-event"), "task.answered");
    const std::string ts = r.Header("x-hitlgate-timestamp");
    ASSERT_FALSE(ts.empty());
    EXPECT_EQ(r.Header("x-hitlgate-signature"), "sha256=" + crypto::HmacSha256Hex(secret, ts + "." + r.body));
    EXPECT_NE(r.Header("x-hitlgate-signature"),
              "sha256=" + crypto::HmacSha256Hex("wrong-secret-0123456", ts + "." + r.body));
    json::value payload = json::parse(r.body);
    EXPECT_EQ(Str(payload.at("task_id")), task_id);
    EXPECT_EQ(Str(payload.at("status")), "answered");
    EXPECT_TRUE(payload.at("final").at("deliver").as_bool());
  }
  // The same delivery id both times (receivers de-duplicate on it), and the
  // retry carries the later timestamp.
  EXPECT_EQ(received[0].Header("x-hitlgate-delivery"), received[1].Header("x-hitlgate-delivery"));
  EXPECT_EQ(received[0].body, received[1].body);
  EXPECT_LT(std::stoll(received[0].Header("x-hitlgate-timestamp")),
            std::stoll(received[1].Header("x-hitlgate-timestamp")));

  std::vector<std::string> kinds = AuditKinds();
  EXPECT_THAT(kinds, ::testing::Contains("webhook_failed"));
  EXPECT_THAT(kinds, ::testing::Contains("webhook_delivered"));
}

// ---- (f) roles ----

struct Endpoint {
  std::string method;
  std::string route;  // the pattern as registered in src/api/handlers
  std::string path;   // what is called
  std::string body;
  std::set<std::string> allowed;  // role names; "public" = no key needed
};

// What the role table needs from a running gateway.
struct RoleFixtures {
  std::string task_id;     // a held retail-bot task
  std::string other_task;  // a held billing-bot task
  std::string version;     // the active policy version
  std::string policy_yaml;
  std::string cases_yaml;
};

// Every endpoint, with a body it accepts and the roles that may call it.
std::vector<Endpoint> RoleTable(const RoleFixtures& f) {
  const std::set<std::string> kEvery = {"agent", "other_agent", "reviewer", "supervisor", "auditor", "admin"};
  const std::set<std::string> kPeople = {"reviewer", "supervisor", "auditor", "admin"};
  const std::set<std::string> kWorkers = {"reviewer", "supervisor", "admin"};
  const std::set<std::string> kSupervise = {"supervisor", "admin"};
  const std::set<std::string> kAdmin = {"admin"};
  const std::string bogus_lease = R"({"lease_id":"l-00000000000000ff"})";
  const std::string task = "/v1/review/tasks/" + f.task_id;
  const std::string policy_test =
      json::serialize(json::object{{"policy", f.policy_yaml}, {"cases", f.cases_yaml}});
  return {
      {"GET", "/healthz", "/healthz", "", {"public"}},
      {"GET", "/readyz", "/readyz", "", {"public"}},
      {"GET", "/metrics", "/metrics", "", {"public"}},
      // Agents.
      {"POST", "/v1/events", "/v1/events", Refund("c-roles-events", 20), {"agent", "admin"}},
      {"GET", "/v1/tasks/{id}", "/v1/tasks/" + f.task_id, "",
       {"agent", "reviewer", "supervisor", "auditor", "admin"}},
      {"GET", "/v1/tasks/{id}", "/v1/tasks/" + f.other_task, "",
       {"other_agent", "reviewer", "supervisor", "auditor", "admin"}},
      {"GET", "/v1/stream", "/v1/stream?topics=task.", "", kEvery},
      // Reviewers.
      {"GET", "/v1/review/queues", "/v1/review/queues", "", kPeople},
      {"GET", "/v1/review/tasks", "/v1/review/tasks", "", kPeople},
      {"GET", "/v1/review/tasks/{id}", task, "", kPeople},
      // Auditors claim from the audit queue only (nothing there: 404).
      {"POST", "/v1/review/next", "/v1/review/next", R"({"queues":["general"]})", kPeople},
      {"POST", "/v1/review/tasks/{id}/claim", task + "/claim", "", kWorkers},
      {"GET", "/v1/review/tasks/{id}/assist", task + "/assist", "", kWorkers},
      {"POST", "/v1/review/tasks/{id}/assist/feedback", task + "/assist/feedback",
       R"({"action":"offer-refund","judgement":"wrong"})", kWorkers},
      {"GET", "/v1/assist/knowledge", "/v1/assist/knowledge", "", kWorkers},
      {"PUT", "/v1/assist/knowledge", "/v1/assist/knowledge", "{}", kAdmin},
      {"GET", "/v1/assist/knowledge/versions", "/v1/assist/knowledge/versions", "", kWorkers},
      {"POST", "/v1/assist/knowledge/versions/{id}/activate", "/v1/assist/knowledge/versions/sha256:x/activate", "",
       kAdmin},
      // Auditors renew and release their own audit-sample leases; a bogus
      // lease is refused by the store (409), not by role.
      {"POST", "/v1/review/tasks/{id}/renew", task + "/renew", bogus_lease, kPeople},
      {"POST", "/v1/review/tasks/{id}/release", task + "/release", bogus_lease, kPeople},
      {"POST", "/v1/review/tasks/{id}/verdict", task + "/verdict",
       R"({"verdict":"approved","lease_id":"l-00000000000000ff"})", kWorkers},
      {"GET", "/v1/interactions/{id}", "/v1/interactions/c-roles", "", kPeople},
      // Admins and auditors.
      {"GET", "/v1/me", "/v1/me", "", kEvery},
      {"GET", "/v1/policies", "/v1/policies", "", kPeople},
      {"GET", "/v1/policies/{version}", "/v1/policies/active", "", kPeople},
      {"POST", "/v1/policies/validate", "/v1/policies/validate", f.policy_yaml, kAdmin},
      {"POST", "/v1/policies", "/v1/policies", f.policy_yaml, kAdmin},
      {"POST", "/v1/policies/{version}/activate", "/v1/policies/" + f.version + "/activate", "", kAdmin},
      {"POST", "/v1/policies/test", "/v1/policies/test", policy_test, kAdmin},
      {"GET", "/v1/keys", "/v1/keys", "", kAdmin},
      {"POST", "/v1/keys", "/v1/keys", R"({"name":"made in the role test","role":"agent","workflows":["*"]})", kAdmin},
      {"DELETE", "/v1/keys/{id}", "/v1/keys/000000000000", "", kAdmin},
      {"PUT", "/v1/webhooks/{workflow}", "/v1/webhooks/retail-bot",
       R"({"url":"http://127.0.0.1:9/h","secret":"0123456789abcdef"})", kAdmin},
      {"GET", "/v1/audit", "/v1/audit", "", {"auditor", "admin"}},
      // Supervisors.
      {"GET", "/v1/workflows", "/v1/workflows", "", kPeople},
      {"POST", "/v1/workflows/{workflow}/pause", "/v1/workflows/billing-bot/pause", R"({"reason":"role test"})",
       kSupervise},
      {"POST", "/v1/workflows/{workflow}/resume", "/v1/workflows/billing-bot/resume", "", kSupervise},
      {"POST", "/v1/interactions/{id}/hold-next", "/v1/interactions/c-roles-controls/hold-next", "", kSupervise},
      {"POST", "/v1/interactions/{id}/takeover", "/v1/interactions/c-roles-controls/takeover",
       R"({"reason":"role test"})", kSupervise},
      {"POST", "/v1/interactions/{id}/handback", "/v1/interactions/c-roles-controls/handback", "", kSupervise},
      {"GET", "/v1/stats", "/v1/stats?window=3600", "", {"supervisor", "auditor", "admin"}},
      {"GET", "/v1/autonomy", "/v1/autonomy", "", {"supervisor", "auditor", "admin"}},
      // Approval receipts' keys: public; rotation by admins.
      {"GET", "/v1/receipt-keys", "/v1/receipt-keys", "", {"public"}},
      {"POST", "/v1/receipt-keys/rotate", "/v1/receipt-keys/rotate", "", kAdmin},
      // Customers' rights (docs/data-protection.md). The first allowed call
      // opens the contest; later ones get 409, never 401/403.
      {"POST", "/v1/interactions/{id}/contest", "/v1/interactions/c-roles/contest",
       R"({"statement":"role test","requested_by":"operator"})", {"agent", "supervisor", "admin"}},
      {"POST", "/v1/review/tasks/{id}/contest-verdict", "/v1/review/tasks/t-00000000000000ff/contest-verdict",
       R"({"outcome":"upheld","explanation":"role test","override":true})", kWorkers},
      {"GET", "/v1/customers/{id}/export", "/v1/customers/u-roles-nobody/export", "", {"auditor", "admin"}},
      {"POST", "/v1/customers/{id}/erase", "/v1/customers/u-roles-nobody/erase", "", kAdmin},
      {"GET", "/v1/legal-holds", "/v1/legal-holds", "", {"auditor", "admin"}},
      {"POST", "/v1/legal-holds", "/v1/legal-holds", R"({"customer_id":"u-roles-held","reason":"role test"})",
       kAdmin},
      {"POST", "/v1/legal-holds/release", "/v1/legal-holds/release", R"({"customer_id":"u-roles-nobody"})",
       kAdmin},
      // Measurement (docs/measure.md).
      {"POST", "/v1/interactions/{id}/csat", "/v1/interactions/c-roles/csat", R"({"score":4})",
       {"agent", "admin"}},
      {"GET", "/v1/metrics/effectiveness", "/v1/metrics/effectiveness", "", {"supervisor", "auditor", "admin"}},
      {"GET", "/v1/shadow", "/v1/shadow", "", {"supervisor", "auditor", "admin"}},
      {"POST", "/v1/shadow", "/v1/shadow", R"({"version":")" + f.version + R"("})", kAdmin},
      {"DELETE", "/v1/shadow", "/v1/shadow", "", kAdmin},
      {"POST", "/v1/policies/{version}/replay", "/v1/policies/" + f.version + "/replay", "",
       {"supervisor", "auditor", "admin"}},
      {"POST", "/v1/staffing", "/v1/staffing",
       R"({"arrivals_per_hour":200,"escalation_rate":0.5,"handle_seconds":120,"simulated_tasks":1000})",
       {"supervisor", "auditor", "admin"}},
  };
}

// "METHOD /pattern" for every router.Add in src/api/handlers.
std::set<std::string> RegisteredRoutes() {
  std::set<std::string> routes;
  const std::regex add(R"re(router\.Add\((?:V|http::verb)::(\w+),\s*"([^"]+)")re");
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(HITLGATE_SOURCE_DIR) + "/src/api/handlers")) {
    if (entry.path().extension() != ".cc") continue;
    const std::string text = ReadTextFile(entry.path().string());
    for (std::sregex_iterator it(text.begin(), text.end(), add), end; it != end; ++it) {
      std::string method = (*it)[1].str();
      if (method == "delete_") method = "delete";
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      routes.insert(method + " " + (*it)[2].str());
    }
  }
  return routes;
}

TEST(HttpGatewayRoutesTest, EveryRegisteredRouteIsInTheRoleTableAndTheOpenApiDocument) {
  const std::set<std::string> registered = RegisteredRoutes();
  ASSERT_GE(registered.size(), 30u);
  std::set<std::string> tabled;
  for (const Endpoint& e : RoleTable({"t-1", "t-2", "sha256:0", "policy: x", ""})) {
    tabled.insert(e.method + " " + e.route);
  }
  EXPECT_EQ(tabled, registered) << "add the new endpoint to RoleTable (and docs/openapi.yaml)";

  // docs/openapi.yaml: each path once, with each of its methods.
  const std::string doc = ReadTextFile(std::string(HITLGATE_SOURCE_DIR) + "/docs/openapi.yaml");
  for (const std::string& route : registered) {
    const size_t space = route.find(' ');
    std::string method = route.substr(0, space);
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string path = route.substr(space + 1);
    const size_t at = doc.find("\n  " + path + ":\n");
    ASSERT_NE(at, std::string::npos) << path << " is not in docs/openapi.yaml";
    // The path's block runs to the next path (or the components).
    size_t end = doc.find("\n  /", at + 1);
    end = std::min(end, doc.find("\ncomponents:", at));
    EXPECT_NE(doc.substr(at, end - at).find("\n    " + method + ":\n"), std::string::npos)
        << route << " is not in docs/openapi.yaml";
  }
}

TEST_F(HttpGatewayTest, EveryEndpointEnforcesAuthenticationAndRoles) {
  RoleFixtures f;
  f.task_id = HeldTask("c-roles");
  // A task of another workflow, submitted by that workflow's agent.
  HttpReply other = h_.Post("/v1/events", Refund("c-roles-other", 150, "USD", "billing-bot"), keys().other_agent);
  ASSERT_EQ(other.status, 200) << other.body;
  f.other_task = Str(Json(other).at("task_id"));
  f.version = Str(Json(h_.Get("/v1/policies/active", keys().admin)).at("version"));
  f.policy_yaml = h_.policy_yaml();
  f.cases_yaml = ReadTextFile(std::string(HITLGATE_SOURCE_DIR) + "/examples/policies/retail.cases.yaml");
  const std::string& other_task = f.other_task;
  const std::vector<Endpoint> endpoints = RoleTable(f);
  const std::vector<std::pair<std::string, std::string>> roles = {
      {"agent", keys().agent},           {"other_agent", keys().other_agent},
      {"reviewer", keys().reviewer},     {"supervisor", keys().supervisor},
      {"auditor", keys().auditor},       {"admin", keys().admin}};
  const std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> no_keys = {
      {"no Authorization header", {}},
      {"unknown key", {{"Authorization", "Bearer hg_000000000000_" + std::string(64, '0')}}},
      {"wrong secret", {{"Authorization", "Bearer hg_a1b2c3d4e5f6_" + std::string(64, '8')}}},
      {"malformed token", {{"Authorization", "Bearer not-a-key"}}},
      {"not Bearer", {{"Authorization", "Basic YWRtaW46YWRtaW4="}}},
  };

  auto call = [&](const Endpoint& e, const std::vector<std::pair<std::string, std::string>>& headers) {
    HttpOptions o;
    o.body = e.body;
    o.headers = headers;
    o.headers_only = e.path.starts_with("/v1/stream");  // an open stream never ends by itself
    return HttpRequest(h_.port(), e.method, e.path, o);
  };

  for (const Endpoint& e : endpoints) {
    SCOPED_TRACE(e.method + " " + e.path);
    const bool is_public = e.allowed.contains("public");
    for (const auto& [why, headers] : no_keys) {
      HttpReply r = call(e, headers);
      if (is_public) {
        EXPECT_EQ(r.status, 200) << why << ": " << r.body;
      } else {
        EXPECT_EQ(r.status, 401) << why << ": " << r.body;
        EXPECT_FALSE(r.Header("www-authenticate").empty()) << why;
      }
    }
    for (const auto& [role, token] : roles) {
      HttpReply r = call(e, {{"Authorization", "Bearer " + token}});
      ASSERT_NE(r.status, 0) << role << ": no answer";
      if (is_public || e.allowed.contains(role)) {
        EXPECT_NE(r.status, 401) << role << ": " << r.body;
        EXPECT_NE(r.status, 403) << role << ": " << r.body;
        EXPECT_LT(r.status, 500) << role << ": " << r.body;
      } else {
        EXPECT_EQ(r.status, 403) << role << ": " << r.body;
        EXPECT_FALSE(ErrorMessage(r).empty()) << role << ": " << r.body;
      }
    }
  }

  // Workflow scope: an agent of workflow A cannot act for workflow B.
  HttpReply cross = h_.Post("/v1/events", Refund("c-roles-cross", 20, "USD", "billing-bot"), keys().agent);
  EXPECT_EQ(cross.status, 403) << cross.body;
  EXPECT_THAT(ErrorMessage(cross), HasSubstr("billing-bot"));
  EXPECT_EQ(h_.Get("/v1/tasks/" + other_task, keys().agent).status, 403);
  // A revoked key is refused from then on.
  const std::string doomed = h_.MintKey("doomed", store::Role::kAgent, {}, {"*"});
  const std::string doomed_id = doomed.substr(3, doomed.find('_', 3) - 3);
  EXPECT_EQ(h_.Get("/v1/me", doomed).status, 200);
  EXPECT_EQ(h_.Call("DELETE", "/v1/keys/" + doomed_id, "", keys().admin).status, 200);
  EXPECT_EQ(h_.Get("/v1/me", doomed).status, 401);
}

// ---- (g) limits and bad input ----

TEST_F(HttpGatewayTest, BadInputIsRefusedWithTheFieldNamedAndWritesNothing) {
  const std::string task_id = HeldTask("c-bad");
  json::value claimed = Json(h_.Post("/v1/review/next", "", keys().reviewer));
  const std::string lease = Str(claimed.at("lease").at("lease_id"));
  // Every key has been used once (key use is audited once a minute), so
  // from here on only writes move the audit head.
  for (const std::string& t : {keys().agent, keys().admin, keys().supervisor}) h_.Get("/v1/me", t);
  const std::int64_t head = AuditHead();
  ASSERT_GT(head, 0);

  // The body limit (1 MiB).
  std::string huge = R"({"interaction_id":"c-huge","workflow":"retail-bot","type":"customer_message","text":")" +
                     std::string(1 << 20, 'x') + R"("})";
  HttpReply too_big = h_.Post("/v1/events", huge, keys().agent);
  EXPECT_EQ(too_big.status, 413) << too_big.body.substr(0, 200);
  EXPECT_THAT(too_big.body, HasSubstr("payload_too_large"));

  struct Case {
    std::string what, method, target, body, token;
    unsigned status;
    std::string message;  // a substring of error.message
  };
  json::value unknown = json::parse(Refund("c-bad-unknown", 20));
  unknown.as_object()["confidance"] = 0.9;
  json::value wrong_type = json::parse(Refund("c-bad-type", 20));
  wrong_type.as_object()["confidence"] = "high";
  json::value bad_amount = json::parse(Refund("c-bad-amount", 20));
  bad_amount.at("action").as_object()["amount"] = "lots";
  json::value bad_action_field = json::parse(Refund("c-bad-action", 20));
  bad_action_field.at("action").as_object()["amout"] = 20;
  const std::string verdict_url = "/v1/review/tasks/" + task_id + "/verdict";
  const std::string l = R"(","lease_id":")" + lease + R"("})";
  const std::vector<Case> cases = {
      {"malformed JSON", "POST", "/v1/events", R"({"interaction_id": "c-bad-json", )", keys().agent, 400, ""},
      {"not an object", "POST", "/v1/events", "[1,2,3]", keys().agent, 400, ""},
      {"unknown field", "POST", "/v1/events", json::serialize(unknown), keys().agent, 400,
       "field 'confidance': unknown field"},
      {"wrong type", "POST", "/v1/events", json::serialize(wrong_type), keys().agent, 400, "'confidence'"},
      {"wrong nested type", "POST", "/v1/events", json::serialize(bad_amount), keys().agent, 400, "amount"},
      {"unknown nested field", "POST", "/v1/events", json::serialize(bad_action_field), keys().agent, 400,
       "action.amout"},
      {"missing required field", "POST", "/v1/events",
       R"({"workflow":"retail-bot","type":"ai_proposal","text":"hi"})", keys().agent, 400, "interaction_id"},
      {"bad event type", "POST", "/v1/events",
       R"({"interaction_id":"c-bad-kind","workflow":"retail-bot","type":"shout"})", keys().agent, 400, "'type'"},
      {"bad verdict kind", "POST", verdict_url, R"({"verdict":"maybe)" + l, keys().reviewer, 400, "'verdict'"},
      {"unknown verdict field", "POST", verdict_url,
       R"({"verdict":"approved","comment":"x)" + l, keys().reviewer, 400, "'comment'"},
      {"edited without an edit", "POST", verdict_url, R"({"verdict":"edited)" + l, keys().reviewer, 400, "edited"},
      {"rejected without a reason", "POST", verdict_url, R"({"verdict":"rejected)" + l, keys().reviewer, 400,
       "'reason'"},
      {"edited_action of the wrong type", "POST", verdict_url,
       R"({"verdict":"edited","edited_action":"100)" + l, keys().reviewer, 400, "edited_action"},
      {"edited_action without a name", "POST", verdict_url,
       R"({"verdict":"edited","edited_action":{"amount":100,"currency":"USD"}, "lease_id":")" + lease + R"("})",
       keys().reviewer, 400, "edited_action"},
      {"lease_id of the wrong type", "POST", "/v1/review/tasks/" + task_id + "/renew", R"({"lease_id":7})",
       keys().reviewer, 400, "'lease_id'"},
      {"queues of the wrong type", "POST", "/v1/review/next", R"({"queues":"billing"})", keys().reviewer, 400,
       "'queues'"},
      {"role of the wrong type", "POST", "/v1/keys", R"({"name":"x","role":7})", keys().admin, 400, "'role'"},
      {"unknown role", "POST", "/v1/keys", R"({"name":"x","role":"wizard"})", keys().admin, 400, "'role'"},
      {"webhook without a secret", "PUT", "/v1/webhooks/retail-bot", R"({"url":"http://127.0.0.1:9/h"})",
       keys().admin, 400, "'secret'"},
      {"webhook with a short secret", "PUT", "/v1/webhooks/retail-bot",
       R"({"url":"http://127.0.0.1:9/h","secret":"short"})", keys().admin, 400, "'secret'"},
      {"broken policy upload", "POST", "/v1/policies?activate=true", "policy: [", keys().admin, 400, "error"},
      {"pause with a reason of the wrong type", "POST", "/v1/workflows/retail-bot/pause", R"({"reason":1})",
       keys().supervisor, 400, "'reason'"},
      {"pause of a workflow the policy does not declare", "POST", "/v1/workflows/ghost-bot/pause",
       R"({"reason":"x"})", keys().supervisor, 400, "workflow 'ghost-bot' is not a workflow of the active policy"},
      {"hold-next in a workflow the policy does not declare", "POST",
       "/v1/interactions/c-ghost/hold-next?workflow=ghost-bot", R"({"reason":"x"})", keys().supervisor, 400,
       "'ghost-bot'"},
      {"takeover in a workflow the policy does not declare", "POST",
       "/v1/interactions/c-ghost/takeover?workflow=ghost-bot", R"({"reason":"x"})", keys().supervisor, 400,
       "'ghost-bot'"},
      {"bad wait", "GET", "/v1/tasks/" + task_id + "?wait=soon", "", keys().agent, 400, "'wait'"},
      {"bad status filter", "GET", "/v1/review/tasks?status=lost", "", keys().reviewer, 400, "'status'"},
      {"bad stats window", "GET", "/v1/stats?window=5", "", keys().supervisor, 400, "'window'"},
      {"bad audit limit", "GET", "/v1/audit?limit=lots", "", keys().admin, 400, "'limit'"},
      {"bad audit start", "GET", "/v1/audit?from_seq=-3", "", keys().admin, 400, "'from_seq'"},
      {"bad task limit", "GET", "/v1/review/tasks?limit=0", "", keys().reviewer, 400, "'limit'"},
      {"unknown task", "GET", "/v1/review/tasks/t-00000000000000ff", "", keys().reviewer, 404, ""},
      {"unknown route", "GET", "/v1/nothing-here", "", keys().admin, 404, "/v1/nothing-here"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    HttpReply r = h_.Call(c.method, c.target, c.body, c.token);
    EXPECT_EQ(r.status, static_cast<int>(c.status)) << r.body;
    const std::string message = ErrorMessage(r);
    EXPECT_FALSE(message.empty()) << r.body;
    EXPECT_THAT(message, HasSubstr(c.message)) << r.body;
  }

  // Wrong method: 405 naming what is allowed.
  HttpReply wrong = h_.Call("DELETE", "/v1/events", "", keys().admin);
  EXPECT_EQ(wrong.status, 405) << wrong.body;
  EXPECT_EQ(wrong.Header("allow"), "POST");
  HttpReply wrong_verdict = h_.Call("PUT", verdict_url, "{}", keys().reviewer);
  EXPECT_EQ(wrong_verdict.status, 405);
  EXPECT_THAT(wrong_verdict.Header("allow"), HasSubstr("POST"));

  // Nothing half-written: no audit record, no decision, the task untouched.
  EXPECT_EQ(AuditHead(), head);
  for (const char* id : {"c-huge", "c-bad-json", "c-bad-unknown", "c-bad-type", "c-bad-amount",
                         "c-bad-action", "c-bad-kind"}) {
    EXPECT_EQ(h_.Get(std::string("/v1/interactions/") + id, keys().reviewer).status, 404) << id;
  }
  json::value task = Json(h_.Get("/v1/review/tasks/" + task_id, keys().reviewer));
  EXPECT_EQ(Str(task.at("status")), "claimed");
  EXPECT_TRUE(task.at("verdict").is_null());
  EXPECT_EQ(Str(Json(h_.Get("/v1/workflows", keys().supervisor)).at("workflows").at(0).at("name")),
            "retail-bot");
  EXPECT_FALSE(Json(h_.Get("/v1/workflows", keys().supervisor)).at("workflows").at(0).at("paused").as_bool());

  // And the task can still be answered properly.
  HttpReply ok = h_.Post(verdict_url, R"({"verdict":"approved)" + l, keys().reviewer);
  EXPECT_EQ(ok.status, 200) << ok.body;
}

// A server with a one-second read timeout (the production default is 30 s).
class HttpGatewayTimeoutTest : public HttpGatewayTest {
 protected:
  HttpGatewayTimeoutTest() : HttpGatewayTest(HarnessOptions{.read_timeout = std::chrono::seconds(1)}) {}
};

TEST_F(HttpGatewayTimeoutTest, SlowRequestIsCutOffAndWritesNothing) {
  // Key use is audited once a minute per key: done now for the keys used below.
  for (const std::string& t : {keys().agent, keys().reviewer}) h_.Get("/v1/me", t);
  const std::int64_t head = AuditHead();
  // The client promises a body and sends only half of it.
  const std::string body = Refund("c-slow", 150);
  int fd = internal::ConnectLoopback(h_.port(), 10);
  ASSERT_GE(fd, 0);
  std::string req = "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + keys().agent +
                    "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\n\r\n" + body.substr(0, body.size() / 2);
  ASSERT_TRUE(internal::SendAll(fd, req));
  // The server hangs up once the read timeout passes (recv is bounded by the
  // socket's 10 s timeout, so a server that never does fails the test).
  const auto start = std::chrono::steady_clock::now();
  char buf[512];
  ssize_t n = 0;
  std::string answer;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) answer.append(buf, static_cast<size_t>(n));
  const auto took = std::chrono::steady_clock::now() - start;
  close(fd);
  EXPECT_EQ(n, 0) << "the server did not close the connection";
  EXPECT_LT(took, std::chrono::seconds(8));
  EXPECT_THAT(answer, Not(HasSubstr("200 OK")));

  // The server keeps serving; nothing of the half request was recorded.
  EXPECT_EQ(h_.Get("/healthz", "").status, 200);
  EXPECT_EQ(h_.Get("/v1/interactions/c-slow", keys().reviewer).status, 404);
  EXPECT_EQ(AuditHead(), head);
}

// ---- (h) policies over HTTP ----

TEST_F(HttpGatewayTest, PolicyValidateUploadActivateAndRollBack) {
  // A broken policy: the checker's messages with line and column.
  const std::string broken =
      "policy: broken\nqueues:\n  general: {skills: [], sla_seconds: 300}\ndefaults:\n  oversight: hotl\n"
      "rules:\n  - name: bad\n    when: {no_such_trigger: true}\n    decision: hold\n";
  HttpReply validated = h_.Post("/v1/policies/validate", broken, keys().admin);
  ASSERT_EQ(validated.status, 200) << validated.body;
  json::value v = Json(validated);
  EXPECT_FALSE(v.at("ok").as_bool());
  ASSERT_FALSE(v.at("issues").as_array().empty());
  bool trigger_named = false;
  for (const json::value& issue : v.at("issues").as_array()) {
    EXPECT_GT(issue.at("line").as_int64(), 0) << issue;
    EXPECT_GT(issue.at("column").as_int64(), 0) << issue;
    EXPECT_FALSE(Str(issue.at("message")).empty()) << issue;
    if (Str(issue.at("message")).find("no_such_trigger") != std::string::npos) {
      trigger_named = true;
      EXPECT_EQ(Str(issue.at("severity")), "error");
      EXPECT_EQ(issue.at("line").as_int64(), 8) << issue;
    }
  }
  EXPECT_TRUE(trigger_named) << v;

  // The good one validates.
  EXPECT_TRUE(Json(h_.Post("/v1/policies/validate", h_.policy_yaml(), keys().admin)).at("ok").as_bool());

  const std::string old_version = Str(Json(h_.Get("/v1/policies/active", keys().admin)).at("version"));
  EXPECT_EQ(Str(Submit(Refund("c-pol-1", 150)).at("decision")), "hold");

  // A looser version: refunds up to 500 USD pass under watch.
  std::string looser = h_.policy_yaml();
  const size_t at = looser.find("USD: 110");
  ASSERT_NE(at, std::string::npos);
  looser.replace(at, 8, "USD: 500");
  HttpReply uploaded = h_.Post("/v1/policies?activate=true", looser, keys().admin);
  ASSERT_EQ(uploaded.status, 200) << uploaded.body;
  const std::string new_version = Str(Json(uploaded).at("version"));
  EXPECT_NE(new_version, old_version);
  EXPECT_TRUE(Json(uploaded).at("active").as_bool());

  json::value d = Submit(Refund("c-pol-2", 150));
  EXPECT_EQ(Str(d.at("decision")), "allow_monitored");
  EXPECT_EQ(Str(d.at("policy_version")), new_version);

  json::value versions = Json(h_.Get("/v1/policies", keys().auditor));
  ASSERT_EQ(versions.at("versions").as_array().size(), 2u);
  for (const json::value& p : versions.at("versions").as_array()) {
    EXPECT_EQ(p.at("active").as_bool(), Str(p.at("version")) == new_version);
  }

  // Roll back.
  HttpReply rolled = h_.Post("/v1/policies/" + old_version + "/activate", "", keys().admin);
  ASSERT_EQ(rolled.status, 200) << rolled.body;
  json::value back = Submit(Refund("c-pol-3", 150));
  EXPECT_EQ(Str(back.at("decision")), "hold");
  EXPECT_EQ(Str(back.at("policy_version")), old_version);
  EXPECT_EQ(Str(Json(h_.Get("/v1/policies/active", keys().reviewer)).at("version")), old_version);

  EXPECT_EQ(h_.Post("/v1/policies/sha256:0000/activate", "", keys().admin).status, 404);
}

// ---- (i) health, readiness, metrics ----

TEST_F(HttpGatewayTest, HealthReadinessAndDecisionMetrics) {
  EXPECT_EQ(h_.Get("/healthz", "").status, 200);
  h_.set_ready(false);
  HttpReply starting = h_.Get("/readyz", "");
  EXPECT_EQ(starting.status, 503);
  h_.set_ready(true);
  EXPECT_EQ(h_.Get("/readyz", "").status, 200);

  Submit(Refund("c-metrics-1", 150));  // hold
  Submit(Refund("c-metrics-2", 20));   // allow_monitored
  // Queue depths are counted by the tick, not per scrape.
  ASSERT_TRUE(h_.gateway().Tick().has_value());
  HttpReply metrics = h_.Get("/metrics", "");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.Header("content-type"), HasSubstr("text/plain"));
  EXPECT_THAT(metrics.body, HasSubstr("hitlgate_decisions_total"));
  EXPECT_THAT(metrics.body, HasSubstr("outcome=\"hold\""));
  EXPECT_THAT(metrics.body, HasSubstr("outcome=\"allow_monitored\""));
  EXPECT_THAT(metrics.body, HasSubstr("workflow=\"retail-bot\""));
  EXPECT_THAT(metrics.body, HasSubstr("hitlgate_queue_open_tasks"));

  // Resolution time after escalation, by queue: a held refund answered 90 s later.
  const std::string task_id = HeldTask("c-metrics-3");
  h_.clock().Advance(std::chrono::seconds(90));
  HttpReply claimed = h_.Post("/v1/review/tasks/" + task_id + "/claim", "{}", keys().reviewer);
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  HttpReply answered = h_.Post("/v1/review/tasks/" + task_id + "/verdict",
                               R"({"verdict":"approved","lease_id":")" +
                                   Str(Json(claimed).at("lease").at("lease_id")) + R"("})",
                               keys().reviewer);
  ASSERT_EQ(answered.status, 200) << answered.body;
  metrics = h_.Get("/metrics", "");
  EXPECT_THAT(metrics.body, HasSubstr(R"(hitlgate_verdicts_total{kind="approved",queue="billing"} 1)"));
  EXPECT_THAT(metrics.body, HasSubstr(R"(hitlgate_task_resolution_seconds_bucket{queue="billing",le="60"} 0)"));
  EXPECT_THAT(metrics.body, HasSubstr(R"(hitlgate_task_resolution_seconds_bucket{queue="billing",le="120"} 1)"));
  EXPECT_THAT(metrics.body, HasSubstr(R"(hitlgate_task_resolution_seconds_sum{queue="billing"} 90)"));
}

// ---- (j) the console beside the API ----

std::string ConsoleFolder() {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("hitlgate_console_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "index.html") << "<html>console</html>";
  return dir.string();
}

class HttpGatewayConsoleTest : public HttpGatewayTest {
 protected:
  HttpGatewayConsoleTest() : HttpGatewayTest(HarnessOptions{.console_dir = ConsoleFolder()}) {}
  ~HttpGatewayConsoleTest() override { std::filesystem::remove_all(ConsoleFolder()); }
};

TEST_F(HttpGatewayConsoleTest, UnknownApiPathIsA404NotTheConsolePage) {
  HttpReply page = h_.Get("/tasks/t-1", "");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, "<html>console</html>");
  for (const char* path : {"/v1/no-such-thing", "/v1", "/v1/tasks/t-1/nope"}) {
    HttpReply reply = h_.Get(path, keys().admin);
    EXPECT_EQ(reply.status, 404) << path;
    EXPECT_THAT(reply.body, HasSubstr("no endpoint")) << path;
  }
}

}  // namespace
}  // namespace hitlgate::testing
