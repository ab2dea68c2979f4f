// The hardened server over real HTTP (gateway_harness.h): per-key rate
// limits with Retry-After, audited authentication failures that a flood
// cannot multiply, no secrets in logs or the audit log, and authorization
// by role, skills, workflow and approval limit.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <thread>
#include <set>
#include <string>
#include <vector>

#include "integration/gateway_harness.h"
#include "integration/http_client.h"

namespace hitlgate::testing {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Event(const std::string& interaction, const std::string& workflow = "retail-bot",
                  double amount = 30, const std::string& currency = "EUR") {
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

std::vector<audit::AuditRecord> AuditOfKind(GatewayHarness& h, std::string_view kind) {
  auto all = h.store().ReadAudit(1, 100000);
  EXPECT_TRUE(all.has_value());
  std::vector<audit::AuditRecord> out;
  if (!all) return out;
  for (auto& r : *all) {
    if (r.kind == kind) out.push_back(r);
  }
  return out;
}

// ---- Rate limits ----

TEST(HardeningHttpTest, RateLimitIsPerKeyAndAnswers429WithRetryAfter) {
  HarnessOptions o;
  o.rate_limits.For(store::Role::kAgent) = gateway::RateLimit{1, 3};  // 1/s, burst 3
  GatewayHarness h(o);
  for (int i = 0; i < 3; ++i) {
    auto r = h.Post("/v1/events", Event("rl-" + std::to_string(i)), h.keys().agent);
    EXPECT_EQ(r.status, 200) << r.body;
  }
  auto limited = h.Post("/v1/events", Event("rl-3"), h.keys().agent);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.Header("Retry-After"), "1");
  EXPECT_THAT(limited.body, HasSubstr("rate limit for role agent"));
  // Another key of the same role has its own bucket.
  EXPECT_EQ(h.Post("/v1/events", Event("rl-other", "billing-bot"), h.keys().other_agent).status, 200);
  // People are not limited here (their role has no limit set).
  EXPECT_EQ(h.Get("/v1/review/queues", h.keys().reviewer).status, 200);
  // The bucket refills at the configured rate on the gateway's clock.
  h.clock().Advance(std::chrono::seconds(1));
  EXPECT_EQ(h.Post("/v1/events", Event("rl-4"), h.keys().agent).status, 200);
  EXPECT_EQ(h.Post("/v1/events", Event("rl-5"), h.keys().agent).status, 429);
}

TEST(HardeningHttpTest, RetryAfterCoversTheWaitForASlowRefill) {
  HarnessOptions o;
  o.rate_limits.For(store::Role::kAuditor) = gateway::RateLimit{0.1, 1};  // one per 10 s
  GatewayHarness h(o);
  EXPECT_EQ(h.Get("/v1/review/queues", h.keys().auditor).status, 200);
  auto limited = h.Get("/v1/review/queues", h.keys().auditor);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.Header("Retry-After"), "10");
  h.clock().Advance(std::chrono::seconds(9));
  EXPECT_EQ(h.Get("/v1/review/queues", h.keys().auditor).status, 429);
  h.clock().Advance(std::chrono::seconds(1));
  EXPECT_EQ(h.Get("/v1/review/queues", h.keys().auditor).status, 200);
}

TEST(HardeningHttpTest, RateLimitSpecsParseAndBadOnesAreRefused) {
  gateway::RateLimits limits;
  ASSERT_TRUE(gateway::ParseRateLimit("reviewer=5/20", &limits).has_value());
  EXPECT_EQ(limits.For(store::Role::kReviewer).per_second, 5);
  EXPECT_EQ(limits.For(store::Role::kReviewer).burst, 20);
  ASSERT_TRUE(gateway::ParseRateLimit("agent=0", &limits).has_value());
  EXPECT_EQ(limits.For(store::Role::kAgent).per_second, 0);
  for (const char* bad : {"reviewer", "robot=5", "agent=-1", "agent=x", "agent=5/", "agent=5/y"}) {
    auto r = gateway::ParseRateLimit(bad, &limits);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << bad;
  }
}

// ---- Authentication failures ----

TEST(HardeningHttpTest, EveryAuthFailureIsAuditedUntilAFloodIsThrottledAndCounted) {
  HarnessOptions o;
  o.auth_failure_audit.burst_per_key = 3;
  o.auth_failure_audit.per_minute_per_key = 1;
  GatewayHarness h(o);
  const std::string wrong = "hg_a1b2c3d4e5f6_" + std::string(64, '0');  // the admin's id, wrong secret
  for (int i = 0; i < 10; ++i) EXPECT_EQ(h.Get("/v1/review/queues", wrong).status, 401);
  auto failures = AuditOfKind(h, "auth_failed");
  ASSERT_EQ(failures.size(), 3u);
  EXPECT_EQ(failures[0].subject, "a1b2c3d4e5f6");
  EXPECT_THAT(failures[0].payload_json, HasSubstr("wrong secret"));
  // A malformed token is its own budget ("" key id), audited too.
  EXPECT_EQ(h.Get("/v1/review/queues", "not-a-token").status, 401);
  EXPECT_EQ(AuditOfKind(h, "auth_failed").size(), 4u);
  // After a minute one more record is allowed, carrying the 7 not written.
  h.clock().Advance(std::chrono::minutes(1));
  EXPECT_EQ(h.Get("/v1/review/queues", wrong).status, 401);
  failures = AuditOfKind(h, "auth_failed");
  ASSERT_EQ(failures.size(), 5u);
  EXPECT_THAT(failures.back().payload_json, HasSubstr("\"suppressed\":7"));
}

// ---- No secrets in logs ----

// Captures what the process writes to stderr (the server's log) while alive.
class StderrCapture {
 public:
  explicit StderrCapture(std::string path) : path_(std::move(path)) {
    std::fflush(stderr);
    saved_ = dup(2);
    FILE* f = std::fopen(path_.c_str(), "w");
    dup2(fileno(f), 2);
    std::fclose(f);
  }
  std::string Finish() {
    std::fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
    return ReadTextFile(path_);
  }

 private:
  std::string path_;
  int saved_ = -1;
};

TEST(HardeningHttpTest, NoSecretEverReachesTheLogOrTheAuditLog) {
  GatewayHarness h;
  StderrCapture capture("/tmp/hitlgate-hardening-stderr-" + std::to_string(::getpid()));
  // A fresh key over HTTP: its token appears once, in the creation answer.
  auto created = h.Post("/v1/keys", R"({"name":"new agent","role":"agent","workflows":["*"]})", h.keys().admin);
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string token = std::string(json::parse(created.body).at("token").as_string());
  std::vector<std::string> tokens = {token,          h.keys().admin,    h.keys().agent,
                                     h.keys().reviewer, h.keys().auditor, h.keys().supervisor};
  // Traffic of every kind: good and bad keys, bad bodies, revocation, a failed handler path.
  EXPECT_EQ(h.Post("/v1/events", Event("s-1"), token).status, 200);
  EXPECT_EQ(h.Post("/v1/events", "{not json", token).status, 400);
  const std::string wrong_secret = token.substr(0, token.rfind('_') + 1) + std::string(64, 'f');
  tokens.push_back(wrong_secret);
  EXPECT_EQ(h.Get("/v1/review/queues", wrong_secret).status, 401);
  EXPECT_EQ(h.Get("/v1/review/queues", "hg_zz_" + std::string(40, 'q')).status, 401);
  const std::string key_id = token.substr(3, token.rfind('_') - 3);
  EXPECT_EQ(h.Call("DELETE", "/v1/keys/" + key_id, "", h.keys().admin).status, 200);
  EXPECT_EQ(h.Post("/v1/events", Event("s-2"), token).status, 401);
  const std::string log = capture.Finish();

  auto audit = h.Get("/v1/audit?from_seq=1&limit=10000", h.keys().auditor);
  ASSERT_EQ(audit.status, 200);
  ASSERT_FALSE(audit.body.empty());
  for (const std::string& t : tokens) {
    const std::string secret = t.substr(t.rfind('_') + 1);
    EXPECT_EQ(log.find(secret), std::string::npos) << "secret of " << t << " in the log";
    EXPECT_EQ(audit.body.find(secret), std::string::npos) << "secret of " << t << " in the audit log";
  }
  // The audit log does name the key (by its public id) that failed.
  EXPECT_THAT(audit.body, HasSubstr(key_id));
}

// ---- Authorization ----

json::value Parse(const HttpReply& r) {
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  EXPECT_FALSE(ec) << "not JSON (HTTP " << r.status << "): " << r.body;
  return ec ? json::value(json::object()) : v;
}

// A refund of `amount` USD, held for the billing queue (retail policy: over 100).
std::string HeldRefund(GatewayHarness& h, const std::string& interaction, double amount) {
  auto r = h.Post("/v1/events", Event(interaction, "retail-bot", amount, "USD"), h.keys().agent);
  EXPECT_EQ(r.status, 200) << r.body;
  json::value d = Parse(r);
  EXPECT_EQ(d.at("decision").as_string(), "hold") << r.body;
  return std::string(d.at("task_id").as_string());
}

std::string Claim(GatewayHarness& h, const std::string& task_id, const std::string& token) {
  auto r = h.Post("/v1/review/tasks/" + task_id + "/claim", "{}", token);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? std::string(Parse(r).at("lease").at("lease_id").as_string()) : "";
}

std::string NewKey(GatewayHarness& h, const std::string& body) {
  auto r = h.Post("/v1/keys", body, h.keys().admin);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? std::string(Parse(r).at("token").as_string()) : "";
}

TEST(HardeningHttpTest, ReviewerCannotApproveAboveTheirLimitAndASupervisorCan) {
  GatewayHarness h;
  const std::string limited = NewKey(
      h, R"({"name":"junior","role":"reviewer","skills":["billing"],"approval_limits":{"USD":120,"EUR":100}})");
  // The key shows its limits to the admin and to itself.
  auto me = Parse(h.Get("/v1/me", limited));
  EXPECT_EQ(me.at("approval_limits").at("USD").to_number<double>(), 120);
  EXPECT_EQ(me.at("approval_limits").at("EUR").to_number<double>(), 100);

  const std::string task = HeldRefund(h, "lim-1", 150);
  const std::string lease = Claim(h, task, limited);
  auto approve = h.Post("/v1/review/tasks/" + task + "/verdict",
                        R"({"verdict":"approved","lease_id":")" + lease + R"("})", limited);
  EXPECT_EQ(approve.status, 403) << approve.body;
  EXPECT_THAT(approve.body, HasSubstr("approval limit of 120 USD"));
  EXPECT_THAT(approve.body, HasSubstr("supervisor"));
  // Editing does not get around it (the held action is over the limit).
  auto edit = h.Post("/v1/review/tasks/" + task + "/verdict",
                     R"({"verdict":"edited","lease_id":")" + lease +
                         R"(","edited_action":{"name":"refund","amount":110,"currency":"USD","params":{}}})",
                     limited);
  EXPECT_EQ(edit.status, 403) << edit.body;
  // Rejecting is always allowed; here the reviewer hands it back instead.
  EXPECT_EQ(h.Post("/v1/review/tasks/" + task + "/release", R"({"lease_id":")" + lease + R"("})", limited).status,
            200);
  // A supervisor (no limit on their key) approves it.
  auto sup = h.Post("/v1/review/tasks/" + task + "/verdict", R"({"verdict":"approved","override":true})",
                    h.keys().supervisor);
  EXPECT_EQ(sup.status, 200) << sup.body;
  EXPECT_EQ(Parse(h.Get("/v1/tasks/" + task, h.keys().agent)).at("status").as_string(), "answered");
}

TEST(HardeningHttpTest, WithinTheLimitApprovesAndAnEditMayNotRaiseTheAmountPastIt) {
  GatewayHarness h;
  const std::string limited =
      NewKey(h, R"({"name":"senior","role":"reviewer","skills":["billing"],"approval_limits":{"USD":200}})");
  const std::string ok_task = HeldRefund(h, "lim-2", 150);
  std::string lease = Claim(h, ok_task, limited);
  EXPECT_EQ(h.Post("/v1/review/tasks/" + ok_task + "/verdict",
                   R"({"verdict":"approved","lease_id":")" + lease + R"("})", limited)
                .status,
            200);
  const std::string raised = HeldRefund(h, "lim-3", 150);
  lease = Claim(h, raised, limited);
  auto edit = h.Post("/v1/review/tasks/" + raised + "/verdict",
                     R"({"verdict":"edited","lease_id":")" + lease +
                         R"(","edited_action":{"name":"refund","amount":250,"currency":"USD","params":{}}})",
                     limited);
  EXPECT_EQ(edit.status, 403) << edit.body;
  EXPECT_THAT(edit.body, HasSubstr("edited action of 250 USD is over this key's approval limit of 200 USD"));
  auto reject = h.Post("/v1/review/tasks/" + raised + "/verdict",
                       R"({"verdict":"rejected","lease_id":")" + lease + R"(","reason":"too much"})", limited);
  EXPECT_EQ(reject.status, 200) << reject.body;
}

TEST(HardeningHttpTest, ALimitInAnotherCurrencyOnlyRefusesThisOne) {
  GatewayHarness h;
  const std::string eur_only =
      NewKey(h, R"({"name":"eu desk","role":"reviewer","skills":["billing"],"approval_limits":{"EUR":1000}})");
  const std::string task = HeldRefund(h, "lim-4", 150);
  const std::string lease = Claim(h, task, eur_only);
  auto approve = h.Post("/v1/review/tasks/" + task + "/verdict",
                        R"({"verdict":"approved","lease_id":")" + lease + R"("})", eur_only);
  EXPECT_EQ(approve.status, 403) << approve.body;
  EXPECT_THAT(approve.body, HasSubstr("no approval limit for USD"));
}

TEST(HardeningHttpTest, BadApprovalLimitsAreRefusedAtKeyCreation) {
  GatewayHarness h;
  for (const char* limits : {R"({"usd":100})", R"({"USD":-5})", R"({"USD":"100"})", R"(["USD=100"])"}) {
    auto r = h.Post("/v1/keys", std::string(R"({"name":"x","role":"reviewer","approval_limits":)") + limits + "}",
                    h.keys().admin);
    EXPECT_EQ(r.status, 400) << limits << ": " << r.body;
    EXPECT_THAT(r.body, HasSubstr("approval_limits")) << limits;
  }
}

TEST(HardeningHttpTest, ReviewerCannotWorkATaskOutsideTheirSkills) {
  GatewayHarness h;
  const std::string orders_only = NewKey(h, R"({"name":"orders desk","role":"reviewer","skills":["orders"]})");
  const std::string task = HeldRefund(h, "skill-1", 150);  // billing queue
  auto claim = h.Post("/v1/review/tasks/" + task + "/claim", "{}", orders_only);
  EXPECT_NE(claim.status, 200) << claim.body;
  EXPECT_THAT(claim.body, HasSubstr("skill"));
  // Nothing to claim either: the billing task is not offered.
  auto next = h.Post("/v1/review/next", "{}", orders_only);
  EXPECT_NE(next.status, 200) << next.body;
  // And a verdict needs the lease it could not get.
  auto verdict = h.Post("/v1/review/tasks/" + task + "/verdict", R"({"verdict":"approved","lease_id":"l-guess"})",
                        orders_only);
  EXPECT_NE(verdict.status, 200) << verdict.body;
  EXPECT_EQ(Parse(h.Get("/v1/tasks/" + task, h.keys().agent)).at("status").as_string(), "pending");
}

TEST(HardeningHttpTest, AgentCannotReadAnotherWorkflowsTasksOrInteractions) {
  GatewayHarness h;
  const std::string task = HeldRefund(h, "wf-1", 150);  // retail-bot
  auto own = h.Get("/v1/tasks/" + task, h.keys().agent);
  EXPECT_EQ(own.status, 200) << own.body;
  auto other = h.Get("/v1/tasks/" + task, h.keys().other_agent);  // scoped to billing-bot
  EXPECT_EQ(other.status, 403) << other.body;
  EXPECT_THAT(other.body, Not(HasSubstr("refunded")));
  EXPECT_EQ(h.Get("/v1/interactions/wf-1", h.keys().other_agent).status, 403);
  EXPECT_EQ(h.Get("/v1/interactions/wf-1", h.keys().agent).status, 403);  // agents never read records
  // Nor can it report events for the other workflow.
  EXPECT_EQ(h.Post("/v1/events", Event("wf-2", "retail-bot"), h.keys().other_agent).status, 403);
}

TEST(HardeningHttpTest, AWebhookThatCannotWorkIsRefusedAtRegistration) {
  GatewayHarness h;
  auto https = h.Call("PUT", "/v1/webhooks/retail-bot",
                      R"({"url":"https://hooks.example.com/x","secret":"0123456789abcdef"})", h.keys().admin);
  EXPECT_EQ(https.status, 400) << https.body;
  EXPECT_THAT(https.body, HasSubstr("https://"));
  EXPECT_EQ(h.Call("PUT", "/v1/webhooks/retail-bot", R"({"url":"http:///x","secret":"0123456789abcdef"})",
                   h.keys().admin)
                .status,
            400)
      << "no host";
  EXPECT_EQ(h.Call("PUT", "/v1/webhooks/retail-bot",
                   R"({"url":"http://127.0.0.1:9/hook","secret":"0123456789abcdef"})", h.keys().admin)
                .status,
            200);
}

TEST(HardeningHttpTest, AHugeWaitIsCappedNotOverflowed) {
  GatewayHarness h;
  // 9e18 minutes does not fit in milliseconds: bounded before the unit is
  // applied, it parses as the longest wait and the request goes on to the
  // task lookup (an unknown task: 404 at once).
  auto huge = h.Get("/v1/tasks/t-0000000000000000?wait=9000000000000000000m", h.keys().agent);
  EXPECT_EQ(huge.status, 404) << huge.body;
  EXPECT_EQ(h.Get("/v1/tasks/t-0000000000000000?wait=99999999999999999999s", h.keys().agent).status, 400)
      << "beyond 64 bits: refused";
}

// Every endpoint against every role: who may call it (by the product's
// role table, written out here independently of principal.cc). Denied calls
// are 403; allowed ones are never 401/403 (they may still be 4xx for the
// test's placeholder ids).
TEST(HardeningHttpTest, EveryEndpointRefusesTheRolesThatMayNotCallIt) {
  GatewayHarness h;
  const std::string task = HeldRefund(h, "matrix-task", 150);
  struct Call {
    const char* method;
    std::string target;
    std::string body;
    std::set<std::string> allowed;
  };
  const std::set<std::string> people = {"reviewer", "supervisor", "auditor", "admin"};
  const std::vector<Call> calls = {
      {"POST", "/v1/events", Event("matrix-ev"), {"agent", "admin"}},
      {"GET", "/v1/review/queues", "", people},
      {"GET", "/v1/review/tasks", "", people},
      {"GET", "/v1/review/tasks/" + task, "", people},
      {"POST", "/v1/review/tasks/" + task + "/verdict", R"({"verdict":"approved","override":true})",
       {"supervisor", "admin"}},
      {"GET", "/v1/interactions/matrix-task", "", people},
      {"POST", "/v1/workflows/billing-bot/pause", R"({"reason":"test"})", {"supervisor", "admin"}},
      {"POST", "/v1/workflows/billing-bot/resume", "{}", {"supervisor", "admin"}},
      {"POST", "/v1/interactions/matrix-x/hold-next", R"({"reason":"test"})", {"supervisor", "admin"}},
      {"POST", "/v1/interactions/matrix-x/takeover", R"({"reason":"test"})", {"supervisor", "admin"}},
      {"GET", "/v1/stats", "", {"supervisor", "auditor", "admin"}},
      {"POST", "/v1/policies", h.policy_yaml(), {"admin"}},
      {"GET", "/v1/keys", "", {"admin"}},
      {"POST", "/v1/keys", R"({"name":"m","role":"agent","workflows":["*"]})", {"admin"}},
      {"DELETE", "/v1/keys/000000000000", "", {"admin"}},
      {"PUT", "/v1/webhooks/matrix-wf", R"({"url":"http://127.0.0.1:9/","secret":"0123456789abcdef"})", {"admin"}},
      {"GET", "/v1/audit", "", {"auditor", "admin"}},
  };
  const std::vector<std::pair<std::string, std::string>> roles = {
      {"agent", h.keys().agent},       {"reviewer", h.keys().reviewer}, {"supervisor", h.keys().supervisor},
      {"auditor", h.keys().auditor},   {"admin", h.keys().admin}};
  for (const Call& c : calls) {
    // Denied roles first, so an allowed call (a verdict, a pause) cannot change what they see.
    for (bool allowed_pass : {false, true}) {
      for (const auto& [role, token] : roles) {
        const bool allowed = c.allowed.contains(role);
        if (allowed != allowed_pass) continue;
        auto r = h.Call(c.method, c.target, c.body, token);
        if (allowed) {
          EXPECT_NE(r.status, 403) << role << " " << c.method << " " << c.target << ": " << r.body;
          EXPECT_NE(r.status, 401) << role << " " << c.method << " " << c.target << ": " << r.body;
        } else {
          EXPECT_EQ(r.status, 403) << role << " " << c.method << " " << c.target << ": " << r.body;
        }
      }
    }
  }
}

TEST(HardeningHttpTest, AnAuditorReadsButChangesNothing) {
  GatewayHarness h;
  const std::string task = HeldRefund(h, "aud-1", 150);
  auto before = h.Get("/v1/audit", h.keys().auditor);
  ASSERT_EQ(before.status, 200);
  const std::vector<std::pair<std::string, std::string>> writes = {
      {"/v1/events", Event("aud-2")},
      {"/v1/review/tasks/" + task + "/claim", "{}"},
      {"/v1/review/tasks/" + task + "/verdict", R"({"verdict":"approved","override":true})"},
      {"/v1/workflows/retail-bot/pause", R"({"reason":"x"})"},
      {"/v1/interactions/aud-1/takeover", R"({"reason":"x"})"},
      {"/v1/policies", h.policy_yaml()},
      {"/v1/keys", R"({"name":"sneaky","role":"admin"})"},
  };
  for (const auto& [target, body] : writes) {
    EXPECT_EQ(h.Post(target, body, h.keys().auditor).status, 403) << target;
  }
  EXPECT_EQ(h.Call("PUT", "/v1/webhooks/retail-bot", R"({"url":"http://127.0.0.1:9/","secret":"0123456789abcdef"})",
                   h.keys().auditor).status,
            403);
  EXPECT_EQ(h.Call("DELETE", "/v1/keys/a1b2c3d4e5f6", "", h.keys().auditor).status, 403);
  // Nothing changed: the task is still open and the log only grew by reads
  // (key_used) and nothing else.
  EXPECT_EQ(Parse(h.Get("/v1/tasks/" + task, h.keys().agent)).at("status").as_string(), "pending");
  auto after = h.store().ReadAudit(1, 100000);
  ASSERT_TRUE(after.has_value());
  const std::string auditor_id(Parse(h.Get("/v1/me", h.keys().auditor)).at("key_id").as_string());
  for (const auto& r : *after) {
    if (r.kind == "key_used") continue;
    EXPECT_NE(r.actor, auditor_id) << r.kind << " " << r.payload_json;
  }
}

}  // namespace
}  // namespace hitlgate::testing

namespace hitlgate::testing {
namespace {

// An open SSE stream on a raw socket: the response head read, the socket
// kept open. fd -1 when the stream was refused (`status` says how).
struct OpenStream {
  int fd = -1;
  int status = 0;
  ~OpenStream() {
    if (fd >= 0) close(fd);
  }
  // True when the server ends the stream within `seconds` (recv sees EOF).
  bool EndsWithin(int seconds) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    char buf[4096];
    while (std::chrono::steady_clock::now() < until) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n == 0) return true;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return true;
    }
    return false;
  }
};

std::unique_ptr<OpenStream> Subscribe(GatewayHarness& h, const std::string& token) {
  auto s = std::make_unique<OpenStream>();
  HttpOptions o;
  o.bearer = token;
  int fd = internal::ConnectLoopback(h.port(), 1);
  if (fd < 0 || !internal::SendAll(fd, internal::BuildRequest("GET", "/v1/stream", o))) return s;
  std::string raw;
  char buf[4096];
  while (raw.find("\r\n\r\n") == std::string::npos) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<size_t>(n));
  }
  HttpReply head;
  if (!internal::ParseHead(raw.substr(0, raw.find("\r\n\r\n")), &head)) {
    close(fd);
    return s;
  }
  s->status = head.status;
  if (head.status == 200) {
    s->fd = fd;
  } else {
    close(fd);
  }
  return s;
}

std::string KeyIdOf(const std::string& token) { return token.substr(3, token.rfind('_') - 3); }

TEST(HardeningBoundsTest, OneKeyHoldsAtMostItsCapOfStreamsAndRevokingItEndsThem) {
  HarnessOptions o;
  o.key_connections.streams_per_key = 2;
  GatewayHarness h(o);
  const std::string agent = h.MintKey("streamer", store::Role::kAgent, {}, {"retail-bot"});
  auto first = Subscribe(h, agent);
  auto second = Subscribe(h, agent);
  ASSERT_EQ(first->status, 200);
  ASSERT_EQ(second->status, 200);
  auto third = Subscribe(h, agent);
  EXPECT_EQ(third->status, 429) << "a third stream of one key is refused";
  // Another key is not affected.
  auto other = Subscribe(h, h.keys().supervisor);
  EXPECT_EQ(other->status, 200);

  ASSERT_EQ(h.Call("DELETE", "/v1/keys/" + KeyIdOf(agent), "", h.keys().admin).status, 200);
  EXPECT_TRUE(first->EndsWithin(5)) << "a revoked key's stream is closed at once";
  EXPECT_TRUE(second->EndsWithin(5));
  EXPECT_FALSE(other->EndsWithin(1)) << "other keys' streams stay open";
}

TEST(HardeningBoundsTest, RevokingAKeyEndsItsLongPollWith401) {
  GatewayHarness h;
  const std::string agent = h.MintKey("poller", store::Role::kAgent, {}, {"retail-bot"});
  HttpReply held = h.Post("/v1/events", Event("c-poll", "retail-bot", 500), agent);
  ASSERT_EQ(held.status, 200) << held.body;
  const std::string task_id(Parse(held).at("task_id").as_string());
  HttpReply waited;
  const auto start = std::chrono::steady_clock::now();
  std::thread poll([&] { waited = HttpCall(h.port(), "GET", "/v1/tasks/" + task_id + "?wait=30s", "", agent, 40); });
  // The long-poll is open once the key holds a place.
  for (int i = 0; i < 200 && h.connections().open_count(KeyIdOf(agent)) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(h.connections().open_count(KeyIdOf(agent)), 1);
  ASSERT_EQ(h.Call("DELETE", "/v1/keys/" + KeyIdOf(agent), "", h.keys().admin).status, 200);
  poll.join();
  EXPECT_EQ(waited.status, 401) << waited.body;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_EQ(h.connections().open_count(KeyIdOf(agent)), 0);
}

TEST(HardeningBoundsTest, AnAddressThatKeepsFailingIsRefusedBeforeAnyLookupButKnownKeysStillWork) {
  HarnessOptions o;
  o.auth_failures_per_address = {.per_minute = 1, .burst = 3};
  GatewayHarness h(o);
  // The reviewer's key is known (cached) before the flood.
  ASSERT_EQ(h.Get("/v1/review/queues", h.keys().reviewer).status, 200);
  const std::string unknown = "hg_0badc0ffee00_" + std::string(64, '1');
  for (int i = 0; i < 3; ++i) EXPECT_EQ(h.Get("/v1/review/queues", unknown).status, 401);
  HttpReply refused = h.Get("/v1/review/queues", unknown);
  EXPECT_EQ(refused.status, 429) << refused.body;
  EXPECT_THAT(refused.body, HasSubstr("too many failed authentications from this address"));
  EXPECT_FALSE(refused.Header("retry-after").empty());
  EXPECT_EQ(h.Get("/v1/review/queues", h.keys().reviewer).status, 200) << "a known key still works";
  // The budget refills.
  h.clock().Advance(std::chrono::minutes(1));
  EXPECT_EQ(h.Get("/v1/review/queues", unknown).status, 401);
}

TEST(HardeningBoundsTest, AnEventTimeFarFromTheServersClockIsRefusedNamingTheSkew) {
  GatewayHarness h;  // FakeClock at 2026-11-23T09:00:00Z; default skew 15 minutes
  auto at = [](const std::string& when) {
    json::object e = json::parse(Event("c-skew-" + when)).as_object();
    e["at"] = when;
    return json::serialize(e);
  };
  HttpReply ahead = h.Post("/v1/events", at("2026-11-23T10:00:00Z"), h.keys().agent);
  EXPECT_EQ(ahead.status, 400) << ahead.body;
  EXPECT_THAT(ahead.body, HasSubstr("3600 s ahead of the server's clock"));
  HttpReply behind = h.Post("/v1/events", at("2026-11-22T09:00:00Z"), h.keys().agent);
  EXPECT_EQ(behind.status, 400) << behind.body;
  EXPECT_THAT(behind.body, HasSubstr("s behind"));
  EXPECT_EQ(h.Post("/v1/events", at("2026-11-23T09:10:00Z"), h.keys().agent).status, 200);
}

TEST(HardeningBoundsTest, DuplicateKeysInABodyAreRefusedNamingTheKey) {
  GatewayHarness h;
  const std::string body =
      R"({"interaction_id":"c-dup","customer_id":"u","workflow":"retail-bot","channel":"chat",)"
      R"("type":"ai_proposal","text":"a","text":"b"})";
  HttpReply r = h.Post("/v1/events", body, h.keys().agent);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_THAT(r.body, HasSubstr("duplicate key 'text'"));
  HttpReply key = h.Post("/v1/keys", R"({"name":"x","role":"agent","role":"admin"})", h.keys().admin);
  EXPECT_EQ(key.status, 400) << key.body;
  EXPECT_THAT(key.body, HasSubstr("duplicate key 'role'"));
}

}  // namespace
}  // namespace hitlgate::testing
