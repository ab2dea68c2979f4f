// BuildProgram: a checked PolicyModel -> CompiledPolicy. Builds the phrase
// matcher (mapping bad patterns back to their YAML nodes), interns names,
// expands @groups, resolves queues, and compiles every `if` to steps. Issues
// found here (bad_pattern, bad_expression, unreachable_rule) join the
// checker's. Not thread-safe per IssueList.
#pragma once

#include <memory>
#include <string>

#include "policy/compiler/issue_list.h"
#include "policy/compiler/policy_model.h"
#include "policy/eval/compiled_policy.h"

namespace hitlgate::policy::compiler {

// Null when any error was reported (by this call or before it).
std::shared_ptr<eval::CompiledPolicy> BuildProgram(const PolicyModel& model, IssueList* issues);

}  // namespace hitlgate::policy::compiler
