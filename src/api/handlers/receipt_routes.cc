// Approval receipts' keys: the published history of the gateway's signing
// keys (unauthenticated: an executing system needs it, and it holds public
// keys only) and an admin's key rotation (docs/receipts.md).
#include "api/handlers/api_context.h"

namespace hitlgate::api {

void RegisterReceiptRoutes(Router& router, ApiContext& ctx) {
  using V = http::verb;
  router.Add(V::get, "/v1/receipt-keys", [&ctx](Request&) -> asio::awaitable<Response> {
    auto keys = ctx.gateway.ReceiptKeysJson();
    if (!keys) co_return JsonError(keys.error());
    co_return Json(200, std::move(*keys));
  });
  router.Add(V::post, "/v1/receipt-keys/rotate", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) { return ctx.gateway.RotateReceiptKey(who); });
  });
}

}  // namespace hitlgate::api
