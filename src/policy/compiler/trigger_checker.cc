// CheckTrigger: the one key inside a rule's `when`, and its parameters.
#include <cctype>

#include "policy/compiler/checker.h"

namespace hitlgate::policy::compiler {
namespace {

// Triggers with one main parameter also take it alone:
// `sentiment_below: -0.5` means `sentiment_below: {level: -0.5}`.
const Node* MainParam(const Node& value, std::string_view key) {
  if (value.is_map()) return value.Find(key);
  return &value;
}

void CheckFlag(const parser::MapEntry& e, NodeReader* r) {
  auto b = r->Bool(e.value, e.key.scalar);
  if (b && !*b) {
    r->issues().Error(PosOf(e.value), "unreachable_rule",
                      e.key.scalar + ": false never fires (remove the rule instead)");
  }
}

void CheckConfidence(const Node& v, NodeReader* r, TriggerModel* t) {
  const Range kThreshold{0, 1, true, false};
  if (v.is_map()) {
    r->CheckKeys(v, {"threshold", "per_intent", "source", "missing"}, "confidence_below");
    if (r->Require(v, "threshold", "confidence_below") == nullptr) return;
  }
  if (const Node* n = MainParam(v, "threshold")) {
    if (auto d = r->NumberIn(*n, "threshold", kThreshold)) t->threshold = *d;
  }
  if (!v.is_map()) return;
  if (const Node* n = v.Find("per_intent")) {
    if (r->ExpectMap(*n, "per_intent")) {
      r->CheckKeys(*n, {}, "per_intent");
      for (const parser::MapEntry& e : n->entries) {
        if (!e.key.is_scalar()) continue;
        if (auto d = r->NumberIn(e.value, "threshold", kThreshold)) {
          t->per_intent.emplace_back(NameRef{e.key.scalar, PosOf(e.key)}, *d);
        }
      }
    }
  }
  if (const Node* n = v.Find("source")) {
    if (auto s = r->OneOf(*n, "source", {"reported", "calibrated"}))
      t->calibrated = *s == "calibrated";
  }
  if (const Node* n = v.Find("missing")) {
    if (auto s = r->OneOf(*n, "missing", {"fire", "ignore"})) t->fire_when_missing = *s == "fire";
  }
}

void CheckLevel(const Node& v, std::string_view trigger, std::string_view key, const Range& range,
                NodeReader* r, TriggerModel* t) {
  if (v.is_map()) {
    r->CheckKeys(v, {std::string(key)}, trigger);
    if (r->Require(v, key, trigger) == nullptr) return;
  }
  if (auto d = r->NumberIn(*MainParam(v, key), key, range)) t->level = *d;
}

void CheckMessageRate(const Node& v, NodeReader* r, TriggerModel* t) {
  if (!r->ExpectMap(v, "message_rate_above")) return;
  r->CheckKeys(v, {"count", "per_seconds"}, "message_rate_above");
  // The conversation snapshot keeps the last 32 customer messages, so
  // "more than 31" is the most that can ever be observed.
  if (const Node* n = r->Require(v, "count", "message_rate_above")) {
    if (auto i = r->IntegerIn(*n, "count", Range{1, 31})) t->count = *i;
  }
  if (const Node* n = r->Require(v, "per_seconds", "message_rate_above")) {
    if (auto i = r->IntegerIn(*n, "per_seconds", Range{1, 86400})) t->per_seconds = *i;
  }
}

void CheckRepeat(const Node& v, NodeReader* r, TriggerModel* t) {
  if (!r->ExpectMap(v, "repeat_contact")) return;
  r->CheckKeys(v, {"contacts", "within_days", "same_intent"}, "repeat_contact");
  // Snapshots remember a customer's last 16 interactions.
  if (const Node* n = r->Require(v, "contacts", "repeat_contact")) {
    if (auto i = r->IntegerIn(*n, "contacts", Range{2, 16})) t->contacts = *i;
  }
  if (const Node* n = r->Require(v, "within_days", "repeat_contact")) {
    if (auto i = r->IntegerIn(*n, "within_days", Range{1, 365})) t->within_days = *i;
  }
  if (const Node* n = v.Find("same_intent")) {
    if (auto b = r->Bool(*n, "same_intent")) t->same_intent = *b;
  }
}

bool IsCurrency(const std::string& s) {
  return s.size() == 3 && std::isupper(static_cast<unsigned char>(s[0])) &&
         std::isupper(static_cast<unsigned char>(s[1])) &&
         std::isupper(static_cast<unsigned char>(s[2]));
}

void AddLimit(const Node& currency, const Node& limit, NodeReader* r, TriggerModel* t) {
  bool ok = true;
  if (!currency.is_scalar() || !IsCurrency(currency.scalar)) {
    r->issues().Error(
        PosOf(currency), "wrong_type",
        "currency: expected a three-letter ISO 4217 code such as EUR, got " + currency.Describe());
    ok = false;
  }
  std::optional<double> d = r->Number(limit, "limit");
  if (d && *d <= 0) {
    r->issues().Error(PosOf(limit), "out_of_range",
                      "limit " + limit.scalar + " out of range: must be greater than 0");
    d.reset();
  }
  if (ok && d) t->limits.emplace_back(currency.scalar, *d);
}

void CheckActionValue(const Node& v, NodeReader* r, TriggerModel* t) {
  if (!r->ExpectMap(v, "action_value_above")) return;
  r->CheckKeys(v, {"action", "limit", "currency", "limits"}, "action_value_above");
  if (const Node* n = v.Find("action")) {
    if (auto s = r->String(*n, "action")) t->action = NameRef{*s, PosOf(*n)};
  }
  const Node* limit = v.Find("limit");
  const Node* currency = v.Find("currency");
  const Node* limits = v.Find("limits");
  if (limits != nullptr && (limit != nullptr || currency != nullptr)) {
    r->issues().Error(PosOf(*limits), "wrong_type",
                      "action_value_above: give either limits or limit and currency, not both");
    return;
  }
  if (limits != nullptr) {
    if (!r->ExpectMap(*limits, "limits")) return;
    r->CheckKeys(*limits, {}, "limits");
    for (const parser::MapEntry& e : limits->entries) AddLimit(e.key, e.value, r, t);
    if (limits->entries.empty()) {
      r->issues().Error(PosOf(*limits), "missing_key", "limits: needs at least one currency");
    }
    return;
  }
  if (limit == nullptr || currency == nullptr) {
    r->issues().Error(PosOf(v), "missing_key",
                      "action_value_above: needs limit and currency, or limits");
    return;
  }
  AddLimit(*currency, *limit, r, t);
}

}  // namespace

void CheckTrigger(const parser::MapEntry& e, NodeReader* r, TriggerModel* t) {
  if (!e.key.is_scalar()) {
    r->issues().Error(PosOf(e.key), "unknown_trigger", "when: expected a trigger name");
    return;
  }
  const std::string& key = e.key.scalar;
  t->pos = PosOf(e.key);
  const TriggerInfo* info = nullptr;
  for (const TriggerInfo& candidate : Triggers()) {
    if (candidate.name == key) info = &candidate;
  }
  if (info == nullptr) {
    std::vector<std::string> names;
    for (const TriggerInfo& candidate : Triggers()) names.emplace_back(candidate.name);
    r->issues().Error(PosOf(e.key), "unknown_trigger",
                      "unknown trigger '" + key + "'" + DidYouMean(key, names));
    return;
  }
  t->kind = info->kind;
  const Node& v = e.value;
  switch (info->kind) {
    case TriggerKind::kCondition:
      return;
    case TriggerKind::kConfidenceBelow:
      CheckConfidence(v, r, t);
      return;
    case TriggerKind::kSentimentBelow:
      CheckLevel(v, key, "level", Range{-1, 1}, r, t);
      return;
    case TriggerKind::kSentimentFalling:
      CheckLevel(v, key, "by", Range{0, 2, true, false}, r, t);
      return;
    case TriggerKind::kFrustration:
    case TriggerKind::kHumanRequest:
    case TriggerKind::kLegalThreat:
    case TriggerKind::kOutOfScope:
      CheckFlag(e, r);
      return;
    case TriggerKind::kMessageRateAbove:
      CheckMessageRate(v, r, t);
      return;
    case TriggerKind::kRepeatContact:
      CheckRepeat(v, r, t);
      return;
    case TriggerKind::kSensitiveTopic:
    case TriggerKind::kAction:
    case TriggerKind::kIntent:
      if (auto names = r->Names(v, key, true)) {
        t->names = std::move(*names);
        if (t->names.empty()) {
          r->issues().Error(PosOf(v), "unreachable_rule", key + ": an empty list never fires");
        }
      }
      return;
    case TriggerKind::kActionValueAbove:
      CheckActionValue(v, r, t);
      return;
  }
}

}  // namespace hitlgate::policy::compiler
