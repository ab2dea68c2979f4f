#include "hitlgate/gateway/principal.h"

#include <algorithm>

namespace hitlgate::gateway {

std::string_view PermissionName(Permission p) {
  switch (p) {
    case Permission::kSubmitEvents: return "submit_events";
    case Permission::kReadQueues: return "read_queues";
    case Permission::kWorkTasks: return "work_tasks";
    case Permission::kSuperviseTasks: return "supervise_tasks";
    case Permission::kReadInteractions: return "read_interactions";
    case Permission::kReadAudit: return "read_audit";
    case Permission::kManagePolicies: return "manage_policies";
    case Permission::kManageKeys: return "manage_keys";
    case Permission::kManageWebhooks: return "manage_webhooks";
    case Permission::kReadMetrics: return "read_metrics";
  }
  return "unknown";
}

bool RoleAllows(store::Role role, Permission p) {
  using P = Permission;
  switch (role) {
    case store::Role::kAgent:
      return p == P::kSubmitEvents;
    case store::Role::kReviewer:
      return p == P::kReadQueues || p == P::kWorkTasks || p == P::kReadInteractions;
    case store::Role::kSupervisor:
      return p == P::kReadQueues || p == P::kWorkTasks || p == P::kSuperviseTasks ||
             p == P::kReadInteractions || p == P::kReadMetrics;
    case store::Role::kAuditor:
      // Auditors read everything and change nothing.
      return p == P::kReadQueues || p == P::kReadInteractions || p == P::kReadAudit ||
             p == P::kReadMetrics;
    case store::Role::kAdmin:
      return true;
  }
  return false;
}

bool Principal::Can(Permission p) const { return RoleAllows(role, p); }

bool Principal::CoversAllWorkflows() const {
  // An empty list is a key made before keys recorded their workflows: it
  // acted for every workflow then and still does.
  if (role == store::Role::kAdmin || workflows.empty()) return true;
  return std::find(workflows.begin(), workflows.end(), kAllWorkflows) != workflows.end();
}

bool Principal::CoversWorkflow(std::string_view workflow) const {
  if (CoversAllWorkflows()) return true;
  return std::find(workflows.begin(), workflows.end(), workflow) != workflows.end();
}

}  // namespace hitlgate::gateway
