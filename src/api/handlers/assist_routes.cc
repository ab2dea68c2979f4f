// Agent assist (docs/assist.md): reviewers and supervisors read a task's
// next-step suggestions and articles; admins upload versions of the
// procedures and articles and activate them. Without `serve --assist-model`
// the endpoints say assist is off.
#include <string>

#include "api/handlers/api_context.h"
#include "hitlgate/assist/assist_service.h"
#include "hitlgate/assist/knowledge_versions.h"
#include "hitlgate/audit/payload.h"
#include "hitlgate/codec/json_reader.h"
#include "hitlgate/codec/json_writer.h"
#include "hitlgate/common/time_format.h"

namespace hitlgate::api {
namespace {

Result<assist::AssistService*> Service(ApiContext& ctx) {
  if (ctx.assist == nullptr) {
    return FailedPrecondition("agent assist is off: start serve with --assist-model and --assist-knowledge");
  }
  return ctx.assist;
}

Result<assist::KnowledgeVersions*> Versions(ApiContext& ctx) {
  HITLGATE_RETURN_IF_ERROR(Service(ctx));
  return ctx.assist_knowledge;
}

Result<void> RequireAdmin(const gateway::Principal& who) {
  if (who.role != store::Role::kAdmin) {
    return MakeError(ErrorCode::kPermissionDenied, "only admins load and activate procedures and articles");
  }
  return {};
}

void WriteVersion(const store::KnowledgeVersionInfo& v, codec::JsonWriter& w) {
  w.BeginObject()
      .Field("id", v.version.id)
      .Field("procedures", v.version.procedures)
      .Field("articles", v.version.articles)
      .Field("uploaded_by", v.version.uploaded_by)
      .Field("uploaded_at", FormatRfc3339(v.version.uploaded_at))
      .Field("active", v.active);
  if (v.activated_at) w.Field("activated_at", FormatRfc3339(*v.activated_at)).Field("activated_by", v.activated_by);
  w.EndObject();
}

Result<std::string> VersionJson(const Result<store::KnowledgeVersionInfo>& v) {
  HITLGATE_RETURN_IF_ERROR(v);
  codec::JsonWriter w;
  WriteVersion(*v, w);
  return w.Take();
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
      return (*service)->AssistJson(assist::ContextFromTask(task->task, task->transcript.value_or(std::vector<store::StoredDecision>{})));
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
      // The task must exist; its transcript and the customer's contacts are not needed.
      HITLGATE_RETURN_IF_ERROR(ctx.store.GetTask(task_id));
      audit::AuditEntry entry{"assist_feedback", who.key_id, task_id,
                              audit::PayloadBuilder().Str("action", feedback->action).Str("judgement", feedback->judgement).Build()};
      auto records = ctx.store.AppendAudit({entry}, ctx.gateway.clock().Now());
      HITLGATE_RETURN_IF_ERROR(records);
      codec::JsonWriter w;
      w.BeginObject().Field("recorded", true).Field("audit_seq", records->front().seq).EndObject();
      return w.Take();
    });
  });
  // The version this gateway serves.
  router.Add(V::get, "/v1/assist/knowledge", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      if (!Reads(who)) return MakeError(ErrorCode::kPermissionDenied, "assist is for reviewers, supervisors and admins");
      auto versions = Versions(ctx);
      HITLGATE_RETURN_IF_ERROR(versions);
      return VersionJson((*versions)->Served());
    });
  });
  // A new version, stored and activated; a refused document changes nothing.
  router.Add(V::put, "/v1/assist/knowledge", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      HITLGATE_RETURN_IF_ERROR(RequireAdmin(who));
      auto versions = Versions(ctx);
      HITLGATE_RETURN_IF_ERROR(versions);
      return VersionJson((*versions)->Upload(req.body, who.key_id, ctx.gateway.clock().Now()));
    });
  });
  router.Add(V::get, "/v1/assist/knowledge/versions", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      if (!Reads(who)) return MakeError(ErrorCode::kPermissionDenied, "assist is for reviewers, supervisors and admins");
      auto versions = Versions(ctx);
      HITLGATE_RETURN_IF_ERROR(versions);
      auto list = (*versions)->List();
      HITLGATE_RETURN_IF_ERROR(list);
      codec::JsonWriter w;
      w.BeginObject().Key("versions").BeginArray();
      for (const auto& v : *list) WriteVersion(v, w);
      w.EndArray().EndObject();
      return w.Take();
    });
  });
  // Also how a rollback is done: activate the older version again.
  router.Add(V::post, "/v1/assist/knowledge/versions/{id}/activate", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      HITLGATE_RETURN_IF_ERROR(RequireAdmin(who));
      auto versions = Versions(ctx);
      HITLGATE_RETURN_IF_ERROR(versions);
      return VersionJson((*versions)->Activate(std::string(req.Param("id")), who.key_id, ctx.gateway.clock().Now()));
    });
  });
}

}  // namespace hitlgate::api
