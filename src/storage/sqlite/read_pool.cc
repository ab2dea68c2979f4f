#include "storage/sqlite/read_pool.h"

namespace hitlgate::store::sqlite {

ReadPool::Handle::~Handle() {
  if (conn_) pool_->Return(std::move(conn_));
}

Result<ReadPool::Handle> ReadPool::Acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Handle(this, std::move(conn));
    }
  }
  auto conn = Connection::Open(path_);
  HITLGATE_RETURN_IF_ERROR(conn);
  // query_only: a reader can never write, whatever SQL it is handed.
  if (auto r = (*conn)->Exec("PRAGMA busy_timeout = " + std::to_string(busy_timeout_ms_) +
                             "; PRAGMA query_only = 1; PRAGMA mmap_size = 268435456");
      !r) {
    return std::unexpected(r.error());
  }
  return Handle(this, std::move(*conn));
}

void ReadPool::Return(std::unique_ptr<Connection> conn) {
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(conn));
}

}  // namespace hitlgate::store::sqlite
