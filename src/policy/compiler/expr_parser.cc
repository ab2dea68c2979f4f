// ParseExpr: recursive descent over the tokens (grammar in expr_parser.h).
#include "policy/compiler/expr_parser.h"

#include <optional>

#include "hitlgate/common/error.h"
#include "policy/compiler/expr_lexer.h"

namespace hitlgate::policy::compiler {
namespace {

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  std::expected<AstPtr, ExprError> Parse() {
    AstPtr root = Or();
    if (root && !AtEnd()) Fail(Peek(), "unexpected " + Describe(Peek()) + " after the expression");
    if (error_) return std::unexpected(*error_);
    return root;
  }

 private:
  const Token& Peek() const { return tokens_[pos_]; }
  bool AtEnd() const { return Peek().kind == Token::Kind::kEnd; }
  const Token& Next() {
    const Token& t = tokens_[pos_];
    if (!AtEnd()) ++pos_;
    return t;
  }
  bool IsSymbol(std::string_view s) const {
    return Peek().kind == Token::Kind::kSymbol && Peek().text == s;
  }
  bool IsWord(std::string_view s) const {
    return Peek().kind == Token::Kind::kIdent && Peek().text == s;
  }
  static std::string Describe(const Token& t) {
    switch (t.kind) {
      case Token::Kind::kEnd:
        return "end of expression";
      case Token::Kind::kString:
        return "string '" + t.text + "'";
      default:
        return "'" + t.text + "'";
    }
  }
  AstPtr Fail(const Token& at, std::string message) {
    if (!error_) error_ = ExprError{at.offset, std::move(message)};
    return nullptr;
  }
  bool Expect(std::string_view symbol, std::string_view context) {
    if (IsSymbol(symbol)) {
      Next();
      return true;
    }
    Fail(Peek(), "expected '" + std::string(symbol) + "' " + std::string(context) + ", found " +
                     Describe(Peek()));
    return false;
  }

  static AstPtr MakeBinary(std::string op, std::size_t offset, AstPtr lhs, AstPtr rhs) {
    auto n = std::make_unique<Ast>();
    n->kind = Ast::Kind::kBinary;
    n->op = std::move(op);
    n->offset = offset;
    n->children.push_back(std::move(lhs));
    n->children.push_back(std::move(rhs));
    return n;
  }

  // Guards recursion: every nesting level passes through Not() or Unary().
  struct DepthGuard {
    explicit DepthGuard(int* depth) : depth_(depth) { ++*depth_; }
    ~DepthGuard() { --*depth_; }
    int* depth_;
  };

  AstPtr Or() {
    AstPtr lhs = And();
    while (lhs && (IsWord("or") || IsSymbol("||"))) {
      const std::size_t at = Next().offset;
      AstPtr rhs = And();
      if (!rhs) return nullptr;
      lhs = MakeBinary("or", at, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }

  AstPtr And() {
    AstPtr lhs = Not();
    while (lhs && (IsWord("and") || IsSymbol("&&"))) {
      const std::size_t at = Next().offset;
      AstPtr rhs = Not();
      if (!rhs) return nullptr;
      lhs = MakeBinary("and", at, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }

  AstPtr Not() {
    DepthGuard guard(&depth_);
    if (depth_ > kMaxExprDepth) return Fail(Peek(), "expression nested too deeply");
    if (IsWord("not") || IsSymbol("!")) {
      const std::size_t at = Next().offset;
      AstPtr operand = Not();
      if (!operand) return nullptr;
      auto n = std::make_unique<Ast>();
      n->kind = Ast::Kind::kUnary;
      n->op = "not";
      n->offset = at;
      n->children.push_back(std::move(operand));
      return n;
    }
    return Cmp();
  }

  AstPtr Cmp() {
    AstPtr lhs = Sum();
    if (!lhs) return nullptr;
    for (std::string_view op : {"<", "<=", ">", ">=", "==", "!="}) {
      if (IsSymbol(op)) {
        const std::size_t at = Next().offset;
        AstPtr rhs = Sum();
        if (!rhs) return nullptr;
        return MakeBinary(std::string(op), at, std::move(lhs), std::move(rhs));
      }
    }
    if (IsWord("in")) {
      const std::size_t at = Next().offset;
      AstPtr rhs = Sum();
      if (!rhs) return nullptr;
      return MakeBinary("in", at, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }

  AstPtr Sum() {
    AstPtr lhs = Unary();
    while (lhs && (IsSymbol("+") || IsSymbol("-"))) {
      const Token& op = Next();
      AstPtr rhs = Unary();
      if (!rhs) return nullptr;
      lhs = MakeBinary(op.text, op.offset, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }

  AstPtr Unary() {
    DepthGuard guard(&depth_);
    if (depth_ > kMaxExprDepth) return Fail(Peek(), "expression nested too deeply");
    if (IsSymbol("-")) {
      const std::size_t at = Next().offset;
      AstPtr operand = Unary();
      if (!operand) return nullptr;
      auto n = std::make_unique<Ast>();
      n->kind = Ast::Kind::kUnary;
      n->op = "-";
      n->offset = at;
      n->children.push_back(std::move(operand));
      return n;
    }
    return Primary();
  }

  AstPtr Primary() {
    const Token& t = Peek();
    auto n = std::make_unique<Ast>();
    n->offset = t.offset;
    switch (t.kind) {
      case Token::Kind::kNumber:
        n->kind = Ast::Kind::kNumber;
        n->number = t.number;
        Next();
        return n;
      case Token::Kind::kString:
        n->kind = Ast::Kind::kString;
        n->str = t.text;
        Next();
        return n;
      case Token::Kind::kIdent:
        return Word();
      case Token::Kind::kEnd:
        return Fail(t, "unexpected end of expression");
      case Token::Kind::kSymbol:
        break;
    }
    if (IsSymbol("(")) {
      Next();
      AstPtr inner = Or();
      if (!inner) return nullptr;
      if (!Expect(")", "to close '('")) return nullptr;
      return inner;
    }
    if (IsSymbol("[")) {
      Next();
      n->kind = Ast::Kind::kList;
      while (!IsSymbol("]")) {
        AstPtr item = Unary();
        if (!item) return nullptr;
        n->children.push_back(std::move(item));
        if (IsSymbol(",")) {
          Next();
        } else if (!IsSymbol("]")) {
          return Fail(Peek(), "expected ',' or ']' in a list, found " + Describe(Peek()));
        }
      }
      Next();
      return n;
    }
    return Fail(t, "unexpected " + Describe(t));
  }

  AstPtr Word() {
    const Token& t = Next();
    auto n = std::make_unique<Ast>();
    n->offset = t.offset;
    if (t.text == "true" || t.text == "false") {
      n->kind = Ast::Kind::kBool;
      n->boolean = t.text == "true";
      return n;
    }
    if (t.text == "and" || t.text == "or" || t.text == "in" || t.text == "not") {
      return Fail(t, "unexpected '" + t.text + "'");
    }
    n->str = t.text;
    if (!IsSymbol("(")) {
      n->kind = Ast::Kind::kIdent;
      return n;
    }
    Next();
    n->kind = Ast::Kind::kCall;
    while (!IsSymbol(")")) {
      AstPtr arg = Or();
      if (!arg) return nullptr;
      n->children.push_back(std::move(arg));
      if (IsSymbol(",")) {
        Next();
      } else if (!IsSymbol(")")) {
        return Fail(Peek(), "expected ',' or ')' after an argument, found " + Describe(Peek()));
      }
    }
    Next();
    return n;
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::optional<ExprError> error_;
};

}  // namespace

std::expected<AstPtr, ExprError> ParseExpr(std::string_view text) {
  if (text.size() > kMaxExprLength) {
    return std::unexpected(ExprError{0, "expression longer than 4096 characters"});
  }
  auto tokens = Tokenize(text);
  HITLGATE_RETURN_IF_ERROR(tokens);
  return Parser(std::move(*tokens)).Parse();
}

}  // namespace hitlgate::policy::compiler
