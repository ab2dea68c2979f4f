// kInList: `x in ['a', 'b']` with a literal list (linear: lists are short).
#include "policy/eval/step.h"

namespace hitlgate::policy::eval {

void ExecInList(const Step& step, const ExprCode& code, Stack* stack) {
  Value& v = stack->Top();
  bool found = false;
  if (v.kind == ValueKind::kString) {
    for (const std::string& item : code.lists[step.arg]) {
      if (item == v.s()) {
        found = true;
        break;
      }
    }
  }
  v = Value::Bool(found);
}

}  // namespace hitlgate::policy::eval
