// `hitlgate policy check` and `hitlgate policy test`.
#include <cstdio>

#include "cli/commands.h"
#include "cli/scorer_loader.h"
#include "hitlgate/engine/policy_tests.h"
#include "hitlgate/policy/policy.h"
#include "hitlgate/policy/test_cases.h"

namespace hitlgate::cli {

int RunPolicyCheck(const std::vector<std::string>& paths) {
  int status = 0;
  for (const std::string& path : paths) {
    policy::CompileResult compiled = policy::CompileFile(path);
    for (const policy::Issue& issue : compiled.issues) {
      std::printf("%s\n", issue.ToString().c_str());
    }
    if (compiled.ok()) {
      std::printf("%s: ok: policy '%s', version %s\n", path.c_str(),
                  compiled.program->name().c_str(), compiled.program->version().c_str());
    } else {
      status = 1;
    }
  }
  return status;
}

int RunPolicyTest(const PolicyTestOptions& options) {
  policy::CompileResult compiled = policy::CompileFile(options.policy_path);
  for (const policy::Issue& issue : compiled.issues) {
    std::printf("%s\n", issue.ToString().c_str());
  }
  if (!compiled.ok()) return 1;
  policy::CaseFile cases = policy::ParseCaseFile(options.cases_path);
  for (const policy::Issue& issue : cases.issues) std::printf("%s\n", issue.ToString().c_str());
  if (!cases.ok()) return 1;
  auto scorer = LoadScorer(options.lexicon_path);
  if (!scorer) return 1;
  engine::PolicyTestReport report =
      engine::RunPolicyTests(compiled.program, cases, options.cases_path, scorer);
  for (const std::string& failure : report.failures) std::printf("FAIL %s\n", failure.c_str());
  std::printf("%d of %d cases passed (%s against %s)\n", report.passed, report.cases,
              options.cases_path.c_str(), options.policy_path.c_str());
  return report.ok() ? 0 : 1;
}

}  // namespace hitlgate::cli
