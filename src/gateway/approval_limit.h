// Approval limits: a reviewer may approve (or edit) an action only up to the
// amount their key allows in its currency; above it the task needs someone
// with a higher limit, usually a supervisor. Internal to src/gateway.
#pragma once

#include "hitlgate/common/error.h"
#include "hitlgate/gateway/principal.h"
#include "hitlgate/store/types.h"

namespace hitlgate::gateway {

// OK for rejections, for keys without limits and for tasks without an
// amount. Otherwise both the action the task holds and, for an edit, the
// edited action must be within `who`'s limit for their currency; else
// PermissionDenied naming the limit.
Result<void> CheckApprovalLimit(const Principal& who, const store::Task& task,
                                const store::Verdict& verdict);

}  // namespace hitlgate::gateway
