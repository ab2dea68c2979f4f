// ExprSourceOf: maps each character of an `if` expression to its column in
// the file, so expression issues point at the offending character. yaml-cpp
// gives only the scalar's start; plain and single-line quoted scalars can be
// mapped exactly, block scalars point at their start.
#include "policy/compiler/checker.h"

namespace hitlgate::policy::compiler {

ExprSource ExprSourceOf(const Node& n, std::string_view source) {
  ExprSource out;
  out.text = n.scalar;
  out.pos = PosOf(n);
  if (n.line == 0 || n.offset >= source.size()) return out;
  const std::string& text = n.scalar;
  std::vector<int> cols;
  cols.reserve(text.size() + 1);
  const std::size_t start = n.offset;
  switch (n.style) {
    case parser::ScalarStyle::kPlain: {
      if (source.substr(start, text.size()) != text) return out;  // folded over lines
      for (std::size_t i = 0; i <= text.size(); ++i) cols.push_back(n.column + static_cast<int>(i));
      break;
    }
    case parser::ScalarStyle::kSingleQuoted:
    case parser::ScalarStyle::kDoubleQuoted: {
      const char quote = n.style == parser::ScalarStyle::kSingleQuoted ? '\'' : '"';
      std::size_t j = start + 1;
      for (std::size_t i = 0; i < text.size(); ++i) {
        if (j >= source.size() || source[j] == '\n') return out;
        if (quote == '"' && source[j] == '\\') return out;  // escapes: keep it simple
        cols.push_back(n.column + static_cast<int>(j - start));
        if (quote == '\'' && source[j] == '\'' && j + 1 < source.size() && source[j + 1] == '\'') {
          j += 2;  // '' is one quote
        } else {
          ++j;
        }
      }
      cols.push_back(n.column + static_cast<int>(j - start));
      break;
    }
    case parser::ScalarStyle::kLiteral:
    case parser::ScalarStyle::kFolded:
      return out;
  }
  out.column_of = std::move(cols);
  return out;
}

}  // namespace hitlgate::policy::compiler
