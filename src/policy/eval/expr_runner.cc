// RunExpr: the dispatch loop over a rule's steps. The stack depth was bounded
// at compile time (kMaxStack), so no bounds checks here.
#include "policy/eval/step.h"

namespace hitlgate::policy::eval {

bool RunExpr(const ExprCode& code, int begin, int end, const EvalContext& ctx) {
  Stack stack;
  stack.size = 0;
  const Step* steps = code.steps.data();
  int pc = begin;
  while (pc < end) {
    const Step& step = steps[pc];
    switch (step.op) {
      case Op::kPushConst:
        ExecPushConst(step, &stack);
        break;
      case Op::kLoadVar:
        ExecLoadVar(step, ctx, &stack);
        break;
      case Op::kArith:
        ExecArith(step, &stack);
        break;
      case Op::kCompare:
        ExecCompare(step, &stack);
        break;
      case Op::kNot:
        ExecNot(&stack);
        break;
      case Op::kJumpIfFalseElsePop:
      case Op::kJumpIfTrueElsePop:
        if (ExecLogicJump(step, &stack)) {
          pc = step.arg;
          continue;
        }
        break;
      case Op::kInList:
        ExecInList(step, code, &stack);
        break;
      case Op::kCall:
        ExecCall(step, code, ctx, &stack);
        break;
    }
    ++pc;
  }
  return stack.size > 0 && stack.v[0].kind == ValueKind::kBool && stack.v[0].b;
}

}  // namespace hitlgate::policy::eval
