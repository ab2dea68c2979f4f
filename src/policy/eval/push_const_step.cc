// kPushConst: push a literal (folded at compile time).
#include "policy/eval/step.h"

namespace hitlgate::policy::eval {

void ExecPushConst(const Step& step, Stack* stack) { stack->Push(step.constant); }

}  // namespace hitlgate::policy::eval
