// Tokenize: numbers, quoted strings, identifiers, operators.
#include "policy/compiler/expr_lexer.h"

#include <cctype>
#include <charconv>
#include <cmath>

namespace hitlgate::policy::compiler {
namespace {

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::expected<std::vector<Token>, ExprError> Tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (true) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    Token t;
    t.offset = i;
    if (i >= s.size()) {
      out.push_back(std::move(t));
      return out;
    }
    const char c = s[i];
    if (IsDigit(c) || (c == '.' && i + 1 < s.size() && IsDigit(s[i + 1]))) {
      std::size_t j = i;
      while (j < s.size() && (IsDigit(s[j]) || s[j] == '.')) ++j;
      if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
        std::size_t k = j + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        if (k < s.size() && IsDigit(s[k])) {
          j = k;
          while (j < s.size() && IsDigit(s[j])) ++j;
        }
      }
      double v = 0;
      auto [p, ec] = std::from_chars(s.data() + i, s.data() + j, v);
      if (ec != std::errc() || p != s.data() + j || !std::isfinite(v)) {
        return std::unexpected(
            ExprError{i, "bad number '" + std::string(s.substr(i, j - i)) + "'"});
      }
      if (j < s.size() && IsIdentStart(s[j])) {
        return std::unexpected(
            ExprError{j, "unexpected '" + std::string(1, s[j]) + "' after a number"});
      }
      t.kind = Token::Kind::kNumber;
      t.number = v;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (c == '\'' || c == '"') {
      std::size_t j = i + 1;
      std::string value;
      while (j < s.size() && s[j] != c) {
        if (s[j] == '\\' && j + 1 < s.size()) ++j;  // \' and \\ inside strings
        value.push_back(s[j]);
        ++j;
      }
      if (j >= s.size()) return std::unexpected(ExprError{i, "unterminated string"});
      t.kind = Token::Kind::kString;
      t.text = std::move(value);
      i = j + 1;
    } else if (IsIdentStart(c)) {
      std::size_t j = i;
      while (j < s.size() && IsIdentChar(s[j])) ++j;
      t.kind = Token::Kind::kIdent;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else {
      static constexpr std::string_view kTwo[] = {"<=", ">=", "==", "!=", "&&", "||"};
      t.kind = Token::Kind::kSymbol;
      const std::string_view two = s.substr(i, 2);
      bool matched = false;
      for (std::string_view op : kTwo) {
        if (two == op) {
          t.text = std::string(op);
          i += 2;
          matched = true;
          break;
        }
      }
      if (!matched) {
        if (std::string_view("<>()[],+-!").find(c) == std::string_view::npos) {
          if (c == '=') return std::unexpected(ExprError{i, "use '==' to compare"});
          if (c == '&' || c == '|') {
            return std::unexpected(
                ExprError{i, std::string("use '") + c + c + "' (or 'and'/'or')"});
          }
          const auto u = static_cast<unsigned char>(c);
          std::string shown = u >= 0x20 && u < 0x7f ? std::string(1, c) : "\\x" + std::to_string(u);
          return std::unexpected(ExprError{i, "unexpected character '" + shown + "'"});
        }
        t.text = std::string(1, c);
        ++i;
      }
    }
    out.push_back(std::move(t));
  }
}

}  // namespace hitlgate::policy::compiler
