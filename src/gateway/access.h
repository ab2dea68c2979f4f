// Role checks shared by the gateway's operations. Internal to src/gateway.
#pragma once

#include <string>

#include "hitlgate/common/error.h"
#include "hitlgate/gateway/principal.h"

namespace hitlgate::gateway {

// PermissionDenied naming the role and what it may not do.
inline Result<void> Require(const Principal& who, Permission p) {
  if (who.Can(p)) return {};
  return MakeError(ErrorCode::kPermissionDenied,
                   "role " + std::string(store::RoleName(who.role)) + " may not " +
                       std::string(PermissionName(p)));
}

inline Result<void> RequireWorkflow(const Principal& who, std::string_view workflow) {
  if (who.CoversWorkflow(workflow)) return {};
  return MakeError(ErrorCode::kPermissionDenied,
                   "this key may not act for workflow '" + std::string(workflow) + "'");
}

}  // namespace hitlgate::gateway
