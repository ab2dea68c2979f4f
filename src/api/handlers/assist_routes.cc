// Agent assist (docs/assist.md): reviewers and supervisors read a task's
// next-step suggestions and articles; admins replace the procedures and
// articles. Without `serve --assist-model` the endpoints say assist is off.
#include <string>

#include "api/handlers/api_context.h"
#include "hitlgate/codec/review_json.h"
#include "hitlgate/assist/assist_service.h"
#include "hitlgate/audit/payload.h"
#include "hitlgate/codec/json_reader.h"

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

struct SuggestionFeedback {
  std::string action;
  std::string judgement;  // used | wrong
};

Result<SuggestionFeedback> ParseFeedback(std::string_view body) {
  auto r = codec::JsonObjectReader::Parse(body);
  HITLGATE_RETURN_IF_ERROR(r);
  SuggestionFeedback f;
  auto action = r->String("action");
  HITLGATE_RETURN_IF_ERROR(action);
  if (action->empty() || action->size() > 200) return InvalidArgument("field 'action': expected 1..200 characters");
  f.action = std::move(*action);
  auto judgement = r->String("judgement");
  HITLGATE_RETURN_IF_ERROR(judgement);
  if (*judgement != "used" && *judgement != "wrong") {
    return InvalidArgument("field 'judgement': expected used or wrong, got '" + *judgement + "'");
  }
  f.judgement = std::move(*judgement);
  HITLGATE_RETURN_IF_ERROR(r->Finish());
  return f;
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
      auto task = ctx.gateway.review().Task(who, std::string(req.Param("id")));
      HITLGATE_RETURN_IF_ERROR(task);
      return (*service)->AssistJson(codec::ReviewerTaskJson(*task));
    });
  });
  // A person used a suggestion or marked it wrong: an audit record
  // "assist_feedback", where the feedback export and the measures read it.
  router.Add(V::post, "/v1/review/tasks/{id}/assist/feedback", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      if (!Reads(who)) return MakeError(ErrorCode::kPermissionDenied, "assist is for reviewers, supervisors and admins");
      HITLGATE_RETURN_IF_ERROR(Service(ctx));
      auto feedback = ParseFeedback(req.body);
      HITLGATE_RETURN_IF_ERROR(feedback);
      const std::string task_id(req.Param("id"));
      HITLGATE_RETURN_IF_ERROR(ctx.gateway.review().Task(who, task_id));  // exists, and this key may see it
      audit::AuditEntry entry{"assist_feedback", who.key_id, task_id,
                              audit::PayloadBuilder().Str("action", feedback->action).Str("judgement", feedback->judgement).Build()};
      auto records = ctx.store.AppendAudit({entry}, ctx.gateway.clock().Now());
      HITLGATE_RETURN_IF_ERROR(records);
      codec::JsonWriter w;
      w.BeginObject().Field("recorded", true).Field("audit_seq", records->front().seq).EndObject();
      return w.Take();
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
