// Fuzz target for the front half of policy compiling at full speed: YAML
// parsing, the checker (keys, types, ranges, references, triggers) and the
// `if` expression compiler (lexing, parsing, type checking, constant
// folding, lowering), plus the canonical form that names a policy's version.
// policy_fuzz runs the whole CompileText, whose every call also rebuilds the
// built-in phrase matcher (tens of milliseconds with the sanitizers): it
// manages a few executions a second, this target thousands, on the same
// seeds (corpus/policy_rules is a link to corpus/policy).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "policy/compiler/checker.h"
#include "policy/compiler/expr_compiler.h"
#include "policy/compiler/issue_list.h"
#include "policy/parser/json_writer.h"
#include "policy/parser/yaml_tree.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hitlgate::policy;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto root = parser::ParseYaml(text);
  if (!root) return 0;
  (void)parser::CanonicalJson(*root);
  compiler::IssueList issues{"fuzz.yaml"};
  const compiler::PolicyModel model = compiler::CheckPolicy(*root, text, &issues);
  // Topic indexes as the program builder numbers them: built-in topics,
  // then the policy's own after the built-in categories.
  compiler::TopicTable topics;
  int index = 0;
  for (const std::string& name : compiler::BuiltinTopicNames()) {
    topics.names.push_back(name);
    topics.categories.push_back(index++);
  }
  index = static_cast<int>(compiler::BuiltinCategoryNames().size());
  for (const compiler::CategoryModel& topic : model.topics) {
    topics.names.push_back(topic.name);
    topics.categories.push_back(index++);
  }
  eval::ExprCode code;
  for (const compiler::RuleModel& rule : model.rules) {
    if (rule.condition) (void)compiler::CompileExpr(*rule.condition, rule.events, topics, &code, &issues);
  }
  for (const Issue& issue : issues.Take()) (void)issue.ToString();
  return 0;
}
