// Role checks shared by the gateway's operations. Internal to src/gateway.
#pragma once

#include <string>
#include <string_view>

#include "hitlgate/common/error.h"
#include "hitlgate/gateway/principal.h"
#include "hitlgate/store/types.h"

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

// For reads that span every workflow (the audit chain holds them all).
inline Result<void> RequireAllWorkflows(const Principal& who, std::string_view what) {
  if (who.CoversAllWorkflows()) return {};
  return MakeError(ErrorCode::kPermissionDenied,
                   std::string(what) + " spans every workflow: it takes a key for all of them "
                   "(\"workflows\": [\"*\"])");
}

// Interaction ids are the agents' own, unique within a workflow only. The
// workflow of `record` a call is about: `named` (which `who` must cover),
// else the only one among the record's events that `who` covers.
// NotFound: no events; PermissionDenied: none `who` covers;
// InvalidArgument: several, and `how_to_name` says how to name one.
Result<std::string> ResolveWorkflow(const store::InteractionRecord& record, const Principal& who,
                                    const std::string& named, std::string_view how_to_name);
// Keeps the record's events and tasks of `workflow` alone.
void KeepWorkflow(store::InteractionRecord* record, const std::string& workflow);
// Keeps the record's events and tasks of the workflows `who` covers.
void KeepCovered(store::InteractionRecord* record, const Principal& who);

}  // namespace hitlgate::gateway
