#include "hitlgate/store/types.h"

#include <algorithm>
#include <cctype>

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
  for (const auto& skill : task.skills) {
    if (std::find(reviewer.skills.begin(), reviewer.skills.end(), skill) == reviewer.skills.end()) {
      return false;
    }
  }
  if (task.language.empty()) return true;
  return std::any_of(reviewer.languages.begin(), reviewer.languages.end(),
                     [&](const std::string& l) { return LanguageCovers(l, task.language); });
}

}  // namespace hitlgate::store
