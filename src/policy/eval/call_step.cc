// kCall: the built-in functions has, glob, messages_within, contacts_within,
// contacts_same_intent_within and topic. Arguments that must be literals were
// folded into the step at compile time.
#include <chrono>

#include "policy/eval/glob.h"
#include "policy/eval/step.h"
#include "policy/eval/variables.h"

namespace hitlgate::policy::eval {
namespace {

Duration Days(double days) { return Duration(static_cast<std::int64_t>(days * 86400.0 * 1e6)); }

}  // namespace

void ExecCall(const Step& step, const ExprCode& code, const EvalContext& ctx, Stack* stack) {
  switch (static_cast<Fn>(step.sub)) {
    case Fn::kHas: {
      const Value v = LoadVariable(static_cast<Var>(step.arg), ctx);
      stack->Push(Value::Bool(v.kind != ValueKind::kMissing &&
                              (v.kind != ValueKind::kString || v.len > 0)));
      return;
    }
    case Fn::kGlob: {
      Value& v = stack->Top();
      const bool match = v.kind == ValueKind::kString && GlobMatch(*code.strings[step.arg], v.s());
      v = Value::Bool(match);
      return;
    }
    case Fn::kMessagesWithin:
      stack->Push(Value::Number(
          ctx.snapshot.MessagesWithin(Duration(static_cast<std::int64_t>(step.number * 1e6)))));
      return;
    case Fn::kContactsWithin:
      stack->Push(Value::Number(ctx.snapshot.ContactsWithin(Days(step.number), 0)));
      return;
    case Fn::kContactsSameIntentWithin: {
      // Without an intent there is nothing to be "the same" as.
      const int n = ctx.event.intent.empty()
                        ? 0
                        : ctx.snapshot.ContactsWithin(Days(step.number),
                                                      engine::StableHash(ctx.event.intent));
      stack->Push(Value::Number(n));
      return;
    }
    case Fn::kTopic:
      stack->Push(Value::Bool((ctx.signals.category_bits >> step.arg) & 1u));
      return;
  }
}

}  // namespace hitlgate::policy::eval
