// ParseExpr: recursive-descent parser for the `if` expression grammar
// (docs/policy.md):
//   or   := and (("or"|"||") and)*
//   and  := not (("and"|"&&") not)*
//   not  := ("not"|"!") not | cmp
//   cmp  := sum (("<"|"<="|">"|">="|"=="|"!=") sum | "in" sum)?
//   sum  := unary (("+"|"-") unary)*
//   unary:= "-" unary | primary
//   primary := number | 'string' | "string" | true | false | ident
//            | ident "(" args ")" | "(" expr ")" | "[" literals "]"
// Depth and length are bounded so hostile input cannot exhaust the stack.
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

#include "policy/compiler/expr_ast.h"

namespace hitlgate::policy::compiler {

struct ExprError {
  std::size_t offset = 0;  // character in the expression text
  std::string message;
};

inline constexpr std::size_t kMaxExprLength = 4096;
inline constexpr int kMaxExprDepth = 100;  // guard steps (about two per parenthesis)

[[nodiscard]] std::expected<AstPtr, ExprError> ParseExpr(std::string_view text);

}  // namespace hitlgate::policy::compiler
