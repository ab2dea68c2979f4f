// JSON of PolicyService's answers as the API sends them (docs/openapi.yaml:
// /v1/policies*, /v1/shadow, /v1/policies/{version}/replay).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/codec/json_writer.h"
#include "hitlgate/engine/policy_tests.h"
#include "hitlgate/gateway/policy_types.h"
#include "hitlgate/store/types.h"

namespace hitlgate::codec {

// {version, name, uploaded_by, uploaded_at, active, activated_at?, activated_by?, source?}
void WritePolicyVersion(const store::PolicyVersionInfo& p, JsonWriter& w, bool with_source);
// {"versions": [...]}, without sources.
std::string PolicyVersionsJson(const std::vector<store::PolicyVersionInfo>& versions);
// One version with its source.
std::string PolicyVersionJson(const store::PolicyVersionInfo& version);
// {ok, version?, name?, issues:[{severity, line, column, code, message, text}]}
std::string PolicyCheckJson(const gateway::PolicyCheck& check);
// {version, name, active, issues}
std::string UploadedPolicyJson(const gateway::UploadedPolicy& uploaded);
// {version, active: true}
std::string ActivatedPolicyJson(const gateway::ActivatedPolicy& activated);
// The "policy.activated" live event: {version}.
std::string PolicyActivatedEventJson(std::string_view version);
// {ok, cases, passed, failures:[...]}
std::string PolicyTestReportJson(const engine::PolicyTestReport& report);
// {active:{name,version}, shadow:null} or {active, shadow, since, comparison}
std::string ShadowReportJson(const gateway::ShadowReport& report);
// {active_policy, candidate_policy, history:{...}, comparison} (docs/measure.md)
std::string ReplayReportJson(const gateway::ReplayReport& report);

}  // namespace hitlgate::codec
