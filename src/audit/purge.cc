#include "hitlgate/audit/purge.h"

#include <boost/json.hpp>

#include "hitlgate/audit/payload.h"
#include "hitlgate/audit/record.h"
#include "hitlgate/common/time_format.h"

namespace hitlgate::audit {

std::string EncodePurgePayload(const PurgeAnchor& a) {
  return PayloadBuilder()
      .Time("cutoff", a.cutoff)
      .Int("purged_count", a.purged_count)
      .Int("first_kept_seq", a.first_kept_seq)
      .Str("first_kept_prev_hash", a.first_kept_prev_hash)
      .Int("retention_days", a.retention_days)
      .Build();
}

Result<PurgeAnchor> DecodePurgePayload(std::string_view payload_json) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(payload_json, ec);
  if (ec || !v.is_object()) return InvalidArgument("purge payload is not a JSON object");
  const auto& o = v.get_object();
  auto get_int = [&](std::string_view key) -> Result<std::int64_t> {
    const auto* f = o.if_contains(key);
    if (f == nullptr || !f->is_int64()) {
      return InvalidArgument("purge payload: field '" + std::string(key) + "' must be an integer");
    }
    return f->get_int64();
  };
  auto get_str = [&](std::string_view key) -> Result<std::string> {
    const auto* f = o.if_contains(key);
    if (f == nullptr || !f->is_string()) {
      return InvalidArgument("purge payload: field '" + std::string(key) + "' must be a string");
    }
    return std::string(f->get_string());
  };
  PurgeAnchor a;
  auto cutoff = get_str("cutoff");
  HITLGATE_RETURN_IF_ERROR(cutoff);
  auto t = ParseRfc3339(*cutoff);
  if (!t) return InvalidArgument("purge payload: field 'cutoff': " + t.error().message());
  a.cutoff = *t;
  auto count = get_int("purged_count");
  HITLGATE_RETURN_IF_ERROR(count);
  a.purged_count = *count;
  auto seq = get_int("first_kept_seq");
  HITLGATE_RETURN_IF_ERROR(seq);
  a.first_kept_seq = *seq;
  auto prev = get_str("first_kept_prev_hash");
  HITLGATE_RETURN_IF_ERROR(prev);
  if (!IsHashHex(*prev)) {
    return InvalidArgument("purge payload: field 'first_kept_prev_hash' is not 64 hex digits");
  }
  a.first_kept_prev_hash = *prev;
  auto days = get_int("retention_days");
  HITLGATE_RETURN_IF_ERROR(days);
  a.retention_days = *days;
  return a;
}

}  // namespace hitlgate::audit
