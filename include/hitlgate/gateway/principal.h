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
  // The workflows this key acts for. "*" = every workflow; an empty list is
  // a key made before keys recorded their workflows, and covers every one.
  std::vector<std::string> workflows;
  int max_concurrent = 0;
  std::vector<store::ApprovalLimit> approval_limits;  // empty = no limit

  bool Can(Permission p) const;
  // Every key is scoped to its workflows, people's as well as agents'
  // (a supervisor of shop-bot may not pause airline-bot). Admin keys cover
  // every workflow.
  bool CoversWorkflow(std::string_view workflow) const;
  // True for admin keys, "*" and the empty list: what reads that span every
  // workflow (the whole audit chain) require.
  bool CoversAllWorkflows() const;
  // "*" in `workflows`: a key for every workflow. Only admins make keys, and
  // an agent key must name its workflows or say this (a people key that
  // names none is given "*", written out, by AccessService::CreateKey).
  static constexpr std::string_view kAllWorkflows = "*";
};

bool RoleAllows(store::Role role, Permission p);

}  // namespace hitlgate::gateway
