// Reviewers and supervisors: queues, tasks, claims under leases, verdicts,
// and the whole record of an interaction.
#include <charconv>

#include "api/handlers/api_context.h"
#include "hitlgate/codec/json_reader.h"
#include "hitlgate/codec/review_json.h"

namespace hitlgate::api {
namespace {

Result<store::TaskFilter> ParseFilter(const Request& req) {
  store::TaskFilter f;
  if (auto q = req.Query("queue"); !q.empty()) f.queue = std::string(q);
  if (auto w = req.Query("workflow"); !w.empty()) f.workflow = std::string(w);
  if (auto i = req.Query("interaction_id"); !i.empty()) f.interaction_id = std::string(i);
  if (auto s = req.Query("status"); !s.empty()) {
    auto status = store::ParseTaskStatus(s);
    if (!status) return InvalidArgument("query 'status': expected open, claimed, answered or cancelled");
    f.status = *status;
  }
  if (auto l = req.Query("limit"); !l.empty()) {
    int limit = 0;
    auto [end, ec] = std::from_chars(l.data(), l.data() + l.size(), limit);
    if (ec != std::errc() || end != l.data() + l.size() || limit < 1 || limit > 1000) {
      return InvalidArgument("query 'limit': expected 1..1000");
    }
    f.limit = limit;
  }
  return f;
}

// {"lease_id": "..."} bodies of renew and release.
Result<std::string> LeaseIdFrom(std::string_view body) {
  auto reader = codec::JsonObjectReader::Parse(body);
  HITLGATE_RETURN_IF_ERROR(reader);
  auto lease = reader->String("lease_id");
  HITLGATE_RETURN_IF_ERROR(lease);
  HITLGATE_RETURN_IF_ERROR(reader->Finish());
  return lease;
}

Result<gateway::VerdictRequest> ParseVerdict(std::string_view body) {
  auto r = codec::JsonObjectReader::Parse(body);
  HITLGATE_RETURN_IF_ERROR(r);
  gateway::VerdictRequest v;
  auto kind = r->String("verdict");
  HITLGATE_RETURN_IF_ERROR(kind);
  auto parsed = store::ParseVerdictKind(*kind);
  if (!parsed) {
    return InvalidArgument("field 'verdict': expected approved, edited, rejected or taken_over, got '" +
                           *kind + "'");
  }
  v.kind = *parsed;
  auto take = [&](std::string_view field, std::string& dst) -> Result<void> {
    auto s = r->OptString(field);
    HITLGATE_RETURN_IF_ERROR(s);
    if (*s) dst = std::move(**s);
    return {};
  };
  for (auto [field, dst] : {std::pair<std::string_view, std::string*>{"lease_id", &v.lease_id},
                            {"edited_text", &v.edited_text},
                            {"reason", &v.reason},
                            {"customer_message", &v.customer_message},
                            {"note", &v.note}}) {
    HITLGATE_RETURN_IF_ERROR(take(field, *dst));
  }
  auto action = r->OptObject("edited_action");
  HITLGATE_RETURN_IF_ERROR(action);
  if (*action) v.edited_action_json = std::move(**action);
  auto over = r->OptBool("override");
  HITLGATE_RETURN_IF_ERROR(over);
  v.override = over->value_or(false);
  HITLGATE_RETURN_IF_ERROR(r->Finish());
  return v;
}

Result<std::vector<std::string>> QueuesFrom(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return std::vector<std::string>{};
  auto r = codec::JsonObjectReader::Parse(body);
  HITLGATE_RETURN_IF_ERROR(r);
  auto queues = r->OptStrings("queues");
  HITLGATE_RETURN_IF_ERROR(queues);
  HITLGATE_RETURN_IF_ERROR(r->Finish());
  return queues->value_or(std::vector<std::string>{});
}

}  // namespace

void RegisterReviewRoutes(Router& router, ApiContext& ctx) {
  using V = http::verb;
  router.Add(V::get, "/v1/review/queues", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto queues = ctx.gateway.review().Queues(who);
      HITLGATE_RETURN_IF_ERROR(queues);
      return codec::QueuesJson(*queues);
    });
  });
  router.Add(V::get, "/v1/review/tasks", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto filter = ParseFilter(req);
      HITLGATE_RETURN_IF_ERROR(filter);
      auto tasks = ctx.gateway.review().Tasks(who, *filter);
      HITLGATE_RETURN_IF_ERROR(tasks);
      return codec::TaskListJson(*tasks);
    });
  });
  router.Add(V::get, "/v1/review/tasks/{id}", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto task = ctx.gateway.review().Task(who, std::string(req.Param("id")));
      HITLGATE_RETURN_IF_ERROR(task);
      return codec::ReviewerTaskJson(*task);
    });
  });
  router.Add(V::post, "/v1/review/next", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto queues = QueuesFrom(req.body);
      HITLGATE_RETURN_IF_ERROR(queues);
      auto task = ctx.gateway.review().ClaimNext(who, *queues);
      HITLGATE_RETURN_IF_ERROR(task);
      return codec::ReviewerTaskJson(*task);
    });
  });
  router.Add(V::post, "/v1/review/tasks/{id}/claim", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto task = ctx.gateway.review().Claim(who, std::string(req.Param("id")));
      HITLGATE_RETURN_IF_ERROR(task);
      return codec::ReviewerTaskJson(*task);
    });
  });
  router.Add(V::post, "/v1/review/tasks/{id}/renew", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto lease = LeaseIdFrom(req.body);
      HITLGATE_RETURN_IF_ERROR(lease);
      auto task = ctx.gateway.review().RenewLease(who, std::string(req.Param("id")), *lease);
      HITLGATE_RETURN_IF_ERROR(task);
      return codec::TaskJson(*task, /*with_context=*/false);
    });
  });
  router.Add(V::post, "/v1/review/tasks/{id}/release", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto lease = LeaseIdFrom(req.body);
      HITLGATE_RETURN_IF_ERROR(lease);
      auto task = ctx.gateway.review().Release(who, std::string(req.Param("id")), *lease);
      HITLGATE_RETURN_IF_ERROR(task);
      return codec::TaskJson(*task, /*with_context=*/false);
    });
  });
  router.Add(V::post, "/v1/review/tasks/{id}/verdict", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto verdict = ParseVerdict(req.body);
      HITLGATE_RETURN_IF_ERROR(verdict);
      auto task = ctx.gateway.review().SubmitVerdict(who, std::string(req.Param("id")), *verdict);
      HITLGATE_RETURN_IF_ERROR(task);
      return codec::TaskJson(*task, /*with_context=*/false);
    });
  });
  router.Add(V::get, "/v1/interactions/{id}", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto record = ctx.gateway.review().Interaction(who, std::string(req.Param("id")),
                                                     std::string(req.Query("workflow")));
      HITLGATE_RETURN_IF_ERROR(record);
      return codec::InteractionJson(*record);
    });
  });
}

}  // namespace hitlgate::api
