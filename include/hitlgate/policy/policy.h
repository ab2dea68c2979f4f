// Policy: a YAML file (docs/policy.md) compiled into an immutable Program.
// Pipeline as in cel-cpp: parse (yaml-cpp stays in src/policy/parser), check
// (every problem becomes an Issue with file:line:column; a bad policy is data,
// not a failure), compile to a Program of flat steps. A Program never runs
// code from the policy: expressions are typed and compiled at load time.
//
// Program is immutable and thread-safe; share it through shared_ptr. Policy
// versions are the SHA-256 of the policy's canonical form, so reformatting or
// re-commenting a file does not change its version.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/engine/conversation.h"
#include "hitlgate/engine/decision.h"
#include "hitlgate/engine/event.h"
#include "hitlgate/engine/signals.h"
#include "hitlgate/signals/phrase_matcher.h"

namespace hitlgate::policy {

struct Issue {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kError;
  std::string file;  // as given to the compiler
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based
  std::string code;  // stable id: "unknown_key", "wrong_type", "out_of_range", ...
  std::string message;
  // "retail.yaml:12:7: error: unknown trigger 'confidence_blow' (did you mean 'confidence_below'?)"
  std::string ToString() const;
};

struct QueueSpec {
  std::string name;
  std::vector<std::string> skills;
  int priority = 3;
  int sla_seconds = 300;
};

// Earned autonomy (learning loop): a per-(workflow, intent-or-action) override
// of the policy's baseline oversight. Floors still apply on top.
class AutonomyLevels {
 public:
  virtual ~AutonomyLevels() = default;
  // nullopt: no override for this event; use the policy's baseline.
  virtual std::optional<engine::Oversight> LevelFor(const engine::Event& event) const = 0;
};

struct EvalInput {
  const engine::Event& event;
  const engine::Signals& signals;
  const engine::ConversationSnapshot& snapshot;
  const AutonomyLevels* autonomy = nullptr;  // may be null
};

class Program {
 public:
  virtual ~Program() = default;

  virtual const std::string& name() const = 0;
  virtual const std::string& version() const = 0;  // "sha256:<64 hex>"
  virtual const std::string& source() const = 0;   // the YAML text compiled

  // The phrase sets of this policy (built-ins extended by the policy),
  // compiled into one matcher. Category names: CategoryName(i).
  virtual const signals::PhraseMatcher& matcher() const = 0;
  // Bits of matcher categories that are sensitive topics (medical, financial,
  // legal, custom topics): these are sticky across an interaction.
  virtual std::uint64_t topic_bits() const = 0;
  // Topic bits raised by an event's intent (a topic's `intents:`, names or
  // globs): how a classifier's intent, or the AI's, becomes a topic.
  virtual std::uint64_t TopicBitsForIntent(std::string_view intent) const = 0;
  virtual int human_request_category() const = 0;
  virtual int legal_threat_category() const = 0;
  virtual int frustration_category() const = 0;
  // Window used for the reported `repeat_contacts` signal.
  virtual Duration repeat_contact_window() const = 0;

  virtual const std::vector<QueueSpec>& queues() const = 0;
  // Whether events of `workflow` are accepted: it is declared under
  // `workflows:`, or the policy declares none (then every name is).
  // Undeclared workflows are refused so that metrics labels and live-board
  // rows stay bounded by the policy, not by what agents send.
  virtual bool AcceptsWorkflow(std::string_view workflow) const = 0;
  virtual int hold_notice_seconds() const = 0;
  virtual double audit_sample_rate() const = 0;
  // What happens when `event`'s deadline_ms passes on a hold (`deadline:`
  // sections, docs/policy.md): the workflow's entry for the event's action,
  // else the workflow's fallback, else the same from defaults, else
  // fail_closed. deadline_ms of the result is left 0 for the caller.
  virtual engine::DeadlinePlan DeadlineFor(const engine::Event& event) const = 0;

  // Fills outcome, oversight, reasons, route and audit_sample of `out`
  // (other fields are the caller's). Thread-safe; does not allocate beyond
  // the reasons and route it writes.
  virtual void Evaluate(const EvalInput& input, engine::Decision* out) const = 0;
};

struct CompileResult {
  std::shared_ptr<const Program> program;  // null when any issue is an error
  std::vector<Issue> issues;               // errors and warnings, in file order
  bool ok() const { return program != nullptr; }
};

// `display_name` is used in issues (usually the path).
CompileResult CompileText(std::string_view yaml_text, std::string_view display_name);
// NotFound/Unavailable surfaces as an issue at line 0 when the file cannot be read.
CompileResult CompileFile(const std::string& path);

}  // namespace hitlgate::policy
