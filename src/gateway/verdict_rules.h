// Which verdicts each kind of task takes, with which fields, and which of
// them approve an action the agent then runs (and so get an approval
// receipt). One table, so the verdict endpoint, the receipt code, the
// agent's task view and docs/receipts.md agree. Pure functions over values.
#pragma once

#include <optional>
#include <string_view>

#include "hitlgate/codec/review_json.h"
#include "hitlgate/common/error.h"
#include "hitlgate/engine/event.h"
#include "hitlgate/gateway/principal.h"
#include "hitlgate/store/types.h"

namespace hitlgate::gateway {

struct VerdictRule {
  store::TaskKind kind;
  bool approved = false, edited = false, rejected = false, taken_over = false;
  bool edited_text = false;    // an edit may replace the reply
  bool edited_action = false;  // an edit may replace the held proposal's action
  bool needs_customer_message = false;  // approved and rejected alike (a contest's explanation)
  // Approved and edited verdicts approve the held AI proposal's action: the
  // agent is told to run it, with a receipt. False: a judgement only.
  bool approves_action = false;
};

const VerdictRule& VerdictRuleFor(store::TaskKind kind);

// InvalidArgument naming what the task's kind does not take: a verdict
// kind, an edited action or text, a missing explanation. `held` is the AI
// proposal the task holds, if any (an edited action replaces its action).
[[nodiscard]] Result<void> CheckVerdictFitsTask(const store::Task& task, const store::Verdict& verdict,
                                                const engine::Event* held);

// True when the verdict approves an action the agent will run: an approved
// or edited verdict on a task whose kind approves actions, holding an AI
// proposal, given by a role with the right to approve (not an auditor).
bool ApprovesAction(const store::Task& task, const store::Verdict& verdict, const engine::Event* held,
                    const Principal& who);

// The AI proposal a task holds: read from its context by the codec, which
// also writes what the agent is told to deliver from it.
using codec::HeldProposal;

}  // namespace hitlgate::gateway
