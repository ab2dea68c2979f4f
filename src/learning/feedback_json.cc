// The JSON-lines format of `hitlgate feedback export` (docs/learning.md).
#include <boost/json.hpp>

#include "hitlgate/common/time_format.h"
#include "hitlgate/learning/feedback.h"

namespace hitlgate::learning {
namespace {

namespace json = boost::json;

// Embeds canonical JSON text as a value; text that does not parse stays a string.
json::value RawOrNull(const std::string& text) {
  if (text.empty()) return nullptr;
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return json::value(text);
  return v;
}

Result<std::string> Str(const json::object& o, std::string_view key, bool required = false) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) {
    if (required) return InvalidArgument("field '" + std::string(key) + "': required");
    return std::string();
  }
  if (!it->value().is_string()) return InvalidArgument("field '" + std::string(key) + "': expected a string");
  return std::string(it->value().get_string());
}

Result<std::optional<double>> Num(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<double>();
  if (!it->value().is_number()) return InvalidArgument("field '" + std::string(key) + "': expected a number");
  return it->value().to_number<double>();
}

// Nested JSON (action, signals) back to compact text.
std::string RawText(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return "";
  if (it->value().is_string()) return std::string(it->value().get_string());
  return json::serialize(it->value());
}

}  // namespace

std::string EncodeFeedbackLine(const FeedbackExample& ex) {
  json::object o;
  o["audit_seq"] = ex.audit_seq;
  o["at"] = FormatRfc3339(ex.at);
  o["source"] = ex.source;
  o["task_id"] = ex.task_id;
  o["interaction_id"] = ex.interaction_id;
  o["workflow"] = ex.workflow;
  o["actor"] = ex.actor;
  json::object proposal;
  proposal["intent"] = ex.intent;
  proposal["confidence"] = ex.confidence ? json::value(*ex.confidence) : json::value(nullptr);
  proposal["text"] = ex.proposal_text;
  proposal["action"] = RawOrNull(ex.proposal_action_json);
  proposal["customer_text"] = ex.customer_text;
  o["proposal"] = std::move(proposal);
  json::object human;
  human["verdict"] = ex.verdict;
  human["delivered"] = ex.delivered;
  human["text"] = ex.final_text;
  human["action"] = RawOrNull(ex.final_action_json);
  human["reason"] = ex.reason;
  human["reason_category"] = ex.reason_category;
  o["final"] = std::move(human);
  json::object diff;
  diff["text_changed"] = ex.diff.text_changed;
  diff["action_changed"] = ex.diff.action_changed;
  diff["words_removed"] = ex.diff.words_removed;
  diff["words_added"] = ex.diff.words_added;
  diff["similarity"] = std::round(ex.diff.similarity * 10000) / 10000;
  diff["marked"] = ex.diff.marked;
  o["diff"] = std::move(diff);
  o["agreed"] = ex.agreed ? json::value(*ex.agreed) : json::value(nullptr);
  o["outcome"] = ex.outcome;
  o["signals"] = RawOrNull(ex.signals_json);
  json::array triggers;
  for (const std::string& t : ex.triggers) triggers.emplace_back(t);
  o["triggers"] = std::move(triggers);
  o["policy_version"] = ex.policy_version;
  if (!ex.assist_used.empty() || !ex.assist_wrong.empty()) {
    json::array used, wrong;
    for (const std::string& a : ex.assist_used) used.emplace_back(a);
    for (const std::string& a : ex.assist_wrong) wrong.emplace_back(a);
    o["assist"] = json::object{{"used", std::move(used)}, {"wrong", std::move(wrong)}};
  }
  return json::serialize(o);
}

Result<FeedbackExample> DecodeFeedbackLine(std::string_view line) {
  json::error_code ec;
  json::value v = json::parse(line, ec);
  if (ec) return InvalidArgument("not JSON: " + ec.message());
  if (!v.is_object()) return InvalidArgument("a feedback line must be a JSON object");
  const json::object& o = v.get_object();
  FeedbackExample ex;
  if (auto it = o.find("audit_seq"); it != o.end() && it->value().is_int64()) ex.audit_seq = it->value().get_int64();
  auto at = Str(o, "at", true);
  HITLGATE_RETURN_IF_ERROR(at);
  auto t = ParseRfc3339(*at);
  if (!t) return InvalidArgument("field 'at': " + t.error().message());
  ex.at = *t;
  auto take = [&](const json::object& from, std::string_view key, std::string* into,
                  bool required = false) -> Result<void> {
    auto s = Str(from, key, required);
    HITLGATE_RETURN_IF_ERROR(s);
    *into = std::move(*s);
    return {};
  };
  for (auto [key, into] : {std::pair<std::string_view, std::string*>{"source", &ex.source},
                           {"task_id", &ex.task_id},
                           {"interaction_id", &ex.interaction_id},
                           {"workflow", &ex.workflow},
                           {"actor", &ex.actor},
                           {"outcome", &ex.outcome},
                           {"policy_version", &ex.policy_version}}) {
    HITLGATE_RETURN_IF_ERROR(take(o, key, into));
  }
  auto p = o.find("proposal");
  if (p == o.end() || !p->value().is_object()) return InvalidArgument("field 'proposal': expected an object");
  const json::object& proposal = p->value().get_object();
  HITLGATE_RETURN_IF_ERROR(take(proposal, "intent", &ex.intent));
  HITLGATE_RETURN_IF_ERROR(take(proposal, "text", &ex.proposal_text));
  HITLGATE_RETURN_IF_ERROR(take(proposal, "customer_text", &ex.customer_text));
  auto confidence = Num(proposal, "confidence");
  if (!confidence) return InvalidArgument("proposal." + confidence.error().message());
  if (*confidence && (**confidence < 0 || **confidence > 1)) {
    return InvalidArgument("field 'proposal.confidence': expected a number in [0, 1]");
  }
  ex.confidence = *confidence;
  ex.proposal_action_json = RawText(proposal, "action");
  auto f = o.find("final");
  if (f == o.end() || !f->value().is_object()) return InvalidArgument("field 'final': expected an object");
  const json::object& human = f->value().get_object();
  if (auto r = take(human, "verdict", &ex.verdict, true); !r) return InvalidArgument("final." + r.error().message());
  HITLGATE_RETURN_IF_ERROR(take(human, "text", &ex.final_text));
  HITLGATE_RETURN_IF_ERROR(take(human, "reason", &ex.reason));
  HITLGATE_RETURN_IF_ERROR(take(human, "reason_category", &ex.reason_category));
  ex.final_action_json = RawText(human, "action");
  if (auto it = human.find("delivered"); it != human.end() && it->value().is_bool()) ex.delivered = it->value().get_bool();
  if (auto it = o.find("agreed"); it != o.end()) {
    if (it->value().is_bool()) {
      ex.agreed = it->value().get_bool();
    } else if (!it->value().is_null()) {
      return InvalidArgument("field 'agreed': expected true, false or null");
    }
  }
  if (auto it = o.find("diff"); it != o.end() && it->value().is_object()) {
    const json::object& d = it->value().get_object();
    if (auto x = d.find("text_changed"); x != d.end() && x->value().is_bool()) ex.diff.text_changed = x->value().get_bool();
    if (auto x = d.find("action_changed"); x != d.end() && x->value().is_bool()) ex.diff.action_changed = x->value().get_bool();
    if (auto x = d.find("words_removed"); x != d.end() && x->value().is_int64()) ex.diff.words_removed = static_cast<int>(x->value().get_int64());
    if (auto x = d.find("words_added"); x != d.end() && x->value().is_int64()) ex.diff.words_added = static_cast<int>(x->value().get_int64());
    if (auto x = d.find("similarity"); x != d.end() && x->value().is_number()) ex.diff.similarity = x->value().to_number<double>();
    if (auto x = d.find("marked"); x != d.end() && x->value().is_string()) ex.diff.marked = std::string(x->value().get_string());
  }
  ex.signals_json = RawText(o, "signals");
  if (auto it = o.find("triggers"); it != o.end() && it->value().is_array()) {
    for (const json::value& trigger : it->value().get_array()) {
      if (trigger.is_string()) ex.triggers.emplace_back(trigger.get_string());
    }
  }
  if (auto it = o.find("assist"); it != o.end() && it->value().is_object()) {
    for (auto [key, into] : {std::pair{"used", &ex.assist_used}, std::pair{"wrong", &ex.assist_wrong}}) {
      const json::value* list = it->value().get_object().if_contains(key);
      if (list == nullptr || !list->is_array()) continue;
      for (const json::value& a : list->get_array()) {
        if (a.is_string()) into->emplace_back(a.get_string());
      }
    }
  }
  return ex;
}

}  // namespace hitlgate::learning
