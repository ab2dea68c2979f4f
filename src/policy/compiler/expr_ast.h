// Expression AST for `if` conditions: produced by ParseExpr, typed, folded
// and lowered to flat steps by CompileExpr. Lives only during compilation;
// nothing of it survives into a Program. Value type (owns its children).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace hitlgate::policy::compiler {

enum class ExprType { kError, kBool, kNumber, kString, kStringList };

struct Ast {
  enum class Kind {
    kNumber,
    kString,
    kBool,
    kIdent,   // a variable (resolved by the compiler)
    kCall,    // str = function name; children = arguments
    kList,    // [ 'a', 'b' ]; children = elements
    kUnary,   // op = "-" or "not"; children[0]
    kBinary,  // op = "and" "or" "<" "<=" ">" ">=" "==" "!=" "in" "+" "-"
  };
  Kind kind = Kind::kNumber;
  std::size_t offset = 0;  // where the node (or its operator) starts in the text
  std::string op;
  std::string str;  // string value, identifier or function name
  double number = 0.0;
  bool boolean = false;
  std::vector<std::unique_ptr<Ast>> children;
  // Filled by the compiler.
  ExprType type = ExprType::kError;
};

using AstPtr = std::unique_ptr<Ast>;

}  // namespace hitlgate::policy::compiler
