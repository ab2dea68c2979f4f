// kJumpIfFalseElsePop / kJumpIfTrueElsePop: short-circuit `and` / `or`.
// `a and b` compiles to: a; JumpIfFalseElsePop L; b; L: -- when a is false
// it stays on the stack as the result and b never runs.
#include "policy/eval/step.h"

namespace hitlgate::policy::eval {

bool ExecLogicJump(const Step& step, Stack* stack) {
  const Value& top = stack->Top();
  const bool truth = top.kind == ValueKind::kBool && top.b;
  const bool jump = step.op == Op::kJumpIfFalseElsePop ? !truth : truth;
  if (!jump) --stack->size;
  return jump;
}

}  // namespace hitlgate::policy::eval
