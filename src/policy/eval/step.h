// Step: one instruction of a compiled `if` expression. Expressions compile
// to a flat vector of steps run by a small dispatch loop over a fixed-size
// value stack (expr_runner.cc), with jumps for short-circuit and/or, as in
// cel-cpp's eval/eval/*_step.cc. One step kind per file (*_step.cc).
// ExprCode owns every step and constant of a program; immutable after
// compilation, so evaluation is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "policy/eval/value.h"

namespace hitlgate::policy::eval {

inline constexpr int kMaxStack = 32;

enum class Op : std::uint8_t {
  kPushConst,           // push `constant`
  kLoadVar,             // push variable `sub` (Var)
  kArith,               // ArithOp `sub` on the top one or two values
  kCompare,             // CmpOp `sub` on the top two values
  kNot,                 // logical not of the top value
  kJumpIfFalseElsePop,  // `and`: if top is false jump to `arg` keeping it; else pop
  kJumpIfTrueElsePop,   // `or`: if top is true jump to `arg` keeping it; else pop
  kInList,              // top string in lists[arg]
  kCall,                // Fn `sub` (arguments on the stack or in arg/number)
};

enum class ArithOp : std::uint8_t { kAdd, kSub, kNeg };
enum class CmpOp : std::uint8_t { kLt, kLe, kGt, kGe, kEq, kNe };
enum class Fn : std::uint8_t {
  kHas,                       // arg: Var
  kGlob,                      // pops a string; arg: index into strings
  kMessagesWithin,            // number: seconds
  kContactsWithin,            // number: days
  kContactsSameIntentWithin,  // number: days
  kTopic,                     // arg: phrase category index
};

struct Step {
  Op op = Op::kPushConst;
  std::uint8_t sub = 0;
  std::int32_t arg = 0;
  double number = 0.0;
  Value constant = Value::Missing();
};

struct ExprCode {
  std::vector<Step> steps;
  std::vector<std::vector<std::string>> lists;
  // Owned strings that steps view (string constants, glob patterns); each
  // behind its own pointer so views stay valid when the vector grows.
  std::vector<std::unique_ptr<std::string>> strings;

  std::string_view Intern(std::string s) {
    strings.push_back(std::make_unique<std::string>(std::move(s)));
    return *strings.back();
  }
};

struct Stack {
  Value v[kMaxStack];  // not initialized: Value is trivial
  int size;
  void Push(const Value& value) { v[size++] = value; }
  Value Pop() { return v[--size]; }
  Value& Top() { return v[size - 1]; }
};

// The step kinds (one file each).
void ExecPushConst(const Step& step, Stack* stack);
void ExecLoadVar(const Step& step, const EvalContext& ctx, Stack* stack);
void ExecArith(const Step& step, Stack* stack);
void ExecCompare(const Step& step, Stack* stack);
void ExecNot(Stack* stack);
bool ExecLogicJump(const Step& step, Stack* stack);  // true: jump to step.arg
void ExecInList(const Step& step, const ExprCode& code, Stack* stack);
void ExecCall(const Step& step, const ExprCode& code, const EvalContext& ctx, Stack* stack);

// Runs steps [begin, end); true when the result is the bool true.
bool RunExpr(const ExprCode& code, int begin, int end, const EvalContext& ctx);

}  // namespace hitlgate::policy::eval
