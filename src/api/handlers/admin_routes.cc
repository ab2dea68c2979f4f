// Admins and auditors: policies (validate, upload, activate, roll back),
// keys, webhooks, the audit log, and "who am I".
#include <boost/json.hpp>
#include <charconv>
#include <cstdio>

#include "api/handlers/api_context.h"
#include "hitlgate/audit/json_lines.h"
#include "hitlgate/codec/json_reader.h"
#include "hitlgate/codec/json_writer.h"
#include "hitlgate/codec/policy_json.h"
#include "hitlgate/common/time_format.h"

namespace hitlgate::api {
namespace {

Result<gateway::KeyRequest> ParseKeyRequest(std::string_view body) {
  auto r = codec::JsonObjectReader::Parse(body);
  HITLGATE_RETURN_IF_ERROR(r);
  gateway::KeyRequest k;
  auto name = r->String("name");
  HITLGATE_RETURN_IF_ERROR(name);
  k.name = *name;
  auto role = r->String("role");
  HITLGATE_RETURN_IF_ERROR(role);
  auto parsed = store::ParseRole(*role);
  if (!parsed) {
    return InvalidArgument("field 'role': expected agent, reviewer, supervisor, auditor or admin, got '" +
                           *role + "'");
  }
  k.role = *parsed;
  for (auto [field, dst] : {std::pair<std::string_view, std::vector<std::string>*>{"skills", &k.skills},
                            {"languages", &k.languages},
                            {"workflows", &k.workflows}}) {
    auto list = r->OptStrings(field);
    HITLGATE_RETURN_IF_ERROR(list);
    if (*list) *dst = std::move(**list);
  }
  auto max = r->OptInt("max_concurrent");
  HITLGATE_RETURN_IF_ERROR(max);
  if (*max && (**max < 0 || **max > 1000)) return InvalidArgument("field 'max_concurrent': expected 0..1000");
  k.max_concurrent = static_cast<int>(max->value_or(0));
  // {"EUR": 200, "USD": 250}: the most each currency's actions may amount to.
  auto limits = r->OptObject("approval_limits");
  HITLGATE_RETURN_IF_ERROR(limits);
  if (*limits) {
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(**limits, ec);
    if (ec || !v.is_object()) return InvalidArgument("field 'approval_limits': expected an object");
    std::vector<std::string> items;
    for (const auto& [currency, amount] : v.as_object()) {
      if (!amount.is_number()) {
        return InvalidArgument("field 'approval_limits': " + std::string(currency) + " needs a number");
      }
      char text[64];
      std::snprintf(text, sizeof text, "%.17g", amount.to_number<double>());
      items.push_back(std::string(currency) + "=" + text);
    }
    auto parsed_limits = store::ParseApprovalLimits(items);
    if (!parsed_limits) {
      return InvalidArgument("field 'approval_limits': " + parsed_limits.error().message());
    }
    k.approval_limits = std::move(*parsed_limits);
  }
  HITLGATE_RETURN_IF_ERROR(r->Finish());
  return k;
}

void WriteKey(const store::ApiKey& k, codec::JsonWriter& w) {
  // Never the secret hash: it is of no use to a client and helps an attacker.
  w.BeginObject();
  w.Field("key_id", k.key_id);
  w.Field("name", k.name);
  w.Field("role", store::RoleName(k.role));
  w.Key("skills").Strings(k.skills);
  w.Key("languages").Strings(k.languages);
  w.Key("workflows").Strings(k.workflows);
  w.Field("max_concurrent", k.max_concurrent);
  w.Key("approval_limits").BeginObject();
  for (const store::ApprovalLimit& l : k.approval_limits) w.Key(l.currency).Number(l.max_amount);
  w.EndObject();
  w.Field("created_at", FormatRfc3339(k.created_at));
  w.Field("created_by", k.created_by);
  if (k.revoked_at) w.Field("revoked_at", FormatRfc3339(*k.revoked_at));
  w.EndObject();
}

std::string KeysJson(const std::vector<store::ApiKey>& keys) {
  codec::JsonWriter w;
  w.BeginObject().Key("keys").BeginArray();
  for (const store::ApiKey& k : keys) WriteKey(k, w);
  w.EndArray().EndObject();
  return w.Take();
}

std::string NewKeyJson(const gateway::NewKey& k) {
  codec::JsonWriter w;
  w.BeginObject()
      .Field("key_id", k.key.key_id)
      .Field("token", k.token)
      .Field("role", store::RoleName(k.key.role))
      .Field("name", k.key.name)
      .Field("note", "the token is shown once; store it now")
      .EndObject();
  return w.Take();
}

}  // namespace

void RegisterAdminRoutes(Router& router, ApiContext& ctx) {
  using V = http::verb;
  router.Add(V::get, "/v1/me", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [](const gateway::Principal& who) -> Result<std::string> {
      codec::JsonWriter w;
      w.BeginObject().Field("key_id", who.key_id).Field("name", who.name);
      w.Field("role", store::RoleName(who.role)).Key("skills").Strings(who.skills);
      w.Key("languages").Strings(who.languages).Key("workflows").Strings(who.workflows);
      w.Field("max_concurrent", who.max_concurrent).Key("approval_limits").BeginObject();
      for (const store::ApprovalLimit& l : who.approval_limits) w.Key(l.currency).Number(l.max_amount);
      w.EndObject().EndObject();
      return w.Take();
    });
  });
  router.Add(V::get, "/v1/policies", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) {
      return Written(ctx.gateway.policies().ListPolicies(who), codec::PolicyVersionsJson);
    });
  });
  router.Add(V::get, "/v1/policies/{version}", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) {
      return Written(ctx.gateway.policies().GetPolicy(who, std::string(req.Param("version"))),
                     codec::PolicyVersionJson);
    });
  });
  router.Add(V::post, "/v1/policies/validate", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) {
      return Written(ctx.gateway.policies().ValidatePolicy(who, req.body), codec::PolicyCheckJson);
    });
  });
  router.Add(V::post, "/v1/policies", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) {
      return Written(ctx.gateway.policies().UploadPolicy(who, req.body, req.Query("activate") == "true"),
                     codec::UploadedPolicyJson);
    });
  });
  router.Add(V::post, "/v1/policies/{version}/activate", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) {
      return Written(ctx.gateway.policies().ActivatePolicy(who, std::string(req.Param("version"))),
                     codec::ActivatedPolicyJson);
    });
  });
  router.Add(V::get, "/v1/keys", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto keys = ctx.gateway.access().Keys(who);
      HITLGATE_RETURN_IF_ERROR(keys);
      return KeysJson(*keys);
    });
  });
  router.Add(V::post, "/v1/keys", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto request = ParseKeyRequest(req.body);
      HITLGATE_RETURN_IF_ERROR(request);
      auto key = ctx.gateway.access().CreateKey(who, *request);
      HITLGATE_RETURN_IF_ERROR(key);
      return NewKeyJson(*key);
    });
  });
  router.Add(V::delete_, "/v1/keys/{id}", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto done = ctx.gateway.access().RevokeKey(who, std::string(req.Param("id")));
      HITLGATE_RETURN_IF_ERROR(done);
      return std::string("{\"revoked\":true}");
    });
  });
  router.Add(V::put, "/v1/webhooks/{workflow}", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto r = codec::JsonObjectReader::Parse(req.body);
      HITLGATE_RETURN_IF_ERROR(r);
      auto url = r->String("url");
      HITLGATE_RETURN_IF_ERROR(url);
      auto secret = r->String("secret");
      HITLGATE_RETURN_IF_ERROR(secret);
      HITLGATE_RETURN_IF_ERROR(r->Finish());
      store::Webhook hook{std::string(req.Param("workflow")), *url, *secret, {}};
      auto set = ctx.gateway.access().SetWebhook(who, hook);
      HITLGATE_RETURN_IF_ERROR(set);
      return std::string("{\"ok\":true}");
    });
  });
  // The audit log as JSON lines (the format `hitlgate audit verify --file` reads).
  router.Add(V::get, "/v1/audit", [&ctx](Request& req) -> asio::awaitable<Response> {
    std::int64_t from = 1;
    int limit = 1000;
    // A bad number is refused, not silently read as the default.
    if (auto f = req.Query("from_seq"); !f.empty()) {
      auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), from);
      if (ec != std::errc() || end != f.data() + f.size() || from < 1) {
        co_return JsonError(InvalidArgument("query 'from_seq': expected an integer >= 1").error());
      }
    }
    if (auto l = req.Query("limit"); !l.empty()) {
      auto [end, ec] = std::from_chars(l.data(), l.data() + l.size(), limit);
      if (ec != std::errc() || end != l.data() + l.size() || limit < 1 || limit > 10000) {
        co_return JsonError(InvalidArgument("query 'limit': expected 1..10000").error());
      }
    }
    std::string token = BearerToken(req);
    auto records = co_await ctx.pool.Run([&]() -> Result<std::vector<audit::AuditRecord>> {
      auto who = ctx.gateway.access().Authenticate(token, req.remote_address);
      HITLGATE_RETURN_IF_ERROR(who);
      return ctx.gateway.ReadAudit(*who, from, limit);
    });
    if (!records) co_return JsonError(records.error());
    Response r;
    r.content_type = "application/x-ndjson";
    for (const audit::AuditRecord& rec : *records) {
      r.body += audit::EncodeJsonLine(rec);
      r.body += '\n';
    }
    co_return r;
  });
}

}  // namespace hitlgate::api
