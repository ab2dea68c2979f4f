// Tokens of the `if` expression language. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "policy/compiler/expr_parser.h"

namespace hitlgate::policy::compiler {

struct Token {
  enum class Kind { kNumber, kString, kIdent, kSymbol, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;  // identifier, symbol ("<=", "(", "&&"...), or string value
  double number = 0.0;
  std::size_t offset = 0;
};

// Every token, ending with kEnd; or the first lexical error.
[[nodiscard]] std::expected<std::vector<Token>, ExprError> Tokenize(std::string_view text);

}  // namespace hitlgate::policy::compiler
