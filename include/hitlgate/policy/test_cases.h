// Policy test cases (`hitlgate policy test FILE --cases CASES.yaml`): given
// these events, expect these decisions and reasons. This header is only the
// parsed form; running the cases needs the engine (src/engine/policy_tests).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hitlgate/engine/decision.h"
#include "hitlgate/policy/policy.h"

namespace hitlgate::policy {

struct Expectation {
  std::optional<engine::Outcome> decision;
  std::optional<engine::Oversight> oversight;
  std::vector<std::string> rules;      // each must be among the fired rules
  std::vector<std::string> not_rules;  // none may fire
  std::optional<std::string> queue;
  std::optional<bool> human_request;   // signal checks, where given
  std::optional<bool> legal_threat;
  std::optional<bool> frustration;
  std::vector<std::string> topics;     // each must be reported
};

struct CaseStep {
  std::string event_json;  // one event object, as JSON text (defaults merged in)
  int line = 0;            // where the step starts in the cases file
  std::optional<Expectation> expect;
};

struct TestCase {
  std::string name;
  int line = 0;
  std::vector<CaseStep> steps;
};

struct CaseFile {
  std::vector<TestCase> cases;
  std::vector<Issue> issues;  // parse problems with file:line:column
  bool ok() const;
};

CaseFile ParseCaseFile(const std::string& path);
CaseFile ParseCaseText(std::string_view yaml_text, std::string_view display_name);

}  // namespace hitlgate::policy
