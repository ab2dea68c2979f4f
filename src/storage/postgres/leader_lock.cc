#include "storage/postgres/leader_lock.h"

namespace hitlgate::store::postgres {
namespace {

// Two int4 keys: the purpose and the schema (current_schema() is the
// search_path the connection was opened with).
constexpr const char* kTryLock =
    "SELECT pg_try_advisory_lock(hashtext('hitlgate.periodic_work'), hashtext(current_schema()))";

}  // namespace

Result<bool> LeaderLock::Hold() {
  std::lock_guard lock(mu_);
  if (conn_ != nullptr && conn_->Broken()) {
    conn_.reset();  // the session, and with it the lock, is gone
    held_ = false;
  }
  if (conn_ == nullptr) {
    auto opened = Connection::Open(options_);
    HITLGATE_RETURN_IF_ERROR(opened);
    conn_ = std::move(*opened);
  }
  if (held_) {
    // Still our session? A lock taken again would stack, so only look.
    auto alive = conn_->Query("SELECT 1");
    if (alive) return true;
    conn_.reset();
    held_ = false;
    return std::unexpected(alive.error());
  }
  auto rows = conn_->Query(kTryLock);
  if (!rows) {
    if (conn_->Broken()) conn_.reset();
    return std::unexpected(rows.error());
  }
  held_ = rows->Text(0, 0) == "t";
  return held_;
}

}  // namespace hitlgate::store::postgres
