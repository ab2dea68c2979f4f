#include "gateway/verdict_rules.h"

#include <array>
#include <string>

#include "hitlgate/codec/json.h"
#include "hitlgate/codec/json_reader.h"

namespace hitlgate::gateway {
namespace {

using store::TaskKind;

// The table docs/receipts.md shows. Auditors never approve an action: their
// edits on audit samples are corrections for the learning loop.
constexpr std::array<VerdictRule, 5> kRules = {{
    // kind               appr   edit   rej    taken  text   action cust_msg approves
    {TaskKind::kHold, true, true, true, true, true, true, false, true},
    {TaskKind::kHandoff, true, true, true, true, true, true, false, true},
    {TaskKind::kContest, true, false, true, false, false, false, true, false},
    {TaskKind::kAutonomyChange, true, false, true, false, false, false, false, false},
    {TaskKind::kAuditSample, true, true, true, false, true, true, false, false},
}};

bool Allows(const VerdictRule& rule, store::VerdictKind kind) {
  switch (kind) {
    case store::VerdictKind::kApproved: return rule.approved;
    case store::VerdictKind::kEdited: return rule.edited;
    case store::VerdictKind::kRejected: return rule.rejected;
    case store::VerdictKind::kTakenOver: return rule.taken_over;
  }
  return false;
}

std::string KindOf(const store::Task& task) { return std::string(store::TaskKindName(task.kind)); }

}  // namespace

const VerdictRule& VerdictRuleFor(store::TaskKind kind) {
  for (const VerdictRule& r : kRules) {
    if (r.kind == kind) return r;
  }
  return kRules[0];  // unreachable: every kind has a row
}

Result<void> CheckVerdictFitsTask(const store::Task& task, const store::Verdict& v,
                                  const engine::Event* held) {
  const VerdictRule& rule = VerdictRuleFor(task.kind);
  if (!Allows(rule, v.kind)) {
    return InvalidArgument("field 'verdict': a " + KindOf(task) + " task takes no '" +
                           std::string(store::VerdictKindName(v.kind)) + "' verdict");
  }
  if (!v.edited_text.empty() && !rule.edited_text) {
    return InvalidArgument("field 'edited_text': a " + KindOf(task) + " task takes no edited text");
  }
  if (!v.edited_action_json.empty()) {
    if (!rule.edited_action) {
      return InvalidArgument("field 'edited_action': a " + KindOf(task) + " task takes no edited action");
    }
    // An edit replaces what the AI proposed; it cannot invent an action for
    // a task that holds none (a handed-off customer message).
    if (held == nullptr || !held->action) {
      return InvalidArgument("field 'edited_action': task " + task.id +
                             " holds no proposed action to edit");
    }
  }
  if (rule.needs_customer_message && v.customer_message.empty()) {
    return InvalidArgument("field 'customer_message': a " + KindOf(task) +
                           " verdict needs the explanation owed to the customer");
  }
  return {};
}

bool ApprovesAction(const store::Task& task, const store::Verdict& v, const engine::Event* held,
                    const Principal& who) {
  if (v.kind != store::VerdictKind::kApproved && v.kind != store::VerdictKind::kEdited) return false;
  if (!VerdictRuleFor(task.kind).approves_action) return false;
  if (held == nullptr || held->type != engine::EventType::kAiProposal || !held->action) return false;
  return who.Can(Permission::kWorkTasks) && who.role != store::Role::kAuditor;
}

}  // namespace hitlgate::gateway
