#include "gateway/json_views.h"

#include "hitlgate/common/time_format.h"

namespace hitlgate::gateway {

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

void WritePolicyInfo(const store::PolicyVersionInfo& p, codec::JsonWriter& w, bool with_source) {
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

}  // namespace hitlgate::gateway
