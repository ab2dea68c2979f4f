// ApiContext: what the endpoint handlers need, wired once by the server.
// Handlers authenticate, hop to the blocking pool for store work (a durable
// write waits for an fsync; the io threads must not), and map Result errors
// to HTTP with JsonError. All referenced objects outlive the server.
#pragma once

#include <functional>
#include <string>

#include "api/http/blocking_pool.h"
#include "api/http/key_connections.h"
#include "api/http/notifier.h"
#include "api/http/response.h"
#include "api/http/request.h"
#include "api/http/router.h"
#include "hitlgate/gateway/gateway.h"
#include "hitlgate/metrics/prometheus_metrics.h"

namespace hitlgate::assist {
class AssistService;
class KnowledgeVersions;
}  // namespace hitlgate::assist

namespace hitlgate::api {

struct ApiContext {
  gateway::Gateway& gateway;
  // The store, for the services beside the gateway (data protection,
  // measurement) that read it directly; the gateway does not hand its own out.
  store::Store& store;
  Notifier& notifier;
  BlockingPool& pool;
  metrics::PrometheusMetrics& metrics;
  // True once the store and policy are loaded and the server accepts traffic.
  std::function<bool()> ready;
  std::string console_dir;  // built console assets; empty = no console
  // Events are decided on the I/O thread that read them and only the write
  // goes to the store's writer (no blocking-pool hop), which needs an event
  // path that does not block: the embedded store with in-memory
  // conversation state. False: through the blocking pool (PostgreSQL).
  bool inline_events = false;
  // /metrics answers only a key whose role may read metrics.
  bool metrics_need_key = false;
  // Streams and long-polls per key, capped and ended on revocation; null:
  // uncapped (embedders that wire their own).
  KeyConnections* connections = nullptr;
  // Agent assist (docs/assist.md); null = off.
  assist::AssistService* assist = nullptr;
  assist::KnowledgeVersions* assist_knowledge = nullptr;  // set with `assist`
};

// The Bearer token of a request ("" when absent).
std::string BearerToken(const Request& request);

// Authenticates, then runs `op(principal)` on the blocking pool; a Result
// error becomes the matching JSON error response, a value a 200 with it.
template <typename Op>
asio::awaitable<Response> AuthedJson(ApiContext& ctx, Request& request, Op op) {
  const std::string token = BearerToken(request);
  // Captures by reference only: the frame outlives the blocking call.
  auto work = [&ctx, &token, &op, &request]() -> Result<std::string> {
    auto who = ctx.gateway.access().Authenticate(token, request.remote_address);
    HITLGATE_RETURN_IF_ERROR(who);
    return op(*who);
  };
  auto result = co_await ctx.pool.Run(std::move(work));
  if (!result) co_return JsonError(result.error());
  co_return Json(200, std::move(*result));
}

// A service's typed answer written as the response body by a codec writer;
// an error passes through.
template <typename T, typename Writer>
Result<std::string> Written(Result<T> result, Writer write) {
  HITLGATE_RETURN_IF_ERROR(result);
  return write(*result);
}

// Registers every /v1 endpoint, health, metrics and the console.
void RegisterRoutes(Router& router, ApiContext& ctx);

// Split by area; each registers its own routes.
void RegisterAgentRoutes(Router& router, ApiContext& ctx);
void RegisterReviewRoutes(Router& router, ApiContext& ctx);
void RegisterAdminRoutes(Router& router, ApiContext& ctx);
void RegisterSystemRoutes(Router& router, ApiContext& ctx);
void RegisterSuperviseRoutes(Router& router, ApiContext& ctx);
// CSAT intake, effectiveness figures, shadow mode (measure_routes.cc).
void RegisterMeasureRoutes(Router& router, ApiContext& ctx);
void RegisterReceiptRoutes(Router& router, ApiContext& ctx);
// Contests, data-subject export and erasure, legal holds (privacy_routes.cc).
void RegisterPrivacyRoutes(Router& router, ApiContext& ctx);
// Next-step suggestions and articles for a task; loading procedures (assist_routes.cc).
void RegisterAssistRoutes(Router& router, ApiContext& ctx);
// Earned autonomy levels (autonomy_routes.cc).
void RegisterAutonomyRoutes(Router& router, ApiContext& ctx);

}  // namespace hitlgate::api
