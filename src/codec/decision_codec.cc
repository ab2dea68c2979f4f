// Decision <-> JSON. The encoder writes the fixed shape straight into the
// output buffer: it runs once per event on the hot path (see bench/), and
// Boost.JSON would build a DOM first and print doubles in exponent form.
#include <fmt/format.h>

#include <cmath>
#include <iterator>

#include "codec/json_util.h"
#include "hitlgate/codec/json.h"
#include "hitlgate/common/time_format.h"

namespace hitlgate::codec {
namespace {

namespace json = boost::json;

// Fixed-point with at most `decimals` digits, trailing zeros trimmed:
// -0.5400 -> -0.54, 2.0 -> 2.
void AppendNumber(double v, int decimals, std::string* out) {
  if (!std::isfinite(v)) v = 0.0;
  char buf[64];
  auto r = fmt::format_to_n(buf, sizeof buf, "{:.{}f}", v, decimals);
  std::string_view s(buf, r.size < sizeof buf ? r.size : sizeof buf);
  if (s.find('.') != std::string_view::npos) {
    while (!s.empty() && s.back() == '0') s.remove_suffix(1);
    if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  }
  if (s == "-0") s = "0";
  out->append(s);
}

void Key(std::string_view name, std::string* out) {
  out->push_back('"');
  out->append(name);
  out->append("\":");
}

void AppendStringArray(const std::vector<std::string>& items, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out->push_back(',');
    AppendJsonString(items[i], out);
  }
  out->push_back(']');
}

}  // namespace

namespace {

// Every field of the decision, from the opening brace to the last field,
// without the closing one: AppendDecision and EncodeAnswer add theirs.
void AppendDecisionFields(const engine::Decision& d, std::string* out) {
  out->append("{\"interaction_id\":");
  AppendJsonString(d.interaction_id, out);
  out->append(",\"event_index\":");
  fmt::format_to(std::back_inserter(*out), "{}", d.event_index);
  out->append(",\"decision\":\"");
  out->append(engine::OutcomeName(d.outcome));
  out->append("\",\"oversight\":\"");
  out->append(engine::OversightName(d.oversight));
  out->append("\",\"reasons\":[");
  for (size_t i = 0; i < d.reasons.size(); ++i) {
    const engine::Reason& r = d.reasons[i];
    if (i) out->push_back(',');
    out->append("{\"trigger\":");
    AppendJsonString(r.trigger, out);
    out->append(",\"rule\":");
    AppendJsonString(r.rule, out);
    out->append(",\"detail\":");
    AppendJsonString(r.detail, out);
    out->append(",\"decision\":\"");
    out->append(engine::OutcomeName(r.outcome));
    out->push_back('"');
    if (r.floor) out->append(",\"floor\":true");
    out->push_back('}');
  }
  out->push_back(']');
  if (d.route) {
    out->append(",\"route\":{\"queue\":");
    AppendJsonString(d.route->queue, out);
    out->append(",\"skills\":");
    AppendStringArray(d.route->skills, out);
    fmt::format_to(std::back_inserter(*out),
                   ",\"priority\":{},\"sla_seconds\":{},\"hold_notice_seconds\":{}}}",
                   d.route->priority, d.route->sla_seconds, d.route->hold_notice_seconds);
  }
  const engine::Signals& s = d.signals;
  out->append(",\"signals\":{");
  Key("sentiment", out);
  AppendNumber(s.sentiment, 4, out);
  out->push_back(',');
  Key("sentiment_trend", out);
  AppendNumber(s.sentiment_trend, 4, out);
  out->append(s.frustration ? ",\"frustration\":true" : ",\"frustration\":false");
  out->append(s.human_request ? ",\"human_request\":true" : ",\"human_request\":false");
  out->append(s.legal_threat ? ",\"legal_threat\":true" : ",\"legal_threat\":false");
  if (!s.language.empty()) {
    out->append(",\"language\":");
    AppendJsonString(s.language, out);
  }
  out->append(",\"topics\":");
  AppendStringArray(s.topics, out);
  fmt::format_to(std::back_inserter(*out), ",\"repeat_contacts\":{}", s.repeat_contacts);
  out->push_back(',');
  Key("messages_per_minute", out);
  AppendNumber(s.messages_per_minute, 2, out);
  if (s.calibrated_confidence) {
    out->push_back(',');
    Key("calibrated_confidence", out);
    AppendNumber(*s.calibrated_confidence, 4, out);
  }
  if (s.triage_confidence) {
    out->append(",\"triage_intent\":");
    AppendJsonString(s.triage_intent, out);
    out->push_back(',');
    Key("triage_confidence", out);
    AppendNumber(*s.triage_confidence, 4, out);
    out->append(s.out_of_scope ? ",\"out_of_scope\":true" : ",\"out_of_scope\":false");
  }
  out->append("},\"policy_version\":");
  AppendJsonString(d.policy_version, out);
  out->append(d.audit_sample ? ",\"audit_sample\":true" : ",\"audit_sample\":false");
  if (d.deadline) {
    // A held event with the agent's deadline: when it passes, what happens
    // then, and what the agent can say meanwhile.
    fmt::format_to(std::back_inserter(*out), ",\"deadline_ms\":{},\"deadline_at\":", d.deadline->deadline_ms);
    AppendJsonString(FormatRfc3339(d.deadline->at), out);
    out->append(",\"on_deadline\":\"");
    out->append(engine::DeadlineFallbackName(d.deadline->fallback));
    out->push_back('"');
    if (!d.deadline->wait_message.empty()) {
      out->append(",\"wait_message\":");
      AppendJsonString(d.deadline->wait_message, out);
    }
  }
}

}  // namespace

void AppendDecision(const engine::Decision& d, std::string* out) {
  AppendDecisionFields(d, out);
  out->push_back('}');
}

std::string EncodeAnswer(const engine::Decision& d, std::string_view task_id) {
  std::string out;
  out.reserve(640);
  AppendDecisionFields(d, &out);
  if (!task_id.empty()) {
    // Where the agent waits for the person's verdict.
    out.append(",\"task_id\":");
    AppendJsonString(task_id, &out);
    out.append(",\"task_url\":");
    AppendJsonString(fmt::format("/v1/tasks/{}?wait=30s", task_id), &out);
  }
  out.push_back('}');
  return out;
}

std::string EncodeDecision(const engine::Decision& d) {
  std::string out;
  out.reserve(512);
  AppendDecision(d, &out);
  return out;
}

namespace {

Result<std::vector<std::string>> StringArray(const json::value& v, std::string_view field) {
  if (!v.is_array()) return internal::WrongType(field, "an array", v);
  std::vector<std::string> out;
  for (const auto& e : v.get_array()) {
    auto s = internal::GetString(e, field);
    HITLGATE_RETURN_IF_ERROR(s);
    out.push_back(std::move(*s));
  }
  return out;
}

}  // namespace

Result<engine::Decision> ParseDecision(std::string_view text) {
  auto parsed = internal::ParseJson(text);
  HITLGATE_RETURN_IF_ERROR(parsed);
  if (!parsed->is_object()) return InvalidArgument("a decision must be a JSON object");
  const json::object& o = parsed->get_object();
  engine::Decision d;
  auto str = [&](std::string_view k) -> std::string {
    const json::value* v = o.if_contains(k);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  d.interaction_id = str("interaction_id");
  if (const json::value* v = o.if_contains("event_index"); v && v->is_int64()) {
    d.event_index = v->get_int64();
  }
  auto outcome = engine::ParseOutcome(str("decision"));
  if (!outcome) return InvalidArgument("field 'decision': unknown decision '" + str("decision") + "'");
  d.outcome = *outcome;
  auto oversight = engine::ParseOversight(str("oversight"));
  if (!oversight) return InvalidArgument("field 'oversight': unknown value");
  d.oversight = *oversight;
  d.policy_version = str("policy_version");
  if (const json::value* v = o.if_contains("audit_sample"); v && v->is_bool()) {
    d.audit_sample = v->get_bool();
  }
  if (const json::value* v = o.if_contains("reasons"); v && v->is_array()) {
    for (const auto& r : v->get_array()) {
      if (!r.is_object()) return InvalidArgument("field 'reasons': expected objects");
      const json::object& ro = r.get_object();
      engine::Reason reason;
      auto rs = [&](std::string_view k) -> std::string {
        const json::value* x = ro.if_contains(k);
        return x && x->is_string() ? std::string(x->get_string()) : std::string();
      };
      reason.trigger = rs("trigger");
      reason.rule = rs("rule");
      reason.detail = rs("detail");
      reason.outcome = engine::ParseOutcome(rs("decision")).value_or(engine::Outcome::kAllow);
      if (const json::value* f = ro.if_contains("floor"); f && f->is_bool()) reason.floor = f->get_bool();
      d.reasons.push_back(std::move(reason));
    }
  }
  if (const json::value* v = o.if_contains("route"); v && v->is_object()) {
    const json::object& ro = v->get_object();
    engine::Route route;
    if (const json::value* q = ro.if_contains("queue"); q && q->is_string()) route.queue = q->get_string();
    if (const json::value* s = ro.if_contains("skills")) {
      auto skills = StringArray(*s, "route.skills");
      HITLGATE_RETURN_IF_ERROR(skills);
      route.skills = std::move(*skills);
    }
    auto int_field = [&](std::string_view k, int& dst) {
      if (const json::value* x = ro.if_contains(k); x && x->is_int64()) dst = static_cast<int>(x->get_int64());
    };
    int_field("priority", route.priority);
    int_field("sla_seconds", route.sla_seconds);
    int_field("hold_notice_seconds", route.hold_notice_seconds);
    d.route = std::move(route);
  }
  if (const json::value* v = o.if_contains("signals"); v && v->is_object()) {
    const json::object& so = v->get_object();
    auto num = [&](std::string_view k) -> double {
      const json::value* x = so.if_contains(k);
      if (!x) return 0.0;
      auto n = internal::GetNumber(*x, k);
      return n ? *n : 0.0;
    };
    auto flag = [&](std::string_view k) {
      const json::value* x = so.if_contains(k);
      return x && x->is_bool() && x->get_bool();
    };
    d.signals.sentiment = num("sentiment");
    d.signals.sentiment_trend = num("sentiment_trend");
    d.signals.frustration = flag("frustration");
    d.signals.human_request = flag("human_request");
    d.signals.legal_threat = flag("legal_threat");
    d.signals.repeat_contacts = static_cast<int>(num("repeat_contacts"));
    d.signals.messages_per_minute = num("messages_per_minute");
    if (so.contains("calibrated_confidence")) d.signals.calibrated_confidence = num("calibrated_confidence");
    if (so.contains("triage_confidence")) d.signals.triage_confidence = num("triage_confidence");
    d.signals.out_of_scope = flag("out_of_scope");
    if (const json::value* l = so.if_contains("language"); l && l->is_string()) {
      d.signals.language = std::string(l->get_string());
    }
    if (const json::value* t = so.if_contains("triage_intent"); t && t->is_string()) {
      d.signals.triage_intent = std::string(t->get_string());
    }
    if (const json::value* t = so.if_contains("topics")) {
      auto topics = StringArray(*t, "signals.topics");
      HITLGATE_RETURN_IF_ERROR(topics);
      d.signals.topics = std::move(*topics);
    }
  }
  return d;
}

}  // namespace hitlgate::codec
