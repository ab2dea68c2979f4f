// Event <-> JSON. Strict: every field is known, typed and range-checked here,
// so the engine downstream can trust an Event completely.
#include <array>
#include <cctype>

#include "codec/json_util.h"
#include "hitlgate/codec/json.h"
#include "hitlgate/common/time_format.h"

namespace hitlgate::codec {
namespace {

namespace json = boost::json;
using internal::GetBool;
using internal::GetNumber;
using internal::GetString;
using internal::WrongType;

constexpr size_t kMaxIdBytes = 256;
// An hour: longer than any caller or chat customer waits; beyond it the SLA
// and its escalation are the right tool, not a deadline.
constexpr std::int64_t kMaxDeadlineMs = 3'600'000;

std::unexpected<Error> FieldError(std::string_view field, std::string_view what) {
  return InvalidArgument("field '" + std::string(field) + "': " + std::string(what));
}

Result<std::string> GetId(const json::value& v, std::string_view field) {
  auto s = GetString(v, field);
  if (!s) return s;
  if (s->empty()) return FieldError(field, "must not be empty");
  if (s->size() > kMaxIdBytes) return FieldError(field, "longer than 256 bytes");
  return s;
}

Result<engine::EventType> ParseType(const json::value& v) {
  auto s = GetString(v, "type");
  HITLGATE_RETURN_IF_ERROR(s);
  if (*s == "customer_message") return engine::EventType::kCustomerMessage;
  if (*s == "ai_proposal") return engine::EventType::kAiProposal;
  if (*s == "interaction_closed") return engine::EventType::kInteractionClosed;
  return FieldError("type", "expected one of customer_message, ai_proposal, interaction_closed, got '" +
                                *s + "'");
}

Result<engine::Action> ParseActionValue(const json::value& v) {
  if (!v.is_object()) return WrongType("action", "an object", v);
  engine::Action action;
  bool has_name = false;
  for (const auto& kv : v.get_object()) {
    std::string_view key = kv.key();
    const json::value& val = kv.value();
    if (key == "name") {
      auto s = GetId(val, "action.name");
      HITLGATE_RETURN_IF_ERROR(s);
      action.name = std::move(*s);
      has_name = true;
    } else if (key == "amount") {
      if (val.is_null()) continue;
      auto d = GetNumber(val, "action.amount");
      HITLGATE_RETURN_IF_ERROR(d);
      if (*d < 0) return FieldError("action.amount", "must not be negative");
      action.amount = *d;
    } else if (key == "currency") {
      auto s = GetString(val, "action.currency");
      HITLGATE_RETURN_IF_ERROR(s);
      if (s->size() != 3 || !std::all_of(s->begin(), s->end(), [](char c) {
            return std::isalpha(static_cast<unsigned char>(c));
          })) {
        return FieldError("action.currency", "expected a three-letter ISO 4217 code, got '" + *s + "'");
      }
      for (char& c : *s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      action.currency = std::move(*s);
    } else if (key == "params") {
      if (!val.is_object()) return WrongType("action.params", "an object", val);
      action.params_json.clear();
      internal::AppendCanonical(val, &action.params_json);
    } else {
      return FieldError("action." + std::string(key), "unknown field");
    }
  }
  if (!has_name) return FieldError("action.name", "required");
  if (action.amount && action.currency.empty()) {
    return FieldError("action.currency", "required when action.amount is given");
  }
  return action;
}

Result<std::vector<std::pair<std::string, std::string>>> ParseCollected(const json::value& v) {
  if (!v.is_object()) return WrongType("collected", "an object", v);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& kv : v.get_object()) {
    std::string value;
    if (kv.value().is_string()) {
      value = std::string(kv.value().get_string());
    } else {
      internal::AppendCanonical(kv.value(), &value);
    }
    out.emplace_back(std::string(kv.key()), std::move(value));
  }
  return out;
}

// Applies one top-level field to `e`.
Result<void> ApplyField(std::string_view key, const json::value& val, engine::Event& e,
                        bool& has_type) {
  auto set_string = [&](std::string& dst) -> Result<void> {
    auto s = GetString(val, key);
    HITLGATE_RETURN_IF_ERROR(s);
    dst = std::move(*s);
    return {};
  };
  auto set_id = [&](std::string& dst) -> Result<void> {
    auto s = GetId(val, key);
    HITLGATE_RETURN_IF_ERROR(s);
    dst = std::move(*s);
    return {};
  };
  if (key == "interaction_id") return set_id(e.interaction_id);
  if (key == "customer_id") return set_id(e.customer_id);
  if (key == "workflow") return set_id(e.workflow);
  if (key == "channel") return set_string(e.channel);
  if (key == "text") return set_string(e.text);
  if (key == "language") return set_string(e.language);
  if (key == "intent") return set_string(e.intent);
  if (key == "summary") return set_string(e.summary);
  if (key == "event_id") return set_id(e.event_id);
  if (key == "type") {
    auto t = ParseType(val);
    HITLGATE_RETURN_IF_ERROR(t);
    e.type = *t;
    has_type = true;
    return {};
  }
  if (key == "confidence") {
    if (val.is_null()) return {};
    auto d = GetNumber(val, key);
    HITLGATE_RETURN_IF_ERROR(d);
    if (*d < 0.0 || *d > 1.0) {
      return FieldError(key, "expected a number in [0, 1], got " + json::serialize(val));
    }
    e.confidence = *d;
    return {};
  }
  if (key == "action") {
    if (val.is_null()) return {};
    auto a = ParseActionValue(val);
    HITLGATE_RETURN_IF_ERROR(a);
    e.action = std::move(*a);
    return {};
  }
  if (key == "collected") {
    auto c = ParseCollected(val);
    HITLGATE_RETURN_IF_ERROR(c);
    e.collected = std::move(*c);
    return {};
  }
  if (key == "at") {
    auto s = GetString(val, key);
    HITLGATE_RETURN_IF_ERROR(s);
    auto t = ParseRfc3339(*s);
    if (!t) return FieldError(key, t.error().message());
    e.at = *t;
    return {};
  }
  if (key == "deadline_ms") {
    if (val.is_null()) return {};
    if (!val.is_int64() && !val.is_uint64()) return WrongType(key, "an integer", val);
    const bool in_range = val.is_int64() ? val.get_int64() >= 1 && val.get_int64() <= kMaxDeadlineMs
                                         : false;
    if (!in_range) {
      return FieldError(key, "expected milliseconds in [1, 3600000], got " + json::serialize(val));
    }
    e.deadline_ms = val.get_int64();
    return {};
  }
  if (key == "metadata") {
    // Free-form, for the agent's own bookkeeping; kept in the stored event
    // text but never interpreted.
    if (!val.is_object()) return WrongType(key, "an object", val);
    return {};
  }
  return FieldError(key, "unknown field");
}

}  // namespace

Result<engine::Event> ParseEvent(std::string_view text) {
  if (text.size() > kMaxEventBytes) {
    return ResourceExhausted("event is " + std::to_string(text.size()) + " bytes; the limit is " +
                             std::to_string(kMaxEventBytes));
  }
  // Most events fit in a few KiB: parse into a stack buffer, no heap traffic.
  std::array<unsigned char, 8192> buffer;
  json::monotonic_resource mr(buffer.data(), buffer.size());
  auto parsed = internal::ParseJson(text, &mr);
  HITLGATE_RETURN_IF_ERROR(parsed);
  if (!parsed->is_object()) return InvalidArgument("an event must be a JSON object");

  engine::Event e;
  bool has_type = false;
  for (const auto& kv : parsed->get_object()) {
    auto r = ApplyField(kv.key(), kv.value(), e, has_type);
    HITLGATE_RETURN_IF_ERROR(r);
  }
  if (e.interaction_id.empty()) return FieldError("interaction_id", "required");
  if (e.workflow.empty()) return FieldError("workflow", "required");
  if (!has_type) return FieldError("type", "required");
  if (e.type == engine::EventType::kCustomerMessage && e.text.empty()) {
    return FieldError("text", "required for a customer_message");
  }
  if (e.type == engine::EventType::kAiProposal && e.text.empty() && !e.action) {
    return FieldError("text", "an ai_proposal needs text, an action, or both");
  }
  return e;
}

std::string EncodeEvent(const engine::Event& e) {
  std::string out;
  out.reserve(256 + e.text.size());
  auto field = [&](std::string_view name, std::string_view value, bool always = false) {
    if (value.empty() && !always) return;
    if (out.size() > 1) out.push_back(',');
    AppendJsonString(name, &out);
    out.push_back(':');
    AppendJsonString(value, &out);
  };
  out.push_back('{');
  field("interaction_id", e.interaction_id, true);
  field("customer_id", e.customer_id);
  field("workflow", e.workflow, true);
  field("channel", e.channel);
  field("type", engine::EventTypeName(e.type), true);
  field("text", e.text);
  field("language", e.language);
  field("intent", e.intent);
  if (e.confidence) {
    out += ",\"confidence\":";
    AppendJsonNumber(*e.confidence, &out);
  }
  if (e.action) out += ",\"action\":" + EncodeAction(*e.action);
  field("summary", e.summary);
  if (!e.collected.empty()) {
    out += ",\"collected\":{";
    for (size_t i = 0; i < e.collected.size(); ++i) {
      if (i) out.push_back(',');
      AppendJsonString(e.collected[i].first, &out);
      out.push_back(':');
      AppendJsonString(e.collected[i].second, &out);
    }
    out.push_back('}');
  }
  if (e.at) field("at", FormatRfc3339(*e.at));
  field("event_id", e.event_id);
  if (e.deadline_ms) out += ",\"deadline_ms\":" + std::to_string(*e.deadline_ms);
  out.push_back('}');
  return out;
}

Result<engine::Action> ParseAction(std::string_view text) {
  auto parsed = internal::ParseJson(text);
  HITLGATE_RETURN_IF_ERROR(parsed);
  return ParseActionValue(*parsed);
}

std::string EncodeAction(const engine::Action& a) {
  std::string out = "{\"name\":";
  AppendJsonString(a.name, &out);
  if (a.amount) {
    out += ",\"amount\":";
    AppendJsonNumber(*a.amount, &out);
    out += ",\"currency\":";
    AppendJsonString(a.currency, &out);
  }
  out += ",\"params\":" + a.params_json + "}";
  return out;
}

Result<std::string> CanonicalJson(std::string_view text) {
  auto v = internal::ParseJson(text);
  HITLGATE_RETURN_IF_ERROR(v);
  std::string out;
  internal::AppendCanonical(*v, &out);
  return out;
}

}  // namespace hitlgate::codec
