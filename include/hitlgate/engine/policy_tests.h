// Runs a policy's table-driven test cases (policy/test_cases.h) through the
// real engine: fresh conversation state per case, a fake clock that moves one
// second per step unless the event carries `at`. Thread-compatible.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hitlgate/policy/policy.h"
#include "hitlgate/policy/test_cases.h"
#include "hitlgate/signals/sentiment.h"

namespace hitlgate::engine {

struct PolicyTestReport {
  int cases = 0;
  int passed = 0;
  // "retail.cases.yaml:42: case 'refund over limit', step 2: expected decision hold, got allow
  //  (fired: none)"
  std::vector<std::string> failures;
  bool ok() const { return failures.empty(); }
};

PolicyTestReport RunPolicyTests(std::shared_ptr<const policy::Program> program,
                                const policy::CaseFile& cases, std::string_view cases_path,
                                std::shared_ptr<const signals::SentimentScorer> scorer);

}  // namespace hitlgate::engine
