// CompileText / CompileFile: parse -> check -> build, plus the version (the
// SHA-256 of the canonical JSON form). Never throws.
#include <fstream>
#include <sstream>

#include "hitlgate/crypto/hash.h"
#include "hitlgate/policy/policy.h"
#include "policy/compiler/checker.h"
#include "policy/compiler/program_builder.h"
#include "policy/parser/json_writer.h"
#include "policy/parser/yaml_tree.h"

namespace hitlgate::policy {

CompileResult CompileText(std::string_view yaml_text, std::string_view display_name) {
  CompileResult result;
  compiler::IssueList issues{std::string(display_name)};
  try {
    auto root = parser::ParseYaml(yaml_text);
    if (!root) {
      issues.Error(compiler::Pos{root.error().line, root.error().column}, "yaml_syntax",
                   "YAML syntax error: " + root.error().message);
      result.issues = issues.Take();
      return result;
    }
    compiler::PolicyModel model = compiler::CheckPolicy(*root, yaml_text, &issues);
    std::shared_ptr<eval::CompiledPolicy> program;
    // Built even after checker errors, so expression and pattern problems are
    // reported in the same run; BuildProgram returns null on any error.
    program = compiler::BuildProgram(model, &issues);
    if (program != nullptr) {
      program->version_ = "sha256:" + crypto::Sha256Hex(parser::CanonicalJson(*root));
      program->source_ = std::string(yaml_text);
      result.program = std::move(program);
    }
  } catch (const std::exception& e) {
    // Nothing below should throw but allocation; a bad policy must not take
    // the process down.
    issues.Error(compiler::Pos{}, "internal", std::string("cannot compile policy: ") + e.what());
    result.program = nullptr;
  }
  result.issues = issues.Take();
  return result;
}

CompileResult CompileFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    CompileResult result;
    compiler::IssueList issues(path);
    issues.Error(compiler::Pos{}, "not_found", "cannot read policy file");
    result.issues = issues.Take();
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return CompileText(text.str(), path);
}

}  // namespace hitlgate::policy
