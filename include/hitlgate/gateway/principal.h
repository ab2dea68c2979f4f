// Principal: who is calling (an authenticated API key) and what their role
// lets them do. The permission table lives in one place (principal.cc) so
// the authorization tests can walk every role x permission pair.
// Value types and pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/store/types.h"

namespace hitlgate::gateway {

enum class Permission {
  kSubmitEvents,        // agents: report events, read their own tasks' verdicts
  kReadQueues,          // list queues and tasks
  kWorkTasks,           // claim, renew, release, give verdicts
  kSuperviseTasks,      // escalated queue, overrides, pause workflows, take over
  kReadInteractions,    // the whole record of a conversation
  kReadAudit,           // audit export and verification
  kManagePolicies,      // upload, activate, roll back
  kManageKeys,          // create and revoke keys
  kManageWebhooks,      // register workflow webhooks
  kReadMetrics,         // statistics for dashboards
};
std::string_view PermissionName(Permission p);

struct Principal {
  std::string key_id;
  std::string name;
  store::Role role = store::Role::kAgent;
  std::vector<std::string> skills;
  std::vector<std::string> languages;
  std::vector<std::string> workflows;  // agents: empty = every workflow
  int max_concurrent = 0;
  std::vector<store::ApprovalLimit> approval_limits;  // empty = no limit

  bool Can(Permission p) const;
  // Agents are scoped to their workflows; people see every workflow.
  bool CoversWorkflow(std::string_view workflow) const;
  // "*" in `workflows`: an agent key for every workflow (admins make them
  // deliberately; an agent key must name its workflows or say this).
  static constexpr std::string_view kAllWorkflows = "*";
};

bool RoleAllows(store::Role role, Permission p);

}  // namespace hitlgate::gateway
