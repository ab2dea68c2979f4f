#include "hitlgate/audit/json_lines.h"

#include <boost/json.hpp>

#include "hitlgate/audit/payload.h"
#include "hitlgate/common/time_format.h"

namespace hitlgate::audit {
namespace {

constexpr std::string_view kFields[] = {"seq",     "at",           "kind",      "actor",
                                        "subject", "payload_json", "prev_hash", "hash"};

std::unexpected<Error> FieldError(std::string_view field, std::string_view what) {
  return InvalidArgument("audit line: field '" + std::string(field) + "': " + std::string(what));
}

Result<std::string> GetString(const boost::json::object& o, std::string_view key) {
  const auto* f = o.if_contains(key);
  if (f == nullptr) return FieldError(key, "missing");
  if (!f->is_string()) return FieldError(key, "expected a string");
  return std::string(f->get_string());
}

}  // namespace

std::string EncodeJsonLine(const AuditRecord& r) {
  std::string out;
  out.reserve(256 + r.payload_json.size() * 2);
  out.append("{\"seq\":");
  out.append(std::to_string(r.seq));
  out.append(",\"at\":");
  AppendJsonString(FormatMicros(r.at), &out);
  out.append(",\"kind\":");
  AppendJsonString(r.kind, &out);
  out.append(",\"actor\":");
  AppendJsonString(r.actor, &out);
  out.append(",\"subject\":");
  AppendJsonString(r.subject, &out);
  out.append(",\"payload_json\":");
  AppendJsonString(r.payload_json, &out);
  out.append(",\"prev_hash\":");
  AppendJsonString(r.prev_hash, &out);
  out.append(",\"hash\":");
  AppendJsonString(r.hash, &out);
  out.push_back('}');
  return out;
}

Result<AuditRecord> DecodeJsonLine(std::string_view line) {
  if (line.size() > kMaxJsonLineBytes) {
    return ResourceExhausted("audit line: longer than " + std::to_string(kMaxJsonLineBytes) +
                             " bytes");
  }
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

  boost::system::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 4;  // a record is flat; deep nesting is an attack, not data
  boost::json::value v = boost::json::parse(line, ec, {}, opts);
  if (ec) return InvalidArgument("audit line: not valid JSON: " + ec.message());
  if (!v.is_object()) return InvalidArgument("audit line: expected a JSON object");
  const auto& o = v.get_object();
  for (const auto& kv : o) {
    bool known = false;
    for (auto f : kFields) known = known || kv.key() == f;
    if (!known) return FieldError(kv.key(), "unknown field");
  }

  AuditRecord r;
  const auto* seq = o.if_contains("seq");
  if (seq == nullptr) return FieldError("seq", "missing");
  if (seq->is_int64()) {
    r.seq = seq->get_int64();
  } else if (seq->is_uint64()) {
    return FieldError("seq", "out of range");
  } else {
    return FieldError("seq", "expected an integer");
  }
  if (r.seq < 1) return FieldError("seq", "must be >= 1");

  auto at = GetString(o, "at");
  HITLGATE_RETURN_IF_ERROR(at);
  auto t = ParseRfc3339(*at);
  if (!t) return FieldError("at", t.error().message());
  r.at = *t;

  auto kind = GetString(o, "kind");
  HITLGATE_RETURN_IF_ERROR(kind);
  if (kind->empty()) return FieldError("kind", "must not be empty");
  r.kind = std::move(*kind);
  auto actor = GetString(o, "actor");
  HITLGATE_RETURN_IF_ERROR(actor);
  r.actor = std::move(*actor);
  auto subject = GetString(o, "subject");
  HITLGATE_RETURN_IF_ERROR(subject);
  r.subject = std::move(*subject);

  auto payload = GetString(o, "payload_json");
  HITLGATE_RETURN_IF_ERROR(payload);
  boost::json::value pv = boost::json::parse(*payload, ec);
  if (ec) return FieldError("payload_json", "not valid JSON: " + ec.message());
  if (!pv.is_object()) return FieldError("payload_json", "expected a JSON object");
  r.payload_json = std::move(*payload);

  auto prev = GetString(o, "prev_hash");
  HITLGATE_RETURN_IF_ERROR(prev);
  if (!IsHashHex(*prev)) return FieldError("prev_hash", "expected 64 lower-case hex digits");
  r.prev_hash = std::move(*prev);
  auto hash = GetString(o, "hash");
  HITLGATE_RETURN_IF_ERROR(hash);
  if (!IsHashHex(*hash)) return FieldError("hash", "expected 64 lower-case hex digits");
  r.hash = std::move(*hash);
  return r;
}

Result<std::optional<AuditRecord>> JsonLinesRecordSource::Next() {
  std::string line;
  while (std::getline(in_, line)) {
    ++line_number_;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto r = DecodeJsonLine(line);
    if (!r) {
      return std::unexpected(Error(r.error().code(), "line " + std::to_string(line_number_) +
                                                         ": " + r.error().message()));
    }
    return std::optional<AuditRecord>(std::move(*r));
  }
  if (in_.bad()) return Unavailable("read error after line " + std::to_string(line_number_));
  return std::optional<AuditRecord>();
}

}  // namespace hitlgate::audit
