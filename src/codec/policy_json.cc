#include "hitlgate/codec/policy_json.h"

#include "hitlgate/common/time_format.h"

namespace hitlgate::codec {
namespace {

void WriteIssues(const std::vector<policy::Issue>& issues, JsonWriter& w) {
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

void WritePolicyRef(JsonWriter& w, std::string_view key, const gateway::PolicyRef& p) {
  w.Key(key).BeginObject().Field("name", p.name).Field("version", p.version).EndObject();
}

// Null for an unset or open-ended time.
void WriteTime(JsonWriter& w, std::string_view key, std::optional<TimePoint> t) {
  w.Key(key);
  if (t && *t != TimePoint::max() && *t != TimePoint{}) {
    w.String(FormatRfc3339(*t));
  } else {
    w.Null();
  }
}

}  // namespace

void WritePolicyVersion(const store::PolicyVersionInfo& p, JsonWriter& w, bool with_source) {
  w.BeginObject();
  w.Field("version", p.policy.version);
  w.Field("name", p.policy.name);
  w.Field("uploaded_by", p.policy.uploaded_by);
  w.Field("uploaded_at", FormatRfc3339(p.policy.uploaded_at));
  w.Field("active", p.active);
  if (p.activated_at) {
    w.Field("activated_at", FormatRfc3339(*p.activated_at));
    w.Field("activated_by", p.activated_by);
  }
  if (with_source) w.Field("source", p.policy.source_yaml);
  w.EndObject();
}

std::string PolicyVersionsJson(const std::vector<store::PolicyVersionInfo>& versions) {
  JsonWriter w;
  w.BeginObject().Key("versions").BeginArray();
  for (const auto& v : versions) WritePolicyVersion(v, w, /*with_source=*/false);
  w.EndArray().EndObject();
  return w.Take();
}

std::string PolicyVersionJson(const store::PolicyVersionInfo& version) {
  JsonWriter w;
  WritePolicyVersion(version, w, /*with_source=*/true);
  return w.Take();
}

std::string PolicyCheckJson(const gateway::PolicyCheck& check) {
  JsonWriter w;
  w.BeginObject();
  w.Field("ok", check.ok);
  if (check.ok) {
    w.Field("version", check.version);
    w.Field("name", check.name);
  }
  WriteIssues(check.issues, w);
  w.EndObject();
  return w.Take();
}

std::string UploadedPolicyJson(const gateway::UploadedPolicy& uploaded) {
  JsonWriter w;
  w.BeginObject();
  w.Field("version", uploaded.version);
  w.Field("name", uploaded.name);
  w.Field("active", uploaded.active);
  WriteIssues(uploaded.issues, w);
  w.EndObject();
  return w.Take();
}

std::string ActivatedPolicyJson(const gateway::ActivatedPolicy& activated) {
  JsonWriter w;
  w.BeginObject().Field("version", activated.version).Field("active", true).EndObject();
  return w.Take();
}

std::string PolicyActivatedEventJson(std::string_view version) {
  JsonWriter w;
  w.BeginObject().Field("version", version).EndObject();
  return w.Take();
}

std::string PolicyTestReportJson(const engine::PolicyTestReport& report) {
  JsonWriter w;
  w.BeginObject();
  w.Field("ok", report.ok()).Field("cases", report.cases).Field("passed", report.passed);
  w.Key("failures").Strings(report.failures);
  w.EndObject();
  return w.Take();
}

std::string ShadowReportJson(const gateway::ShadowReport& report) {
  JsonWriter w;
  w.BeginObject();
  WritePolicyRef(w, "active", report.active);
  if (!report.shadow) {
    w.Key("shadow").Null();
  } else {
    WritePolicyRef(w, "shadow", report.shadow->policy);
    w.Field("since", FormatRfc3339(report.shadow->since));
    w.Key("comparison").Raw(report.shadow->comparison.ToJson());
  }
  w.EndObject();
  return w.Take();
}

std::string ReplayReportJson(const gateway::ReplayReport& report) {
  JsonWriter w;
  w.BeginObject();
  WritePolicyRef(w, "active_policy", report.active);
  WritePolicyRef(w, "candidate_policy", report.candidate);
  w.Key("history").BeginObject();
  WriteTime(w, "from", report.from);
  WriteTime(w, "to", report.to);
  w.Field("max_events", report.max_events);
  w.Field("events", report.events);
  w.Field("interactions", report.interactions);
  w.Field("truncated", report.truncated);
  WriteTime(w, "first_event_at", report.first_event_at);
  WriteTime(w, "last_event_at", report.last_event_at);
  w.Key("events_per_hour");
  if (report.events_per_hour) {
    w.Number(*report.events_per_hour, 2);
  } else {
    w.Null();
  }
  w.EndObject();
  w.Key("comparison").Raw(report.comparison.ToJson());
  w.EndObject();
  return w.Take();
}

}  // namespace hitlgate::codec
