// CompileExpr: an `if` expression -> steps appended to a program's ExprCode.
// Parses, type-checks (bool, number, string, list<string>), folds constants
// (including comparisons a variable's range can never satisfy and event
// kinds fixed by the rule's scope), and lowers to flat steps with jumps for
// short-circuit and/or. Every problem becomes an issue pointing into the
// YAML file. Not thread-safe (appends to `code`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "policy/compiler/issue_list.h"
#include "policy/compiler/policy_model.h"
#include "policy/eval/step.h"

namespace hitlgate::policy::compiler {

// Topic names usable in topic('x') and 'x' in topics, with matcher indexes.
struct TopicTable {
  std::vector<std::string> names;
  std::vector<int> categories;
  int Find(std::string_view name) const {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return categories[i];
    }
    return -1;
  }
};

struct CompiledExpr {
  enum class Constant { kNo, kAlwaysTrue, kAlwaysFalse };
  Constant constant = Constant::kNo;
  int begin = 0;  // steps [begin, end) in ExprCode
  int end = 0;
};

// nullopt when the expression has errors (all reported).
std::optional<CompiledExpr> CompileExpr(const ExprSource& source, std::uint8_t events,
                                        const TopicTable& topics, eval::ExprCode* code,
                                        IssueList* issues);

}  // namespace hitlgate::policy::compiler
