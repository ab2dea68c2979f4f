// Request bodies of the main endpoints, through the whole server: the first
// input byte picks the endpoint, the rest is the body, sent over loopback to
// the production wiring (gateway_harness.h: routes, authentication, the
// gateway and a SQLite store). Every parser an outside caller reaches is on
// the path: events, verdicts, key creation, policy upload and validation,
// webhooks, CSAT, supervisors' controls. The server must answer every input
// (any status but 5xx or no answer) and never crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "integration/gateway_harness.h"
#include "integration/http_client.h"

namespace {

using hitlgate::testing::GatewayHarness;

struct Target {
  const char* method;
  std::string path;  // "{task}" is replaced by a held task's id
  std::string token;
};

struct Fixture {
  std::unique_ptr<GatewayHarness> harness;
  std::string task_id;
};

Fixture& Fix() {
  static Fixture f = [] {
    Fixture x;
    x.harness = std::make_unique<GatewayHarness>();
    auto r = x.harness->Post("/v1/events",
                             R"({"interaction_id":"fz-1","customer_id":"u-1","workflow":"retail-bot",)"
                             R"("channel":"chat","type":"ai_proposal","text":"Refunded.","intent":"return_item",)"
                             R"("confidence":0.9,"action":{"name":"refund","amount":150,"currency":"USD",)"
                             R"("params":{"order_id":"A-1"}}})",
                             x.harness->keys().agent);
    const size_t at = r.body.find("\"task_id\":\"");
    if (at != std::string::npos) x.task_id = r.body.substr(at + 11, r.body.find('"', at + 11) - at - 11);
    return x;
  }();
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Fixture& f = Fix();
  const auto& keys = f.harness->keys();
  const Target targets[] = {
      {"POST", "/v1/events", keys.agent},
      {"POST", "/v1/review/tasks/{task}/verdict", keys.supervisor},
      {"POST", "/v1/keys", keys.admin},
      {"POST", "/v1/policies", keys.admin},
      {"POST", "/v1/policies/validate", keys.admin},
      {"PUT", "/v1/webhooks/fz", keys.admin},
      {"POST", "/v1/interactions/fz-1/csat", keys.agent},
      {"POST", "/v1/policies/test", keys.admin},
      {"POST", "/v1/workflows/billing-bot/pause", keys.supervisor},
      {"POST", "/v1/review/tasks/{task}/claim", keys.reviewer},
  };
  const Target& t = targets[data[0] % (sizeof targets / sizeof targets[0])];
  std::string path = t.path;
  if (const size_t at = path.find("{task}"); at != std::string::npos) path.replace(at, 6, f.task_id);
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto reply = f.harness->Call(t.method, path, body, t.token);
  if (reply.status == 0 || reply.status >= 500) {
    std::fprintf(stderr, "http_bodies_fuzz: %s %s answered %d: %s\n", t.method, path.c_str(), reply.status,
                 reply.body.c_str());
    std::abort();
  }
  return 0;
}
