// kCompare: < <= > >= on numbers, == != on numbers, strings and bools (types
// were checked at compile time). Any comparison with a missing value is false.
#include "policy/eval/step.h"

namespace hitlgate::policy::eval {
namespace {

template <typename T>
bool Apply(CmpOp op, const T& a, const T& b) {
  switch (op) {
    case CmpOp::kLt:
      return a < b;
    case CmpOp::kLe:
      return a <= b;
    case CmpOp::kGt:
      return a > b;
    case CmpOp::kGe:
      return a >= b;
    case CmpOp::kEq:
      return a == b;
    case CmpOp::kNe:
      return a != b;
  }
  return false;
}

}  // namespace

void ExecCompare(const Step& step, Stack* stack) {
  const Value rhs = stack->Pop();
  Value& lhs = stack->Top();
  const auto op = static_cast<CmpOp>(step.sub);
  bool result = false;
  if (lhs.kind == rhs.kind) {
    switch (lhs.kind) {
      case ValueKind::kMissing:
        result = false;
        break;
      case ValueKind::kNumber:
        result = Apply(op, lhs.n, rhs.n);
        break;
      case ValueKind::kBool:
        result = Apply(op, lhs.b, rhs.b);
        break;
      case ValueKind::kString:
        result = Apply(op, lhs.s(), rhs.s());
        break;
    }
  }
  lhs = Value::Bool(result);
}

}  // namespace hitlgate::policy::eval
