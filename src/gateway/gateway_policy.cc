// Policies over the API: validate with the checker's messages, upload
// versions, activate (also how a rollback is done), list.
#include "gateway/access.h"
#include "gateway/json_views.h"
#include "hitlgate/codec/json_writer.h"
#include "hitlgate/gateway/gateway.h"

namespace hitlgate::gateway {
namespace {

constexpr std::string_view kUploadName = "policy.yaml";

void WriteIssues(const std::vector<policy::Issue>& issues, codec::JsonWriter& w) {
  w.Key("issues").BeginArray();
  for (const policy::Issue& i : issues) {
    w.BeginObject();
    w.Field("severity", i.severity == policy::Issue::Severity::kError ? "error" : "warning");
    w.Field("line", i.line);
    w.Field("column", i.column);
    w.Field("code", i.code);
    w.Field("message", i.message);
    w.Field("text", i.ToString());
    w.EndObject();
  }
  w.EndArray();
}

std::string IssuesText(const std::vector<policy::Issue>& issues) {
  std::string out;
  for (const policy::Issue& i : issues) {
    if (i.severity != policy::Issue::Severity::kError) continue;
    if (!out.empty()) out += "; ";
    out += i.ToString();
  }
  return out;
}

std::string VersionJson(std::string_view version) {
  codec::JsonWriter w;
  w.BeginObject().Field("version", version).EndObject();
  return w.Take();
}

}  // namespace

Result<std::string> Gateway::ValidatePolicy(const Principal& who, std::string_view yaml) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kManagePolicies));
  policy::CompileResult compiled = policy::CompileText(yaml, kUploadName);
  codec::JsonWriter w;
  w.BeginObject();
  w.Field("ok", compiled.ok());
  if (compiled.ok()) {
    w.Field("version", compiled.program->version());
    w.Field("name", compiled.program->name());
  }
  WriteIssues(compiled.issues, w);
  w.EndObject();
  return w.Take();
}

Result<std::string> Gateway::UploadPolicy(const Principal& who, std::string_view yaml, bool activate) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kManagePolicies));
  policy::CompileResult compiled = policy::CompileText(yaml, kUploadName);
  if (!compiled.ok()) return InvalidArgument("the policy has errors: " + IssuesText(compiled.issues));
  const TimePoint now = clock_.Now();
  store::PolicyVersion version{compiled.program->version(), compiled.program->name(),
                               std::string(yaml), who.key_id, now};
  HITLGATE_RETURN_IF_ERROR(store_.SavePolicyVersion(version));
  if (activate) {
    HITLGATE_RETURN_IF_ERROR(store_.ActivatePolicy(version.version, who.key_id, now));
    // New events only: decisions already made keep the version they name.
    engine_.SetPolicy(compiled.program);
    live_.Publish("policy.activated", "", VersionJson(version.version));
  }
  codec::JsonWriter w;
  w.BeginObject();
  w.Field("version", version.version);
  w.Field("name", version.name);
  w.Field("active", activate);
  WriteIssues(compiled.issues, w);  // warnings, if any
  w.EndObject();
  return w.Take();
}

Result<std::string> Gateway::ActivatePolicy(const Principal& who, const std::string& version) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kManagePolicies));
  auto versions = store_.ListPolicyVersions();
  HITLGATE_RETURN_IF_ERROR(versions);
  const store::PolicyVersionInfo* found = nullptr;
  for (const auto& v : *versions) {
    if (v.policy.version == version) found = &v;
  }
  if (found == nullptr) return NotFound("no policy version " + version);
  policy::CompileResult compiled = policy::CompileText(found->policy.source_yaml, kUploadName);
  if (!compiled.ok()) {
    // Stored versions compiled when uploaded; a failure now means the
    // compiler changed underneath them.
    return FailedPrecondition("version " + version + " no longer compiles: " +
                              IssuesText(compiled.issues));
  }
  HITLGATE_RETURN_IF_ERROR(store_.ActivatePolicy(version, who.key_id, clock_.Now()));
  engine_.SetPolicy(compiled.program);
  live_.Publish("policy.activated", "", VersionJson(version));
  return std::string("{\"version\":\"" + version + "\",\"active\":true}");
}

Result<std::string> Gateway::PoliciesJson(const Principal& who) {
  if (auto ok = Require(who, Permission::kReadQueues); !ok) {
    HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kManagePolicies));
  }
  auto versions = store_.ListPolicyVersions();
  HITLGATE_RETURN_IF_ERROR(versions);
  codec::JsonWriter w;
  w.BeginObject().Key("versions").BeginArray();
  for (const auto& v : *versions) WritePolicyInfo(v, w, /*with_source=*/false);
  w.EndArray().EndObject();
  return w.Take();
}

Result<std::string> Gateway::PolicyJson(const Principal& who, const std::string& version) {
  if (auto ok = Require(who, Permission::kReadQueues); !ok) {
    HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kManagePolicies));
  }
  auto versions = store_.ListPolicyVersions();
  HITLGATE_RETURN_IF_ERROR(versions);
  for (const auto& v : *versions) {
    if (v.policy.version == version || (version == "active" && v.active)) {
      codec::JsonWriter w;
      WritePolicyInfo(v, w, /*with_source=*/true);
      return w.Take();
    }
  }
  return NotFound("no policy version " + version);
}

Result<void> Gateway::LoadActivePolicy(std::string_view fallback_yaml, std::string_view fallback_name) {
  auto active = store_.GetActivePolicy();
  if (active) {
    policy::CompileResult compiled = policy::CompileText(active->policy.source_yaml, fallback_name);
    if (!compiled.ok()) {
      return FailedPrecondition("the active policy " + active->policy.version +
                                " does not compile: " + IssuesText(compiled.issues));
    }
    engine_.SetPolicy(compiled.program);
    return {};
  }
  if (active.error().code() != ErrorCode::kNotFound) return std::unexpected(active.error());
  policy::CompileResult compiled = policy::CompileText(fallback_yaml, fallback_name);
  if (!compiled.ok()) {
    return InvalidArgument(std::string(fallback_name) + ": " + IssuesText(compiled.issues));
  }
  const TimePoint now = clock_.Now();
  store::PolicyVersion version{compiled.program->version(), compiled.program->name(),
                               std::string(fallback_yaml), "system", now};
  HITLGATE_RETURN_IF_ERROR(store_.SavePolicyVersion(version));
  HITLGATE_RETURN_IF_ERROR(store_.ActivatePolicy(version.version, "system", now));
  engine_.SetPolicy(compiled.program);
  return {};
}

}  // namespace hitlgate::gateway
