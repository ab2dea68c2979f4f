// kLoadVar: push one variable of the event (variables.cc says how each reads).
#include "policy/eval/step.h"
#include "policy/eval/variables.h"

namespace hitlgate::policy::eval {

void ExecLoadVar(const Step& step, const EvalContext& ctx, Stack* stack) {
  stack->Push(LoadVariable(static_cast<Var>(step.sub), ctx));
}

}  // namespace hitlgate::policy::eval
