// PolicyService: versions (validate with the checker's messages, upload,
// activate, list), the first start's policy and policy test cases. Shadow
// mode is in policy_shadow.cc, replay in policy_replay.cc.
#include "hitlgate/gateway/policy_service.h"

#include "gateway/access.h"
#include "gateway/shadow_mode.h"
#include "hitlgate/codec/policy_json.h"
#include "hitlgate/gateway/gateway.h"
#include "hitlgate/policy/test_cases.h"

namespace hitlgate::gateway {
namespace {

constexpr std::string_view kUploadName = "policy.yaml";

std::string IssuesText(const std::vector<policy::Issue>& issues) {
  std::string out;
  for (const policy::Issue& i : issues) {
    if (i.severity != policy::Issue::Severity::kError) continue;
    if (!out.empty()) out += "; ";
    out += i.ToString();
  }
  return out;
}

Result<void> RequireReadPolicies(const Principal& who) {
  if (who.Can(Permission::kReadQueues)) return {};
  return Require(who, Permission::kManagePolicies);
}

engine::PolicyTestReport FailedToParse(const std::vector<policy::Issue>& issues) {
  engine::PolicyTestReport report;
  for (const policy::Issue& i : issues) report.failures.push_back(i.ToString());
  return report;
}

}  // namespace

PolicyService::PolicyService(store::Store& store, engine::DecisionEngine& engine,
                             const Clock& clock, LiveEvents& live)
    : store_(store), engine_(engine), clock_(clock), live_(live) {}

PolicyService::~PolicyService() = default;

Result<PolicyCheck> PolicyService::ValidatePolicy(const Principal& who, std::string_view yaml) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kManagePolicies));
  policy::CompileResult compiled = policy::CompileText(yaml, kUploadName);
  PolicyCheck check;
  check.ok = compiled.ok();
  if (check.ok) {
    check.version = compiled.program->version();
    check.name = compiled.program->name();
  }
  check.issues = std::move(compiled.issues);
  return check;
}

Result<UploadedPolicy> PolicyService::UploadPolicy(const Principal& who, std::string_view yaml,
                                                   bool activate) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kManagePolicies));
  policy::CompileResult compiled = policy::CompileText(yaml, kUploadName);
  if (!compiled.ok())
    return InvalidArgument("the policy has errors: " + IssuesText(compiled.issues));
  const TimePoint now = clock_.Now();
  store::PolicyVersion version{compiled.program->version(), compiled.program->name(),
                               std::string(yaml), who.key_id, now};
  HITLGATE_RETURN_IF_ERROR(store_.SavePolicyVersion(version));
  if (activate) {
    std::lock_guard lock(activation_mu_);
    HITLGATE_RETURN_IF_ERROR(store_.ActivatePolicy(version.version, who.key_id, now));
    // New events only: decisions already made keep the version they name.
    engine_.SetPolicy(compiled.program);
    followed_version_ = version.version;
    live_.Publish("policy.activated", "", codec::PolicyActivatedEventJson(version.version));
  }
  return UploadedPolicy{version.version, version.name, activate, std::move(compiled.issues)};
}

Result<ActivatedPolicy> PolicyService::ActivatePolicy(const Principal& who,
                                                      const std::string& version) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kManagePolicies));
  auto found = FindVersion(version, /*active_alias=*/false);
  HITLGATE_RETURN_IF_ERROR(found);
  policy::CompileResult compiled = policy::CompileText(found->policy.source_yaml, kUploadName);
  if (!compiled.ok()) {
    // Stored versions compiled when uploaded; a failure now means the
    // compiler changed underneath them.
    return FailedPrecondition("version " + version +
                              " no longer compiles: " + IssuesText(compiled.issues));
  }
  std::lock_guard lock(activation_mu_);
  HITLGATE_RETURN_IF_ERROR(store_.ActivatePolicy(version, who.key_id, clock_.Now()));
  engine_.SetPolicy(compiled.program);
  followed_version_ = version;
  live_.Publish("policy.activated", "", codec::PolicyActivatedEventJson(version));
  return ActivatedPolicy{version};
}

Result<std::vector<store::PolicyVersionInfo>> PolicyService::ListPolicies(const Principal& who) {
  HITLGATE_RETURN_IF_ERROR(RequireReadPolicies(who));
  return store_.ListPolicyVersions();
}

Result<store::PolicyVersionInfo> PolicyService::GetPolicy(const Principal& who,
                                                          const std::string& version) {
  HITLGATE_RETURN_IF_ERROR(RequireReadPolicies(who));
  return FindVersion(version, /*active_alias=*/true);
}

Result<store::PolicyVersionInfo> PolicyService::FindVersion(const std::string& version,
                                                            bool active_alias) {
  auto versions = store_.ListPolicyVersions();
  HITLGATE_RETURN_IF_ERROR(versions);
  for (store::PolicyVersionInfo& v : *versions) {
    if (v.policy.version == version || (active_alias && version == "active" && v.active))
      return std::move(v);
  }
  return NotFound("no policy version " + version);
}

Result<void> PolicyService::LoadActivePolicy(std::string_view fallback_yaml,
                                             std::string_view fallback_name) {
  std::lock_guard lock(activation_mu_);
  auto active = store_.GetActivePolicy();
  if (active) {
    policy::CompileResult compiled = policy::CompileText(active->policy.source_yaml, fallback_name);
    if (!compiled.ok()) {
      return FailedPrecondition("the active policy " + active->policy.version +
                                " does not compile: " + IssuesText(compiled.issues));
    }
    engine_.SetPolicy(compiled.program);
    followed_version_ = active->policy.version;
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
  followed_version_ = version.version;
  return {};
}

Result<bool> PolicyService::FollowActivePolicy() {
  // Held across the read and the swap, as every activation here holds it
  // across its write and swap: a read from before a local activation must
  // not put the version it replaced back.
  std::lock_guard lock(activation_mu_);
  if (followed_version_.empty()) return false;
  // One small read a tick: the active version's row and its source.
  auto active = store_.GetActivePolicy();
  if (!active) return active.error().code() == ErrorCode::kNotFound ? Result<bool>(false) : std::unexpected(active.error());
  if (active->policy.version == followed_version_) return false;
  policy::CompileResult compiled = policy::CompileText(active->policy.source_yaml, kUploadName);
  if (!compiled.ok()) {
    return FailedPrecondition("the active policy " + active->policy.version +
                              " (activated elsewhere) does not compile here: " + IssuesText(compiled.issues));
  }
  // Not announced again: the node that activated it announced it, and the
  // live bridge carried that to this node's streams.
  engine_.SetPolicy(compiled.program);
  followed_version_ = active->policy.version;
  return true;
}

Result<engine::PolicyTestReport> PolicyService::TestPolicy(const Principal& who,
                                                           std::string_view policy_yaml,
                                                           std::string_view cases_yaml) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kManagePolicies));
  policy::CompileResult compiled = policy::CompileText(policy_yaml, kUploadName);
  if (!compiled.ok()) return FailedToParse(compiled.issues);
  policy::CaseFile cases = policy::ParseCaseText(cases_yaml, "cases.yaml");
  if (!cases.ok()) return FailedToParse(cases.issues);
  return engine::RunPolicyTests(compiled.program, cases, "cases.yaml",
                                signals::SentimentScorer::Default());
}

}  // namespace hitlgate::gateway
