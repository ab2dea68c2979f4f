// Fuzz target for the policy pipeline: YAML parsing, checking, expression
// compiling, and (for inputs that compile) evaluating a few events; also the
// case-file parser. Must never crash, hang or throw, whatever the input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hitlgate/policy/policy.h"
#include "hitlgate/policy/test_cases.h"

namespace {

using namespace hitlgate;

void EvaluateSome(const policy::Program& program) {
  engine::Event event;
  event.interaction_id = "fuzz";
  event.customer_id = "u";
  event.workflow = "retail-bot";
  event.channel = "voice";
  event.type = engine::EventType::kAiProposal;
  event.intent = "refund_request";
  event.confidence = 0.5;
  event.action = engine::Action{"refund", 120.0, "EUR", "{}"};
  engine::Signals signals;
  signals.sentiment = -0.7;
  signals.sentiment_trend = -0.5;
  signals.category_bits = ~std::uint64_t{0};
  signals.human_request = true;
  engine::ConversationSnapshot snapshot;
  engine::Decision decision;
  program.Evaluate(policy::EvalInput{event, signals, snapshot, nullptr}, &decision);
  event.type = engine::EventType::kCustomerMessage;
  event.action.reset();
  event.confidence.reset();
  program.Evaluate(policy::EvalInput{event, signals, snapshot, nullptr}, &decision);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  policy::CompileResult result = policy::CompileText(text, "fuzz.yaml");
  for (const policy::Issue& issue : result.issues) (void)issue.ToString();
  if (result.ok()) EvaluateSome(*result.program);
  policy::CaseFile cases = policy::ParseCaseText(text, "fuzz.cases.yaml");
  (void)cases.ok();
  return 0;
}
