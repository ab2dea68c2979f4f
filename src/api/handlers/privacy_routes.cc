// Customers' rights (docs/data-protection.md): contesting an automated
// decision, the contest's verdict, data-subject export and erasure, legal
// holds. The work is in the privacy module; here only bodies and routes.
#include "api/handlers/api_context.h"
#include "hitlgate/codec/json_reader.h"
#include "hitlgate/privacy/data_protection.h"

namespace hitlgate::api {
namespace {

Result<codec::JsonObjectReader> BodyObject(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return InvalidArgument("a JSON object body is required");
  }
  return codec::JsonObjectReader::Parse(body);
}

// {"statement", "decision_seq" | "event_index", "requested_by", "workflow"}.
privacy::Services Privacy(ApiContext& ctx) { return privacy::Services{ctx.store, ctx.gateway}; }

Result<privacy::ContestRequest> ContestFrom(std::string_view body) {
  auto r = BodyObject(body);
  HITLGATE_RETURN_IF_ERROR(r);
  privacy::ContestRequest c;
  auto statement = r->String("statement");
  HITLGATE_RETURN_IF_ERROR(statement);
  c.statement = std::move(*statement);
  auto seq = r->OptInt("decision_seq");
  HITLGATE_RETURN_IF_ERROR(seq);
  c.decision_seq = *seq;
  auto index = r->OptInt("event_index");
  HITLGATE_RETURN_IF_ERROR(index);
  c.event_index = *index;
  auto by = r->OptString("requested_by");
  HITLGATE_RETURN_IF_ERROR(by);
  if (*by) c.requested_by = **by;
  auto workflow = r->OptString("workflow");
  HITLGATE_RETURN_IF_ERROR(workflow);
  if (*workflow) c.workflow = **workflow;
  HITLGATE_RETURN_IF_ERROR(r->Finish());
  return c;
}

// {"outcome": "upheld" | "overturned", "explanation", "note", "lease_id", "override"}.
Result<privacy::ContestVerdict> ContestVerdictFrom(std::string_view body) {
  auto r = BodyObject(body);
  HITLGATE_RETURN_IF_ERROR(r);
  privacy::ContestVerdict v;
  auto outcome = r->String("outcome");
  HITLGATE_RETURN_IF_ERROR(outcome);
  if (*outcome != "upheld" && *outcome != "overturned") {
    return InvalidArgument("field 'outcome': 'upheld' or 'overturned', got '" + *outcome + "'");
  }
  v.upheld = *outcome == "upheld";
  auto explanation = r->String("explanation");
  HITLGATE_RETURN_IF_ERROR(explanation);
  v.explanation = std::move(*explanation);
  auto note = r->OptString("note");
  HITLGATE_RETURN_IF_ERROR(note);
  v.note = note->value_or("");
  auto lease = r->OptString("lease_id");
  HITLGATE_RETURN_IF_ERROR(lease);
  v.lease_id = lease->value_or("");
  auto override_ = r->OptBool("override");
  HITLGATE_RETURN_IF_ERROR(override_);
  v.override = override_->value_or(false);
  HITLGATE_RETURN_IF_ERROR(r->Finish());
  return v;
}

struct HoldBody {
  std::string scope;  // "customer" or "interaction"
  std::string id;
  std::string reason;
};

// {"customer_id" | "interaction_id", "reason"}.
Result<HoldBody> HoldFrom(std::string_view body, bool with_reason) {
  auto r = BodyObject(body);
  HITLGATE_RETURN_IF_ERROR(r);
  HoldBody h;
  auto customer = r->OptString("customer_id");
  HITLGATE_RETURN_IF_ERROR(customer);
  auto interaction = r->OptString("interaction_id");
  HITLGATE_RETURN_IF_ERROR(interaction);
  if (customer->has_value() == interaction->has_value()) {
    return InvalidArgument("give one of 'customer_id' or 'interaction_id'");
  }
  h.scope = *customer ? "customer" : "interaction";
  h.id = *customer ? **customer : **interaction;
  if (with_reason) {
    auto reason = r->OptString("reason");
    HITLGATE_RETURN_IF_ERROR(reason);
    h.reason = reason->value_or("");
  }
  HITLGATE_RETURN_IF_ERROR(r->Finish());
  return h;
}

}  // namespace

void RegisterPrivacyRoutes(Router& router, ApiContext& ctx) {
  using V = http::verb;
  router.Add(V::post, "/v1/interactions/{id}/contest", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto c = ContestFrom(req.body);
      HITLGATE_RETURN_IF_ERROR(c);
      return privacy::OpenContest(Privacy(ctx), who, std::string(req.Param("id")), *c);
    });
  });
  router.Add(V::post, "/v1/review/tasks/{id}/contest-verdict", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto v = ContestVerdictFrom(req.body);
      HITLGATE_RETURN_IF_ERROR(v);
      return privacy::DecideContest(Privacy(ctx), who, std::string(req.Param("id")), *v);
    });
  });
  router.Add(V::get, "/v1/customers/{id}/export", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) {
      return privacy::ExportCustomer(Privacy(ctx), who, std::string(req.Param("id")));
    });
  });
  router.Add(V::post, "/v1/customers/{id}/erase", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) {
      return privacy::EraseCustomer(Privacy(ctx), who, std::string(req.Param("id")));
    });
  });
  router.Add(V::get, "/v1/legal-holds", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) { return privacy::LegalHoldsJson(Privacy(ctx), who); });
  });
  router.Add(V::post, "/v1/legal-holds", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto h = HoldFrom(req.body, /*with_reason=*/true);
      HITLGATE_RETURN_IF_ERROR(h);
      return privacy::SetLegalHold(Privacy(ctx), who, h->scope, h->id, h->reason);
    });
  });
  router.Add(V::post, "/v1/legal-holds/release", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto h = HoldFrom(req.body, /*with_reason=*/false);
      HITLGATE_RETURN_IF_ERROR(h);
      return privacy::ReleaseLegalHold(Privacy(ctx), who, h->scope, h->id);
    });
  });
}

}  // namespace hitlgate::api
