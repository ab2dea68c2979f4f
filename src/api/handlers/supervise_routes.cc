// Supervisors: pause and resume workflows, hold a conversation's next AI
// turn, take a conversation over and hand it back; the live board's
// statistics and alerts. Admins: run a policy's test cases.
#include <charconv>

#include "api/handlers/api_context.h"
#include "hitlgate/codec/json_reader.h"

namespace hitlgate::api {
namespace {

// {"reason": "..."} (optional body).
Result<std::string> ReasonFrom(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return std::string();
  auto r = codec::JsonObjectReader::Parse(body);
  if (!r) return std::unexpected(r.error());
  auto reason = r->OptString("reason");
  if (!reason) return std::unexpected(reason.error());
  if (auto done = r->Finish(); !done) return std::unexpected(done.error());
  return reason->value_or("");
}

}  // namespace

void RegisterSuperviseRoutes(Router& router, ApiContext& ctx) {
  using V = http::verb;
  router.Add(V::get, "/v1/workflows", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) { return ctx.gateway.WorkflowsJson(who); });
  });
  router.Add(V::post, "/v1/workflows/{workflow}/pause", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto reason = ReasonFrom(req.body);
      if (!reason) return std::unexpected(reason.error());
      return ctx.gateway.PauseWorkflow(who, std::string(req.Param("workflow")), *reason);
    });
  });
  router.Add(V::post, "/v1/workflows/{workflow}/resume", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) {
      return ctx.gateway.ResumeWorkflow(who, std::string(req.Param("workflow")));
    });
  });
  router.Add(V::post, "/v1/interactions/{id}/hold-next", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto reason = ReasonFrom(req.body);
      if (!reason) return std::unexpected(reason.error());
      return ctx.gateway.HoldNextTurn(who, std::string(req.Param("id")), *reason);
    });
  });
  router.Add(V::post, "/v1/interactions/{id}/takeover", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto reason = ReasonFrom(req.body);
      if (!reason) return std::unexpected(reason.error());
      return ctx.gateway.TakeOver(who, std::string(req.Param("id")), *reason);
    });
  });
  router.Add(V::post, "/v1/interactions/{id}/handback", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) {
      return ctx.gateway.HandBack(who, std::string(req.Param("id")));
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
      return ctx.gateway.StatsJson(who, std::chrono::seconds(seconds));
    });
  });
  // Earned autonomy: levels, evidence, pending sign-offs (docs/autonomy.md).
  router.Add(V::get, "/v1/autonomy", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) { return ctx.gateway.AutonomyJson(who); });
  });
  router.Add(V::post, "/v1/policies/test", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto r = codec::JsonObjectReader::Parse(req.body);
      if (!r) return std::unexpected(r.error());
      auto policy = r->String("policy");
      if (!policy) return std::unexpected(policy.error());
      auto cases = r->String("cases");
      if (!cases) return std::unexpected(cases.error());
      if (auto done = r->Finish(); !done) return std::unexpected(done.error());
      return ctx.gateway.TestPolicy(who, *policy, *cases);
    });
  });
}

}  // namespace hitlgate::api
