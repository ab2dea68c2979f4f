// Agent assist (docs/assist.md): reviewers and supervisors read a task's
// next-step suggestions and articles; admins replace the procedures and
// articles. Without `serve --assist-model` the endpoints say assist is off.
#include <string>

#include "api/handlers/api_context.h"
#include "hitlgate/assist/assist_service.h"

namespace hitlgate::api {
namespace {

Result<assist::AssistService*> Service(ApiContext& ctx) {
  if (ctx.assist == nullptr) {
    return FailedPrecondition("agent assist is off: start serve with --assist-model and --assist-knowledge");
  }
  return ctx.assist;
}

bool Reads(const gateway::Principal& who) {
  return who.role == store::Role::kReviewer || who.role == store::Role::kSupervisor || who.role == store::Role::kAdmin;
}

}  // namespace

void RegisterAssistRoutes(Router& router, ApiContext& ctx) {
  using V = http::verb;
  router.Add(V::get, "/v1/review/tasks/{id}/assist", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      if (!Reads(who)) return MakeError(ErrorCode::kPermissionDenied, "assist is for reviewers, supervisors and admins");
      auto service = Service(ctx);
      HITLGATE_RETURN_IF_ERROR(service);
      // The task as this person may see it: the same access rules, the same transcript.
      auto task = ctx.gateway.TaskJson(who, std::string(req.Param("id")));
      HITLGATE_RETURN_IF_ERROR(task);
      return (*service)->AssistJson(*task);
    });
  });
  router.Add(V::get, "/v1/assist/knowledge", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      if (!Reads(who)) return MakeError(ErrorCode::kPermissionDenied, "assist is for reviewers, supervisors and admins");
      auto service = Service(ctx);
      HITLGATE_RETURN_IF_ERROR(service);
      return (*service)->SummaryJson();
    });
  });
  router.Add(V::put, "/v1/assist/knowledge", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      if (who.role != store::Role::kAdmin) {
        return MakeError(ErrorCode::kPermissionDenied, "only admins load procedures and articles");
      }
      auto service = Service(ctx);
      HITLGATE_RETURN_IF_ERROR(service);
      auto knowledge = assist::ParseKnowledge(req.body);
      HITLGATE_RETURN_IF_ERROR(knowledge);
      HITLGATE_RETURN_IF_ERROR((*service)->ReplaceKnowledge(std::move(*knowledge)));
      return (*service)->SummaryJson();
    });
  });
}

}  // namespace hitlgate::api
