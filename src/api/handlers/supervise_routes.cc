// Supervisors: pause and resume workflows, hold a conversation's next AI
// turn, take a conversation over and hand it back; the live board's
// statistics and alerts. Admins: run a policy's test cases.
#include <charconv>

#include "api/handlers/api_context.h"
#include "hitlgate/codec/json_reader.h"
#include "hitlgate/codec/policy_json.h"
#include "hitlgate/codec/supervision_json.h"

namespace hitlgate::api {
namespace {

// {"reason": "..."} (optional body).
Result<std::string> ReasonFrom(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return std::string();
  auto r = codec::JsonObjectReader::Parse(body);
  HITLGATE_RETURN_IF_ERROR(r);
  auto reason = r->OptString("reason");
  HITLGATE_RETURN_IF_ERROR(reason);
  HITLGATE_RETURN_IF_ERROR(r->Finish());
  return reason->value_or("");
}

}  // namespace

void RegisterSuperviseRoutes(Router& router, ApiContext& ctx) {
  using V = http::verb;
  router.Add(V::get, "/v1/workflows", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) {
      return Written(ctx.gateway.supervision().Workflows(who), codec::WorkflowBoardJson);
    });
  });
  router.Add(V::post, "/v1/workflows/{workflow}/pause", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto reason = ReasonFrom(req.body);
      HITLGATE_RETURN_IF_ERROR(reason);
      const std::string workflow(req.Param("workflow"));
      return Written(ctx.gateway.supervision().PauseWorkflow(who, workflow, *reason),
                     codec::ControlChangeJson);
    });
  });
  router.Add(V::post, "/v1/workflows/{workflow}/resume", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) {
      const std::string workflow(req.Param("workflow"));
      return Written(ctx.gateway.supervision().ResumeWorkflow(who, workflow),
                     codec::ControlChangeJson);
    });
  });
  router.Add(V::post, "/v1/interactions/{id}/hold-next", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto reason = ReasonFrom(req.body);
      HITLGATE_RETURN_IF_ERROR(reason);
      return Written(ctx.gateway.supervision().HoldNextTurn(who, std::string(req.Param("id")), *reason,
                                                            std::string(req.Query("workflow"))),
                     codec::ControlChangeJson);
    });
  });
  router.Add(V::post, "/v1/interactions/{id}/takeover", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto reason = ReasonFrom(req.body);
      HITLGATE_RETURN_IF_ERROR(reason);
      return Written(ctx.gateway.supervision().TakeOver(who, std::string(req.Param("id")), *reason,
                                                        std::string(req.Query("workflow"))),
                     codec::ControlChangeJson);
    });
  });
  router.Add(V::post, "/v1/interactions/{id}/handback", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) {
      return Written(ctx.gateway.supervision().HandBack(who, std::string(req.Param("id")),
                                                        std::string(req.Query("workflow"))),
                     codec::ControlChangeJson);
    });
  });
  router.Add(V::get, "/v1/stats", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      std::int64_t seconds = 3600;
      if (auto w = req.Query("window"); !w.empty()) {
        auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), seconds);
        if (ec != std::errc() || end != w.data() + w.size() || seconds < 60 || seconds > 86400) {
          return InvalidArgument("query 'window': expected seconds in 60..86400");
        }
      }
      return Written(ctx.gateway.supervision().Stats(who, std::chrono::seconds(seconds)),
                     codec::LiveStatsJson);
    });
  });
  router.Add(V::post, "/v1/policies/test", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto r = codec::JsonObjectReader::Parse(req.body);
      HITLGATE_RETURN_IF_ERROR(r);
      auto policy = r->String("policy");
      HITLGATE_RETURN_IF_ERROR(policy);
      auto cases = r->String("cases");
      HITLGATE_RETURN_IF_ERROR(cases);
      HITLGATE_RETURN_IF_ERROR(r->Finish());
      return Written(ctx.gateway.policies().TestPolicy(who, *policy, *cases), codec::PolicyTestReportJson);
    });
  });
}

}  // namespace hitlgate::api
