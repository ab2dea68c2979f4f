// CompileExpr: type check, constant folding and lowering to steps.
#include "policy/compiler/expr_compiler.h"

#include <algorithm>

#include "policy/compiler/expr_parser.h"
#include "policy/compiler/node_reader.h"
#include "policy/eval/glob.h"
#include "policy/eval/variables.h"

namespace hitlgate::policy::compiler {
namespace {

using eval::CmpOp;
using eval::Fn;
using eval::Op;
using eval::Step;
using eval::Value;

const std::vector<std::string>& FunctionNames() {
  static const std::vector<std::string>* names = new std::vector<std::string>{
      "has", "glob", "messages_within", "contacts_within", "contacts_same_intent_within", "topic"};
  return *names;
}

const std::vector<std::string>& VariableNames() {
  static const std::vector<std::string>* names = [] {
    auto* out = new std::vector<std::string>;
    for (const eval::VarInfo& v : eval::Variables()) out->emplace_back(v.name);
    return out;
  }();
  return *names;
}

std::string TypeName(ExprType t) {
  switch (t) {
    case ExprType::kBool:
      return "bool";
    case ExprType::kNumber:
      return "number";
    case ExprType::kString:
      return "string";
    case ExprType::kStringList:
      return "list<string>";
    case ExprType::kError:
      return "error";
  }
  return "error";
}

ExprType TypeOfVar(eval::VarType t) {
  switch (t) {
    case eval::VarType::kBool:
      return ExprType::kBool;
    case eval::VarType::kNumber:
      return ExprType::kNumber;
    case eval::VarType::kString:
      return ExprType::kString;
    case eval::VarType::kStringList:
      return ExprType::kStringList;
  }
  return ExprType::kError;
}

std::optional<CmpOp> CmpOf(std::string_view op) {
  if (op == "<") return CmpOp::kLt;
  if (op == "<=") return CmpOp::kLe;
  if (op == ">") return CmpOp::kGt;
  if (op == ">=") return CmpOp::kGe;
  if (op == "==") return CmpOp::kEq;
  if (op == "!=") return CmpOp::kNe;
  return std::nullopt;
}

// `c OP x` is `x FLIP(OP) c`.
CmpOp Flip(CmpOp op) {
  switch (op) {
    case CmpOp::kLt:
      return CmpOp::kGt;
    case CmpOp::kLe:
      return CmpOp::kGe;
    case CmpOp::kGt:
      return CmpOp::kLt;
    case CmpOp::kGe:
      return CmpOp::kLe;
    default:
      return op;
  }
}

template <typename T>
bool Compare(CmpOp op, const T& a, const T& b) {
  switch (op) {
    case CmpOp::kLt:
      return a < b;
    case CmpOp::kLe:
      return a <= b;
    case CmpOp::kGt:
      return a > b;
    case CmpOp::kGe:
      return a >= b;
    case CmpOp::kEq:
      return a == b;
    case CmpOp::kNe:
      return a != b;
  }
  return false;
}

// True when `var OP c` can never hold for any value `var` can take.
bool NeverTrue(const eval::VarInfo& var, CmpOp op, double c) {
  switch (op) {
    case CmpOp::kLt:
      return c <= var.lo;
    case CmpOp::kLe:
      return c < var.lo;
    case CmpOp::kGt:
      return c >= var.hi;
    case CmpOp::kGe:
      return c > var.hi;
    case CmpOp::kEq:
      return c < var.lo || c > var.hi;
    case CmpOp::kNe:
      return false;
  }
  return false;
}

bool IsConst(const Ast& n) {
  return n.kind == Ast::Kind::kNumber || n.kind == Ast::Kind::kString || n.kind == Ast::Kind::kBool;
}

AstPtr MakeBool(bool v, std::size_t offset) {
  auto n = std::make_unique<Ast>();
  n->kind = Ast::Kind::kBool;
  n->boolean = v;
  n->offset = offset;
  n->type = ExprType::kBool;
  return n;
}

AstPtr MakeNumber(double v, std::size_t offset) {
  auto n = std::make_unique<Ast>();
  n->kind = Ast::Kind::kNumber;
  n->number = v;
  n->offset = offset;
  n->type = ExprType::kNumber;
  return n;
}

class ExprCompiler {
 public:
  ExprCompiler(const ExprSource& src, std::uint8_t events, const TopicTable& topics,
               eval::ExprCode* code, IssueList* issues)
      : src_(src), events_(events), topics_(topics), code_(code), issues_(issues) {}

  std::optional<CompiledExpr> Run() {
    auto parsed = ParseExpr(src_.text);
    if (!parsed) {
      Error(parsed.error().offset, "syntax error: " + parsed.error().message);
      return std::nullopt;
    }
    AstPtr root = std::move(*parsed);
    const ExprType type = Check(*root);
    if (errors_ > 0) return std::nullopt;
    if (type != ExprType::kBool) {
      Error(0, "an `if` condition must be bool, got " + TypeName(type));
      return std::nullopt;
    }
    Fold(root);
    CompiledExpr out;
    if (root->kind == Ast::Kind::kBool) {
      out.constant = root->boolean ? CompiledExpr::Constant::kAlwaysTrue
                                   : CompiledExpr::Constant::kAlwaysFalse;
      return out;
    }
    const std::size_t start = code_->steps.size();
    out.begin = static_cast<int>(start);
    Gen(*root);
    if (max_depth_ > eval::kMaxStack) {
      code_->steps.resize(start);
      Error(0, "expression too complex (it needs more than 32 stack slots)");
      return std::nullopt;
    }
    out.end = static_cast<int>(code_->steps.size());
    return out;
  }

 private:
  void Error(std::size_t offset, std::string message) {
    issues_->Error(src_.At(offset), "bad_expression", std::move(message));
    ++errors_;
  }

  // ---- type checking ----

  ExprType Check(Ast& n) {
    n.type = CheckNode(n);
    return n.type;
  }

  ExprType CheckNode(Ast& n) {
    switch (n.kind) {
      case Ast::Kind::kNumber:
        return ExprType::kNumber;
      case Ast::Kind::kString:
        return ExprType::kString;
      case Ast::Kind::kBool:
        return ExprType::kBool;
      case Ast::Kind::kIdent:
        return CheckIdent(n);
      case Ast::Kind::kList:
        for (const AstPtr& item : n.children) {
          if (item->kind != Ast::Kind::kString) {
            Error(item->offset, "lists hold quoted strings only, e.g. ['chat', 'voice']");
            return ExprType::kError;
          }
          item->type = ExprType::kString;
        }
        return ExprType::kStringList;
      case Ast::Kind::kUnary: {
        const ExprType t = Check(*n.children[0]);
        if (t == ExprType::kError) return t;
        const ExprType want = n.op == "-" ? ExprType::kNumber : ExprType::kBool;
        if (t != want) {
          Error(n.offset, "'" + n.op + "' expects a " + TypeName(want) + ", got " + TypeName(t));
          return ExprType::kError;
        }
        return want;
      }
      case Ast::Kind::kBinary:
        return CheckBinary(n);
      case Ast::Kind::kCall:
        return CheckCall(n);
    }
    return ExprType::kError;
  }

  ExprType CheckIdent(const Ast& n) {
    if (eval::FindVariable(n.str) != nullptr) return TypeOfVar(eval::FindVariable(n.str)->type);
    if (std::find(FunctionNames().begin(), FunctionNames().end(), n.str) != FunctionNames().end()) {
      Error(n.offset, "'" + n.str + "' is a function: call it as " + n.str + "(...)");
    } else {
      Error(n.offset, "unknown identifier '" + n.str + "'" + DidYouMean(n.str, VariableNames()));
    }
    return ExprType::kError;
  }

  ExprType CheckBinary(Ast& n) {
    Ast& lhs = *n.children[0];
    Ast& rhs = *n.children[1];
    const ExprType l = Check(lhs);
    const ExprType r = Check(rhs);
    if (l == ExprType::kError || r == ExprType::kError) return ExprType::kError;
    const std::string& op = n.op;
    if (op == "and" || op == "or") {
      bool ok = true;
      for (const Ast* side : {&lhs, &rhs}) {
        if (side->type != ExprType::kBool) {
          Error(side->offset, "'" + op + "' expects bool operands, got " + TypeName(side->type));
          ok = false;
        }
      }
      return ok ? ExprType::kBool : ExprType::kError;
    }
    if (op == "+" || op == "-") {
      if (l != ExprType::kNumber || r != ExprType::kNumber) {
        Error(n.offset, "'" + op + "' expects numbers, got " + TypeName(l) + " and " + TypeName(r));
        return ExprType::kError;
      }
      return ExprType::kNumber;
    }
    if (op == "in") return CheckIn(n, l, r);
    if (op == "==" || op == "!=") {
      if (l != r || l == ExprType::kStringList) {
        Error(n.offset,
              "cannot compare " + TypeName(l) + " with " + TypeName(r) + " using '" + op + "'");
        return ExprType::kError;
      }
      return ExprType::kBool;
    }
    if (l != ExprType::kNumber || r != ExprType::kNumber) {
      Error(n.offset, "'" + op + "' compares numbers, got " + TypeName(l) + " and " + TypeName(r));
      return ExprType::kError;
    }
    return ExprType::kBool;
  }

  ExprType CheckIn(Ast& n, ExprType l, ExprType r) {
    Ast& lhs = *n.children[0];
    Ast& rhs = *n.children[1];
    if (r != ExprType::kStringList) {
      Error(rhs.offset, "'in' expects a list on the right ([...] or topics), got " + TypeName(r));
      return ExprType::kError;
    }
    if (l != ExprType::kString) {
      Error(lhs.offset, "'in' expects a string on the left, got " + TypeName(l));
      return ExprType::kError;
    }
    if (rhs.kind == Ast::Kind::kIdent) {  // topics
      if (lhs.kind != Ast::Kind::kString) {
        Error(lhs.offset,
              "the left side of 'in topics' must be a topic name in quotes, e.g. 'medical' in "
              "topics");
        return ExprType::kError;
      }
      if (!CheckTopic(lhs)) return ExprType::kError;
    }
    return ExprType::kBool;
  }

  bool CheckTopic(const Ast& name) {
    if (topics_.Find(name.str) >= 0) return true;
    Error(name.offset, "unknown topic '" + name.str + "'" + DidYouMean(name.str, topics_.names));
    return false;
  }

  bool Arity(const Ast& n, std::size_t want) {
    if (n.children.size() == want) return true;
    Error(n.offset, n.str + "() takes " + std::to_string(want) + " argument" +
                        (want == 1 ? "" : "s") + ", got " + std::to_string(n.children.size()));
    return false;
  }

  // messages_within(60): the argument is a number literal within `range`.
  bool LiteralArg(const Ast& n, double lo, double hi, std::string_view unit) {
    const Ast& arg = *n.children[0];
    if (arg.kind != Ast::Kind::kNumber) {
      Error(arg.offset, n.str + "() takes a number literal (" + std::string(unit) + ")");
      return false;
    }
    if (arg.number < lo || arg.number > hi) {
      Error(arg.offset, n.str + "(): " + FormatNumber(arg.number) + " out of range [" +
                            FormatNumber(lo) + ", " + FormatNumber(hi) + "] " + std::string(unit));
      return false;
    }
    return true;
  }

  ExprType CheckCall(Ast& n) {
    const std::string& f = n.str;
    if (f == "has") {
      if (!Arity(n, 1)) return ExprType::kError;
      const Ast& arg = *n.children[0];
      const eval::VarInfo* var =
          arg.kind == Ast::Kind::kIdent ? eval::FindVariable(arg.str) : nullptr;
      if (var == nullptr || var->type == eval::VarType::kStringList) {
        Error(arg.offset, "has() takes a variable name, e.g. has(confidence)");
        return ExprType::kError;
      }
      return ExprType::kBool;
    }
    if (f == "glob") {
      if (!Arity(n, 2)) return ExprType::kError;
      const ExprType t = Check(*n.children[0]);
      if (t == ExprType::kError) return t;
      if (t != ExprType::kString) {
        Error(n.children[0]->offset, "glob() expects a string first, got " + TypeName(t));
        return ExprType::kError;
      }
      if (n.children[1]->kind != Ast::Kind::kString) {
        Error(n.children[1]->offset, "glob() takes a quoted pattern second, e.g. 'faq_*'");
        return ExprType::kError;
      }
      return ExprType::kBool;
    }
    if (f == "messages_within") {
      if (!Arity(n, 1) || !LiteralArg(n, 1, 86400, "seconds")) return ExprType::kError;
      return ExprType::kNumber;
    }
    if (f == "contacts_within" || f == "contacts_same_intent_within") {
      if (!Arity(n, 1) || !LiteralArg(n, 1, 365, "days")) return ExprType::kError;
      return ExprType::kNumber;
    }
    if (f == "topic") {
      if (!Arity(n, 1)) return ExprType::kError;
      const Ast& arg = *n.children[0];
      if (arg.kind != Ast::Kind::kString) {
        Error(arg.offset, "topic() takes a topic name in quotes, e.g. topic('medical')");
        return ExprType::kError;
      }
      return CheckTopic(arg) ? ExprType::kBool : ExprType::kError;
    }
    Error(n.offset, "unknown function '" + f + "'" + DidYouMean(f, FunctionNames()));
    return ExprType::kError;
  }

  // ---- folding ----

  void Fold(AstPtr& p) {
    if (p->kind == Ast::Kind::kCall && p->str == "has") return;  // its argument is a name
    for (AstPtr& child : p->children) Fold(child);
    Ast& n = *p;
    switch (n.kind) {
      case Ast::Kind::kIdent: {
        const bool one_kind = events_ == kOnCustomerMessage || events_ == kOnProposal;
        if (one_kind && n.str == "is_customer_message") {
          p = MakeBool(events_ == kOnCustomerMessage, n.offset);
        } else if (one_kind && n.str == "is_proposal") {
          p = MakeBool(events_ == kOnProposal, n.offset);
        }
        return;
      }
      case Ast::Kind::kUnary: {
        const Ast& c = *n.children[0];
        if (n.op == "not" && c.kind == Ast::Kind::kBool) p = MakeBool(!c.boolean, n.offset);
        if (n.op == "-" && c.kind == Ast::Kind::kNumber) p = MakeNumber(-c.number, n.offset);
        return;
      }
      case Ast::Kind::kBinary:
        FoldBinary(p);
        return;
      case Ast::Kind::kCall:
        if (n.str == "glob" && n.children[0]->kind == Ast::Kind::kString) {
          p = MakeBool(eval::GlobMatch(n.children[1]->str, n.children[0]->str), n.offset);
        }
        return;
      default:
        return;
    }
  }

  void FoldBinary(AstPtr& p) {
    Ast& n = *p;
    AstPtr& lhs = n.children[0];
    AstPtr& rhs = n.children[1];
    if (n.op == "and" || n.op == "or") {
      // No expression has side effects, so either side may decide alone.
      const bool absorbing = n.op == "or";  // true absorbs `or`, false absorbs `and`
      for (AstPtr* side : {&lhs, &rhs}) {
        if ((*side)->kind == Ast::Kind::kBool && (*side)->boolean == absorbing) {
          p = MakeBool(absorbing, n.offset);
          return;
        }
      }
      if (lhs->kind == Ast::Kind::kBool) {
        AstPtr keep = std::move(rhs);
        p = std::move(keep);
      } else if (rhs->kind == Ast::Kind::kBool) {
        AstPtr keep = std::move(lhs);
        p = std::move(keep);
      }
      return;
    }
    if (n.op == "+" || n.op == "-") {
      if (lhs->kind == Ast::Kind::kNumber && rhs->kind == Ast::Kind::kNumber) {
        p = MakeNumber(n.op == "+" ? lhs->number + rhs->number : lhs->number - rhs->number,
                       n.offset);
      }
      return;
    }
    if (n.op == "in") {
      if (lhs->kind == Ast::Kind::kString && rhs->kind == Ast::Kind::kList) {
        bool found = false;
        for (const AstPtr& item : rhs->children) found = found || item->str == lhs->str;
        p = MakeBool(found, n.offset);
      }
      return;
    }
    const CmpOp op = *CmpOf(n.op);
    if (IsConst(*lhs) && IsConst(*rhs)) {
      bool v = false;
      if (lhs->kind == Ast::Kind::kNumber) v = Compare(op, lhs->number, rhs->number);
      if (lhs->kind == Ast::Kind::kString) v = Compare(op, lhs->str, rhs->str);
      if (lhs->kind == Ast::Kind::kBool) v = Compare(op, lhs->boolean, rhs->boolean);
      p = MakeBool(v, n.offset);
      return;
    }
    // A variable compared with a value outside its range can never be true
    // (missing values compare false too), e.g. `confidence > 1`.
    const Ast* var = lhs->kind == Ast::Kind::kIdent ? lhs.get() : rhs.get();
    const Ast* c = lhs->kind == Ast::Kind::kIdent ? rhs.get() : lhs.get();
    if (var->kind == Ast::Kind::kIdent && c->kind == Ast::Kind::kNumber) {
      const eval::VarInfo* info = eval::FindVariable(var->str);
      const CmpOp oriented = var == lhs.get() ? op : Flip(op);
      if (info != nullptr && NeverTrue(*info, oriented, c->number)) p = MakeBool(false, n.offset);
    }
  }

  // ---- code generation ----

  void Emit(Step step, int stack_delta) {
    code_->steps.push_back(step);
    depth_ += stack_delta;
    max_depth_ = std::max(max_depth_, depth_);
  }

  void Gen(const Ast& n) {
    Step s;
    switch (n.kind) {
      case Ast::Kind::kNumber:
        s.constant = Value::Number(n.number);
        Emit(s, 1);
        return;
      case Ast::Kind::kBool:
        s.constant = Value::Bool(n.boolean);
        Emit(s, 1);
        return;
      case Ast::Kind::kString:
        s.constant = Value::String(code_->Intern(n.str));
        Emit(s, 1);
        return;
      case Ast::Kind::kIdent:
        s.op = Op::kLoadVar;
        s.sub = static_cast<std::uint8_t>(eval::FindVariable(n.str)->var);
        Emit(s, 1);
        return;
      case Ast::Kind::kList:
        return;  // only under `in`, handled there
      case Ast::Kind::kUnary:
        Gen(*n.children[0]);
        if (n.op == "-") {
          s.op = Op::kArith;
          s.sub = static_cast<std::uint8_t>(eval::ArithOp::kNeg);
        } else {
          s.op = Op::kNot;
        }
        Emit(s, 0);
        return;
      case Ast::Kind::kBinary:
        GenBinary(n);
        return;
      case Ast::Kind::kCall:
        GenCall(n);
        return;
    }
  }

  void GenBinary(const Ast& n) {
    const Ast& lhs = *n.children[0];
    const Ast& rhs = *n.children[1];
    Step s;
    if (n.op == "and" || n.op == "or") {
      Gen(lhs);
      s.op = n.op == "and" ? Op::kJumpIfFalseElsePop : Op::kJumpIfTrueElsePop;
      const std::size_t jump = code_->steps.size();
      Emit(s, -1);
      Gen(rhs);
      code_->steps[jump].arg = static_cast<std::int32_t>(code_->steps.size());
      return;
    }
    if (n.op == "in") {
      if (rhs.kind == Ast::Kind::kIdent) {  // 'medical' in topics
        s.op = Op::kCall;
        s.sub = static_cast<std::uint8_t>(Fn::kTopic);
        s.arg = topics_.Find(lhs.str);
        Emit(s, 1);
        return;
      }
      Gen(lhs);
      std::vector<std::string> items;
      for (const AstPtr& item : rhs.children) items.push_back(item->str);
      code_->lists.push_back(std::move(items));
      s.op = Op::kInList;
      s.arg = static_cast<std::int32_t>(code_->lists.size() - 1);
      Emit(s, 0);
      return;
    }
    Gen(lhs);
    Gen(rhs);
    if (n.op == "+" || n.op == "-") {
      s.op = Op::kArith;
      s.sub = static_cast<std::uint8_t>(n.op == "+" ? eval::ArithOp::kAdd : eval::ArithOp::kSub);
    } else {
      s.op = Op::kCompare;
      s.sub = static_cast<std::uint8_t>(*CmpOf(n.op));
    }
    Emit(s, -1);
  }

  void GenCall(const Ast& n) {
    Step s;
    s.op = Op::kCall;
    const std::string& f = n.str;
    if (f == "has") {
      s.sub = static_cast<std::uint8_t>(Fn::kHas);
      s.arg = static_cast<std::int32_t>(eval::FindVariable(n.children[0]->str)->var);
      Emit(s, 1);
    } else if (f == "glob") {
      Gen(*n.children[0]);
      s.sub = static_cast<std::uint8_t>(Fn::kGlob);
      code_->Intern(n.children[1]->str);
      s.arg = static_cast<std::int32_t>(code_->strings.size() - 1);
      Emit(s, 0);
    } else if (f == "topic") {
      s.sub = static_cast<std::uint8_t>(Fn::kTopic);
      s.arg = topics_.Find(n.children[0]->str);
      Emit(s, 1);
    } else {
      s.sub = static_cast<std::uint8_t>(f == "messages_within"   ? Fn::kMessagesWithin
                                        : f == "contacts_within" ? Fn::kContactsWithin
                                                                 : Fn::kContactsSameIntentWithin);
      s.number = n.children[0]->number;
      Emit(s, 1);
    }
  }

  const ExprSource& src_;
  std::uint8_t events_;
  const TopicTable& topics_;
  eval::ExprCode* code_;
  IssueList* issues_;
  int errors_ = 0;
  int depth_ = 0;
  int max_depth_ = 0;
};

}  // namespace

std::optional<CompiledExpr> CompileExpr(const ExprSource& source, std::uint8_t events,
                                        const TopicTable& topics, eval::ExprCode* code,
                                        IssueList* issues) {
  return ExprCompiler(source, events, topics, code, issues).Run();
}

}  // namespace hitlgate::policy::compiler
