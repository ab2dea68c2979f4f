// Health, readiness, Prometheus metrics, and the console's static files.
#include "api/handlers/api_context.h"
#include "api/http/static_files.h"

namespace hitlgate::api {

std::string BearerToken(const Request& request) {
  std::string h = request.Header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (h.size() > kBearer.size() && std::equal(kBearer.begin(), kBearer.end(), h.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
      })) {
    return h.substr(kBearer.size());
  }
  return {};
}

void RegisterSystemRoutes(Router& router, ApiContext& ctx) {
  using V = http::verb;
  router.Add(V::get, "/healthz", [](Request&) -> asio::awaitable<Response> {
    co_return Json(200, "{\"status\":\"ok\"}");
  });
  router.Add(V::get, "/readyz", [&ctx](Request&) -> asio::awaitable<Response> {
    if (ctx.ready && ctx.ready()) co_return Json(200, "{\"status\":\"ready\"}");
    co_return Json(503, "{\"status\":\"starting\"}");
  });
  // Unauthenticated like most Prometheus targets unless serve
  // --metrics-need-key; it carries counts only, served from memory (the
  // queue depths are refreshed by the gateway's tick, not per scrape).
  router.Add(V::get, "/metrics", [&ctx](Request& req) -> asio::awaitable<Response> {
    if (ctx.metrics_need_key) {
      const std::string token = BearerToken(req);
      auto allowed = co_await ctx.pool.Run([&]() -> Result<void> {
        auto who = ctx.gateway.access().Authenticate(token, req.remote_address);
        HITLGATE_RETURN_IF_ERROR(who);
        if (!who->Can(gateway::Permission::kReadMetrics)) {
          return MakeError(ErrorCode::kPermissionDenied, "this key may not read metrics");
        }
        return {};
      });
      if (!allowed) co_return JsonError(allowed.error());
    }
    Response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = ctx.metrics.Expose();
    co_return r;
  });
}

void RegisterRoutes(Router& router, ApiContext& ctx) {
  if (!ctx.console_dir.empty()) {
    auto files = std::make_shared<StaticFiles>(ctx.console_dir);
    router.SetFallback([files](Request& req) -> asio::awaitable<Response> {
      // An unknown API path is a client's mistake: answering it with the
      // console's index.html (200, HTML) would hide it.
      if (req.path == "/v1" || req.path.starts_with("/v1/")) {
        co_return JsonError(Error(ErrorCode::kNotFound, "no endpoint " + req.path));
      }
      co_return files->Serve(req);
    });
  }
  RegisterSystemRoutes(router, ctx);
  RegisterAgentRoutes(router, ctx);
  RegisterReviewRoutes(router, ctx);
  RegisterAdminRoutes(router, ctx);
  RegisterSuperviseRoutes(router, ctx);
  RegisterMeasureRoutes(router, ctx);
  RegisterReceiptRoutes(router, ctx);
  RegisterPrivacyRoutes(router, ctx);
  RegisterAssistRoutes(router, ctx);
  RegisterAutonomyRoutes(router, ctx);
}

}  // namespace hitlgate::api
