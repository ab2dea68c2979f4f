// Approval receipts' keys: the published history of the gateway's signing
// keys (unauthenticated: an executing system needs it, and it holds public
// keys only) and an admin's key rotation (docs/receipts.md).
#include "api/handlers/api_context.h"
#include "hitlgate/receipts/signing_keys.h"

namespace hitlgate::api {

void RegisterReceiptRoutes(Router& router, ApiContext& ctx) {
  using V = http::verb;
  router.Add(V::get, "/v1/receipt-keys", [&ctx](Request&) -> asio::awaitable<Response> {
    auto keys = ctx.gateway.receipts().Keys();
    if (!keys) co_return JsonError(keys.error());
    co_return Json(200, receipts::EncodePublicKeys(*keys));
  });
  router.Add(V::post, "/v1/receipt-keys/rotate", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto keys = ctx.gateway.receipts().RotateKey(who);
      HITLGATE_RETURN_IF_ERROR(keys);
      return receipts::EncodePublicKeys(*keys);
    });
  });
}

}  // namespace hitlgate::api
