#include "gateway/json_views.h"

#include "hitlgate/common/time_format.h"

namespace hitlgate::gateway {

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
