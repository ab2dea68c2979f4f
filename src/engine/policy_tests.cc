#include "hitlgate/engine/policy_tests.h"

#include <algorithm>

#include "hitlgate/codec/json.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/engine/engine.h"
#include "hitlgate/engine/memory_conversation_store.h"

namespace hitlgate::engine {
namespace {

std::string FiredRules(const Decision& d) {
  std::string out;
  for (const Reason& r : d.reasons) {
    if (!out.empty()) out += ", ";
    out += r.rule;
  }
  return out.empty() ? "none" : out;
}

bool Fired(const Decision& d, std::string_view rule) {
  return std::any_of(d.reasons.begin(), d.reasons.end(),
                     [&](const Reason& r) { return r.rule == rule; });
}

// Every way `d` differs from `want`, as sentences.
std::vector<std::string> Mismatches(const Decision& d, const policy::Expectation& want) {
  std::vector<std::string> out;
  if (want.decision && *want.decision != d.outcome) {
    out.push_back("expected decision " + std::string(OutcomeName(*want.decision)) + ", got " +
                  std::string(OutcomeName(d.outcome)));
  }
  if (want.oversight && *want.oversight != d.oversight) {
    out.push_back("expected oversight " + std::string(OversightName(*want.oversight)) + ", got " +
                  std::string(OversightName(d.oversight)));
  }
  for (const std::string& rule : want.rules) {
    if (!Fired(d, rule)) out.push_back("expected rule '" + rule + "' to fire");
  }
  for (const std::string& rule : want.not_rules) {
    if (Fired(d, rule)) out.push_back("expected rule '" + rule + "' not to fire");
  }
  if (want.queue) {
    std::string got = d.route ? d.route->queue : "(no route)";
    if (got != *want.queue) out.push_back("expected queue " + *want.queue + ", got " + got);
  }
  auto check_flag = [&](const std::optional<bool>& want_flag, bool got, std::string_view name) {
    if (want_flag && *want_flag != got) {
      out.push_back("expected " + std::string(name) + " " + (*want_flag ? "true" : "false"));
    }
  };
  check_flag(want.human_request, d.signals.human_request, "human_request");
  check_flag(want.legal_threat, d.signals.legal_threat, "legal_threat");
  check_flag(want.frustration, d.signals.frustration, "frustration");
  for (const std::string& topic : want.topics) {
    if (std::find(d.signals.topics.begin(), d.signals.topics.end(), topic) == d.signals.topics.end()) {
      out.push_back("expected topic " + topic);
    }
  }
  return out;
}

}  // namespace

PolicyTestReport RunPolicyTests(std::shared_ptr<const policy::Program> program,
                                const policy::CaseFile& cases, std::string_view cases_path,
                                std::shared_ptr<const signals::SentimentScorer> scorer) {
  PolicyTestReport report;
  const TimePoint start = *ParseRfc3339("2026-01-05T09:00:00Z");
  for (const policy::TestCase& tc : cases.cases) {
    ++report.cases;
    FakeClock clock(start);
    DecisionEngine engine(program, std::make_shared<MemoryConversationStore>(), scorer, clock);
    bool passed = true;
    int step_number = 0;
    for (const policy::CaseStep& step : tc.steps) {
      ++step_number;
      clock.Advance(std::chrono::seconds(1));
      const std::string where = std::string(cases_path) + ":" + std::to_string(step.line) +
                                ": case '" + tc.name + "', step " + std::to_string(step_number) +
                                ": ";
      auto event = codec::ParseEvent(step.event_json);
      if (!event) {
        report.failures.push_back(where + "bad event: " + event.error().message());
        passed = false;
        break;
      }
      Decision d = engine.DecideAndRecord(*event);
      if (!step.expect) continue;
      for (const std::string& m : Mismatches(d, *step.expect)) {
        report.failures.push_back(where + m + " (fired: " + FiredRules(d) + ")");
        passed = false;
      }
    }
    if (passed) ++report.passed;
  }
  return report;
}

}  // namespace hitlgate::engine
