#include "hitlgate/store/types.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace hitlgate::store {
namespace {

template <typename E, size_t N>
std::optional<E> Parse(std::string_view s, const std::pair<E, std::string_view> (&table)[N]) {
  for (const auto& [e, name] : table) {
    if (name == s) return e;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view Name(E e, const std::pair<E, std::string_view> (&table)[N]) {
  for (const auto& [v, name] : table) {
    if (v == e) return name;
  }
  return "unknown";
}

constexpr std::pair<TaskKind, std::string_view> kTaskKinds[] = {
    {TaskKind::kHold, "hold"},
    {TaskKind::kHandoff, "handoff"},
    {TaskKind::kContest, "contest"},
    {TaskKind::kAutonomyChange, "autonomy_change"},
    {TaskKind::kAuditSample, "audit_sample"},
};
constexpr std::pair<TaskStatus, std::string_view> kTaskStatuses[] = {
    {TaskStatus::kOpen, "open"},
    {TaskStatus::kClaimed, "claimed"},
    {TaskStatus::kAnswered, "answered"},
    {TaskStatus::kCancelled, "cancelled"},
    {TaskStatus::kExpired, "expired"},
};
constexpr std::pair<VerdictKind, std::string_view> kVerdictKinds[] = {
    {VerdictKind::kApproved, "approved"},
    {VerdictKind::kEdited, "edited"},
    {VerdictKind::kRejected, "rejected"},
    {VerdictKind::kTakenOver, "taken_over"},
};
constexpr std::pair<Role, std::string_view> kRoles[] = {
    {Role::kAgent, "agent"},       {Role::kReviewer, "reviewer"}, {Role::kSupervisor, "supervisor"},
    {Role::kAuditor, "auditor"},   {Role::kAdmin, "admin"},
};

constexpr std::pair<ControlKind, std::string_view> kControlKinds[] = {
    {ControlKind::kWorkflowPaused, "workflow_paused"},
    {ControlKind::kHoldNext, "hold_next"},
    {ControlKind::kTakenOver, "taken_over"},
    {ControlKind::kLegalHold, "legal_hold"},
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A reviewer's tag covers the task's when equal, or when it is the task's
// primary subtag ("de" covers "de-AT"), ignoring case as BCP 47 does.
bool LanguageCovers(std::string_view reviewer, std::string_view task) {
  std::string r = Lower(reviewer);
  std::string t = Lower(task);
  if (r == t) return true;
  return t.size() > r.size() && t.compare(0, r.size(), r) == 0 && t[r.size()] == '-';
}

}  // namespace

std::string_view TaskKindName(TaskKind k) { return Name(k, kTaskKinds); }
std::optional<TaskKind> ParseTaskKind(std::string_view s) { return Parse(s, kTaskKinds); }
std::string_view TaskStatusName(TaskStatus s) { return Name(s, kTaskStatuses); }
std::optional<TaskStatus> ParseTaskStatus(std::string_view s) { return Parse(s, kTaskStatuses); }
std::string_view VerdictKindName(VerdictKind k) { return Name(k, kVerdictKinds); }
std::optional<VerdictKind> ParseVerdictKind(std::string_view s) { return Parse(s, kVerdictKinds); }
std::string_view RoleName(Role r) { return Name(r, kRoles); }
std::string_view ControlKindName(ControlKind k) { return Name(k, kControlKinds); }
std::optional<ControlKind> ParseControlKind(std::string_view s) { return Parse(s, kControlKinds); }
std::optional<Role> ParseRole(std::string_view s) { return Parse(s, kRoles); }

bool IsSettled(TaskStatus s) {
  return s == TaskStatus::kAnswered || s == TaskStatus::kCancelled || s == TaskStatus::kExpired;
}

bool DeadlinePassed(const Task& t, TimePoint now) {
  return t.deadline && !t.expired_at &&
         (t.status == TaskStatus::kOpen || t.status == TaskStatus::kClaimed) && now >= t.deadline->at;
}

bool HasLiveLease(const Task& task, TimePoint now) {
  return task.status == TaskStatus::kClaimed && task.lease.has_value() &&
         task.lease->expires_at > now;
}

bool Qualifies(const Task& task, const ClaimRequest& reviewer) {
  if (!reviewer.queues.empty() &&
      std::find(reviewer.queues.begin(), reviewer.queues.end(), task.queue) ==
          reviewer.queues.end()) {
    return false;
  }
  if (!reviewer.workflows.empty() &&
      std::find(reviewer.workflows.begin(), reviewer.workflows.end(), task.workflow) ==
          reviewer.workflows.end()) {
    return false;
  }
  for (const auto& skill : task.skills) {
    if (std::find(reviewer.skills.begin(), reviewer.skills.end(), skill) == reviewer.skills.end()) {
      return false;
    }
  }
  // A reviewer who declares no languages takes any: languages on keys are
  // opt-in routing, and a detected language must not strand tasks with
  // teams that never declared theirs.
  if (task.language.empty() || reviewer.languages.empty()) return true;
  return std::any_of(reviewer.languages.begin(), reviewer.languages.end(),
                     [&](const std::string& l) { return LanguageCovers(l, task.language); });
}

}  // namespace hitlgate::store

namespace hitlgate::store {

std::vector<std::string> FormatApprovalLimits(const std::vector<ApprovalLimit>& limits) {
  std::vector<std::string> out;
  out.reserve(limits.size());
  for (const ApprovalLimit& l : limits) {
    char amount[64];
    std::snprintf(amount, sizeof amount, "%.17g", l.max_amount);  // round-trips exactly
    out.push_back(l.currency + "=" + amount);
  }
  return out;
}

Result<std::vector<ApprovalLimit>> ParseApprovalLimits(const std::vector<std::string>& items) {
  std::vector<ApprovalLimit> out;
  for (const std::string& item : items) {
    const size_t eq = item.find('=');
    const std::string currency = item.substr(0, eq);
    const bool code_ok = currency.size() == 3 && std::all_of(currency.begin(), currency.end(), [](char c) {
                           return c >= 'A' && c <= 'Z';
                         });
    if (eq == std::string::npos || !code_ok) {
      return InvalidArgument("approval limit '" + item + "': expected CURRENCY=AMOUNT, e.g. EUR=200");
    }
    double amount = 0;
    const char* begin = item.data() + eq + 1;
    const char* end = item.data() + item.size();
    auto [stop, ec] = std::from_chars(begin, end, amount);
    if (begin == end || ec != std::errc() || stop != end || !std::isfinite(amount) || amount < 0) {
      return InvalidArgument("approval limit '" + item + "': the amount must be a number >= 0");
    }
    if (std::any_of(out.begin(), out.end(), [&](const ApprovalLimit& l) { return l.currency == currency; })) {
      return InvalidArgument("approval limit: currency " + currency + " given twice");
    }
    out.push_back({currency, amount});
  }
  return out;
}

}  // namespace hitlgate::store
