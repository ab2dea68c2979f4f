#include "storage/postgres/pool.h"

namespace hitlgate::store::postgres {

Pool::Handle::~Handle() {
  if (conn_ != nullptr) pool_->Return(std::move(conn_));
}

Result<Pool::Handle> Pool::Acquire() {
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return !idle_.empty() || open_ < max_size_; });
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return Handle(this, std::move(conn));
    }
    ++open_;  // reserve the slot while connecting outside the lock
  }
  auto conn = Connection::Open(options_);
  if (!conn) {
    {
      std::lock_guard lock(mu_);
      --open_;
    }
    cv_.notify_one();
    return std::unexpected(conn.error());
  }
  return Handle(this, std::move(*conn));
}

void Pool::Return(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(mu_);
    if (conn->Broken() || conn->InTransaction()) {
      --open_;  // dropped; a later Acquire reconnects
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  cv_.notify_one();
}

}  // namespace hitlgate::store::postgres
