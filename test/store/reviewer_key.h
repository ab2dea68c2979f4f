// A reviewer's key for every workflow, as the admin store tests create many.
// Test-only.
#pragma once

#include <string>

#include "hitlgate/store/store.h"

namespace hitlgate::store::testing {

inline ApiKey ReviewerKey(const std::string& key_id, TimePoint created_at) {
  ApiKey k;
  k.key_id = key_id;
  k.secret_hash = "h-" + key_id;
  k.name = "Ana";
  k.role = Role::kReviewer;
  k.workflows = {"*"};
  k.created_at = created_at;
  k.created_by = "k-admin";
  return k;
}

}  // namespace hitlgate::store::testing
