// The variable table and how each variable reads an event.
#include "policy/eval/variables.h"

namespace hitlgate::policy::eval {

const std::vector<VarInfo>& Variables() {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  static const std::vector<VarInfo>* table = new std::vector<VarInfo>{
      {"sentiment", Var::kSentiment, VarType::kNumber, false, -1, 1},
      {"sentiment_trend", Var::kSentimentTrend, VarType::kNumber, false, -2, 2},
      {"confidence", Var::kConfidence, VarType::kNumber, true, 0, 1},
      {"calibrated_confidence", Var::kCalibratedConfidence, VarType::kNumber, true, 0, 1},
      {"amount", Var::kAmount, VarType::kNumber, true, 0, kInf},
      {"repeat_contacts", Var::kRepeatContacts, VarType::kNumber, false, 0, kInf},
      {"messages_per_minute", Var::kMessagesPerMinute, VarType::kNumber, false, 0, kInf},
      {"event_index", Var::kEventIndex, VarType::kNumber, false, 0, kInf},
      {"text_length", Var::kTextLength, VarType::kNumber, false, 0, kInf},
      {"frustration", Var::kFrustration, VarType::kBool, false},
      {"human_request", Var::kHumanRequest, VarType::kBool, false},
      {"legal_threat", Var::kLegalThreat, VarType::kBool, false},
      {"out_of_scope", Var::kOutOfScope, VarType::kBool, false},
      {"is_customer_message", Var::kIsCustomerMessage, VarType::kBool, false},
      {"is_proposal", Var::kIsProposal, VarType::kBool, false},
      {"has_action", Var::kHasAction, VarType::kBool, false},
      {"intent", Var::kIntent, VarType::kString, true},
      {"action", Var::kAction, VarType::kString, true},
      {"currency", Var::kCurrency, VarType::kString, true},
      {"workflow", Var::kWorkflow, VarType::kString, false},
      {"channel", Var::kChannel, VarType::kString, true},
      {"type", Var::kType, VarType::kString, false},
      {"language", Var::kLanguage, VarType::kString, true},
      {"topics", Var::kTopics, VarType::kStringList, false},
  };
  return *table;
}

const VarInfo* FindVariable(std::string_view name) {
  for (const VarInfo& v : Variables()) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

Value LoadVariable(Var var, const EvalContext& ctx) {
  const engine::Event& e = ctx.event;
  const engine::Signals& s = ctx.signals;
  switch (var) {
    case Var::kSentiment:
      return Value::Number(s.sentiment);
    case Var::kSentimentTrend:
      return Value::Number(s.sentiment_trend);
    case Var::kConfidence:
      return e.confidence ? Value::Number(*e.confidence) : Value::Missing();
    case Var::kCalibratedConfidence:
      return s.calibrated_confidence ? Value::Number(*s.calibrated_confidence) : Value::Missing();
    case Var::kAmount:
      return e.action && e.action->amount ? Value::Number(*e.action->amount) : Value::Missing();
    case Var::kRepeatContacts:
      return Value::Number(s.repeat_contacts);
    case Var::kMessagesPerMinute:
      return Value::Number(s.messages_per_minute);
    case Var::kEventIndex:
      return Value::Number(static_cast<double>(ctx.snapshot.event_index));
    case Var::kTextLength:
      return Value::Number(static_cast<double>(e.text.size()));
    case Var::kFrustration:
      return Value::Bool(s.frustration);
    case Var::kHumanRequest:
      return Value::Bool(s.human_request);
    case Var::kLegalThreat:
      return Value::Bool(s.legal_threat);
    case Var::kOutOfScope:
      return Value::Bool(s.out_of_scope);
    case Var::kIsCustomerMessage:
      return Value::Bool(e.type == engine::EventType::kCustomerMessage);
    case Var::kIsProposal:
      return Value::Bool(e.type == engine::EventType::kAiProposal);
    case Var::kHasAction:
      return Value::Bool(e.action.has_value());
    case Var::kIntent:
      return Value::String(e.intent);
    case Var::kAction:
      return Value::String(e.action ? std::string_view(e.action->name) : "");
    case Var::kCurrency:
      return Value::String(e.action ? std::string_view(e.action->currency) : "");
    case Var::kWorkflow:
      return Value::String(e.workflow);
    case Var::kChannel:
      return Value::String(e.channel);
    case Var::kType:
      return Value::String(engine::EventTypeName(e.type));
    case Var::kLanguage:
      // The detected language when the event named none.
      return Value::String(e.language.empty() ? std::string_view(s.language) : e.language);
    case Var::kTopics:
      return Value::Missing();  // only through `in topics` (a kTopic call)
  }
  return Value::Missing();
}

}  // namespace hitlgate::policy::eval
