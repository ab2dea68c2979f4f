// kArith: number + number, number - number, -number. A missing operand makes
// the result missing (so a later comparison is false).
#include "policy/eval/step.h"

namespace hitlgate::policy::eval {

void ExecArith(const Step& step, Stack* stack) {
  const auto op = static_cast<ArithOp>(step.sub);
  if (op == ArithOp::kNeg) {
    Value& v = stack->Top();
    if (v.kind == ValueKind::kNumber) v.n = -v.n;
    return;
  }
  const Value rhs = stack->Pop();
  Value& lhs = stack->Top();
  if (lhs.kind != ValueKind::kNumber || rhs.kind != ValueKind::kNumber) {
    lhs = Value::Missing();
    return;
  }
  lhs.n = op == ArithOp::kAdd ? lhs.n + rhs.n : lhs.n - rhs.n;
}

}  // namespace hitlgate::policy::eval
