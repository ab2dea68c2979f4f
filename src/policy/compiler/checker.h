// Checker: document tree -> PolicyModel, reporting every problem it finds
// (never stopping at the first) with file:line:column. The builder then turns
// the model into a Program. Pure functions; not thread-safe per IssueList.
#pragma once

#include <optional>
#include <string_view>

#include "policy/compiler/node_reader.h"
#include "policy/compiler/policy_model.h"
#include "policy/parser/yaml_tree.h"

namespace hitlgate::policy::compiler {

// The whole policy. `source` is the YAML text (to map expression columns).
PolicyModel CheckPolicy(const Node& root, std::string_view source, IssueList* issues);

// Pieces, one file each.
void CheckRuleList(const Node& list, bool floors, std::string_view source, NodeReader* reader,
                   PolicyModel* model);  // rule_checker.cc
void CheckTrigger(const parser::MapEntry& trigger, NodeReader* reader,
                  TriggerModel* out);                               // trigger_checker.cc
void CheckReferences(const PolicyModel& model, IssueList* issues);  // reference_checker.cc
// Where each character of an `if` scalar sits in the file.
ExprSource ExprSourceOf(const Node& scalar, std::string_view source);  // expr_source.cc

// Built-in sensitive topics, and every built-in phrase category.
const std::vector<std::string>& BuiltinTopicNames();
const std::vector<std::string>& BuiltinCategoryNames();

}  // namespace hitlgate::policy::compiler
