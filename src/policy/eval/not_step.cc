// kNot: logical negation of a bool.
#include "policy/eval/step.h"

namespace hitlgate::policy::eval {

void ExecNot(Stack* stack) {
  Value& v = stack->Top();
  v = Value::Bool(!(v.kind == ValueKind::kBool && v.b));
}

}  // namespace hitlgate::policy::eval
