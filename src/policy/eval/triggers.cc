// TriggerFires / TriggerDetail: what each `when` trigger checks, and how a
// fired one explains itself ("120.00 EUR > 100.00 EUR").
#include <bit>
#include <cstdio>

#include "policy/eval/compiled_policy.h"

namespace hitlgate::policy::eval {
namespace {

std::string Fixed2(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::optional<double> ConfidenceOf(const CompiledTrigger& t, const EvalContext& ctx) {
  if (t.calibrated && ctx.signals.calibrated_confidence) return ctx.signals.calibrated_confidence;
  return ctx.event.confidence;
}

double ThresholdFor(const CompiledTrigger& t, const EvalContext& ctx, const EventNames& n) {
  if (!ctx.event.intent.empty()) {
    if (const double* d = t.per_intent.Lookup(n.intent, ctx.event.intent)) return *d;
  }
  return t.threshold;
}

int RepeatContacts(const CompiledTrigger& t, const EvalContext& ctx) {
  if (!t.same_intent) return ctx.snapshot.ContactsWithin(t.within, 0);
  if (ctx.event.intent.empty()) return 0;  // nothing to be "the same" as
  return ctx.snapshot.ContactsWithin(t.within, engine::StableHash(ctx.event.intent));
}

// The action value trigger's limit for this event's currency; null when the
// currency has none (which fires: unknown currencies are not waved through).
const double* LimitFor(const CompiledTrigger& t, std::string_view currency) {
  for (const auto& [code, limit] : t.limits) {
    if (code == currency) return &limit;
  }
  return nullptr;
}

bool ActionInScope(const CompiledTrigger& t, const EvalContext& ctx, const EventNames& n) {
  return ctx.event.action && t.names.Matches(n.action, ctx.event.action->name);
}

}  // namespace

bool TriggerFires(const CompiledTrigger& t, const EvalContext& ctx, const EventNames& n) {
  const engine::Signals& s = ctx.signals;
  switch (t.kind) {
    case TriggerKind::kCondition:
      return true;
    case TriggerKind::kConfidenceBelow: {
      const std::optional<double> c = ConfidenceOf(t, ctx);
      if (!c) return t.fire_when_missing;
      return *c < ThresholdFor(t, ctx, n);
    }
    case TriggerKind::kSentimentBelow:
      return s.sentiment < t.level;
    case TriggerKind::kSentimentFalling:
      return s.sentiment_trend <= -t.level;
    case TriggerKind::kFrustration:
      return s.frustration;
    case TriggerKind::kMessageRateAbove:
      return ctx.snapshot.MessagesWithin(t.per) > t.count;
    case TriggerKind::kRepeatContact:
      return RepeatContacts(t, ctx) >= t.contacts;
    case TriggerKind::kHumanRequest:
      return s.human_request;
    case TriggerKind::kLegalThreat:
      return s.legal_threat;
    case TriggerKind::kOutOfScope:
      return s.out_of_scope;
    case TriggerKind::kSensitiveTopic:
      return (s.category_bits & t.topic_mask) != 0;
    case TriggerKind::kActionValueAbove: {
      if (!ActionInScope(t, ctx, n) || !ctx.event.action->amount) return false;
      const double* limit = LimitFor(t, ctx.event.action->currency);
      return limit == nullptr || *ctx.event.action->amount > *limit;
    }
    case TriggerKind::kAction:
      return ActionInScope(t, ctx, n);
    case TriggerKind::kIntent:
      return !ctx.event.intent.empty() && t.names.Matches(n.intent, ctx.event.intent);
  }
  return false;
}

std::string TriggerDetail(const CompiledTrigger& t, const EvalContext& ctx, const EventNames& n,
                          const signals::PhraseMatcher& matcher) {
  const engine::Signals& s = ctx.signals;
  switch (t.kind) {
    case TriggerKind::kCondition:
      return "";
    case TriggerKind::kConfidenceBelow: {
      const std::optional<double> c = ConfidenceOf(t, ctx);
      if (!c) return "no confidence reported";
      const bool calibrated = t.calibrated && s.calibrated_confidence.has_value();
      std::string out = std::string(calibrated ? "calibrated confidence " : "confidence ") +
                        Fixed2(*c) + " < " + Fixed2(ThresholdFor(t, ctx, n));
      if (!ctx.event.intent.empty()) out += " for intent " + ctx.event.intent;
      return out;
    }
    case TriggerKind::kSentimentBelow:
      return "sentiment " + Fixed2(s.sentiment) + " < " + Fixed2(t.level);
    case TriggerKind::kSentimentFalling:
      return "sentiment fell by " + Fixed2(-s.sentiment_trend) + " (>= " + Fixed2(t.level) + ")";
    case TriggerKind::kFrustration:
      return "customer is frustrated";
    case TriggerKind::kMessageRateAbove:
      return std::to_string(ctx.snapshot.MessagesWithin(t.per)) + " messages in " +
             std::to_string(t.per_seconds) + " s (> " + std::to_string(t.count) + ")";
    case TriggerKind::kRepeatContact: {
      std::string out = std::to_string(RepeatContacts(t, ctx)) + " contacts in " +
                        std::to_string(t.within_days) + " days";
      if (t.same_intent) out += " about " + ctx.event.intent;
      return out;
    }
    case TriggerKind::kHumanRequest:
      return "customer asked for a person";
    case TriggerKind::kLegalThreat:
      return "legal-threat language";
    case TriggerKind::kOutOfScope:
      if (s.triage_intent.empty() || !s.triage_confidence) return "message fits no known intent";
      return "message fits no known intent (closest " + s.triage_intent + ", p " +
             Fixed2(*s.triage_confidence) + ")";
    case TriggerKind::kSensitiveTopic: {
      std::string names;
      int count = 0;
      for (int category : t.topic_categories) {
        if ((s.category_bits >> category) & 1u) {
          names += (count++ > 0 ? ", " : "") + matcher.category_name(category);
        }
      }
      return (count > 1 ? "topics " : "topic ") + names;
    }
    case TriggerKind::kActionValueAbove: {
      const engine::Action& a = *ctx.event.action;
      const double* limit = LimitFor(t, a.currency);
      if (limit == nullptr) return "no limit configured for currency " + a.currency;
      return Fixed2(*a.amount) + " " + a.currency + " > " + Fixed2(*limit) + " " + a.currency;
    }
    case TriggerKind::kAction:
      return "action " + ctx.event.action->name;
    case TriggerKind::kIntent:
      return "intent " + ctx.event.intent;
  }
  return "";
}

}  // namespace hitlgate::policy::eval
