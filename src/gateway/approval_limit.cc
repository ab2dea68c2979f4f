#include "gateway/approval_limit.h"

#include <algorithm>
#include <cstdio>

#include "gateway/verdict_rules.h"
#include "hitlgate/codec/json.h"

namespace hitlgate::gateway {
namespace {

std::string Amount(double v) {
  char text[64];
  std::snprintf(text, sizeof text, "%.2f", v);
  std::string s = text;
  if (s.ends_with(".00")) s.resize(s.size() - 3);
  return s;
}

// The action the task was opened for (the AI proposal in its context).
std::optional<engine::Action> HeldAction(const store::Task& task) {
  std::optional<engine::Event> held = HeldProposal(task);
  if (!held || !held->action) return std::nullopt;
  return std::move(held->action);
}

Result<void> Within(const Principal& who, const engine::Action& action, std::string_view what) {
  if (!action.amount) return {};
  auto it = std::find_if(who.approval_limits.begin(), who.approval_limits.end(),
                         [&](const store::ApprovalLimit& l) { return l.currency == action.currency; });
  const std::string amount = Amount(*action.amount) + " " + action.currency;
  if (it == who.approval_limits.end()) {
    return MakeError(ErrorCode::kPermissionDenied,
                     std::string(what) + " of " + amount + " needs a supervisor: this key has no approval limit for " +
                         (action.currency.empty() ? std::string("amounts without a currency") : action.currency));
  }
  if (*action.amount > it->max_amount) {
    return MakeError(ErrorCode::kPermissionDenied,
                     std::string(what) + " of " + amount + " is over this key's approval limit of " +
                         Amount(it->max_amount) + " " + it->currency + "; it needs a supervisor");
  }
  return {};
}

}  // namespace

Result<void> CheckApprovalLimit(const Principal& who, const store::Task& task,
                                const store::Verdict& verdict) {
  const bool approves =
      verdict.kind == store::VerdictKind::kApproved || verdict.kind == store::VerdictKind::kEdited;
  if (!approves || who.approval_limits.empty()) return {};
  if (auto held = HeldAction(task)) {
    if (auto ok = Within(who, *held, "an action"); !ok) return ok;
  }
  if (!verdict.edited_action_json.empty()) {
    auto edited = codec::ParseAction(verdict.edited_action_json);
    HITLGATE_RETURN_IF_ERROR(edited);
    if (auto ok = Within(who, *edited, "the edited action"); !ok) return ok;
  }
  return {};
}

}  // namespace hitlgate::gateway
