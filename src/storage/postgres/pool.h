// Pool: reader connections to one database, handed out one per caller and
// returned on release. At most `max_size` are open at once; callers beyond
// that wait for one to come back (PostgreSQL's max_connections is shared by
// every node). A connection that broke is dropped instead of returned, and
// the next Acquire opens a fresh one. Thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "hitlgate/common/error.h"
#include "hitlgate/common/thread_annotations.h"
#include "storage/postgres/connection.h"

namespace hitlgate::store::postgres {

class Pool {
 public:
  // A checked-out connection; returns to the pool when destroyed.
  class Handle {
   public:
    Handle(Pool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Handle(Handle&&) = default;
    Handle& operator=(Handle&&) = delete;
    ~Handle();
    Connection& conn() { return *conn_; }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  Pool(ConnectOptions options, int max_size)
      : options_(std::move(options)), max_size_(max_size < 1 ? 1 : max_size) {}

  // Unavailable when a new connection cannot be opened.
  [[nodiscard]] Result<Handle> Acquire();

 private:
  void Return(std::unique_ptr<Connection> conn);

  const ConnectOptions options_;
  const int max_size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_ HITLGATE_GUARDED_BY(mu_);
  int open_ HITLGATE_GUARDED_BY(mu_) = 0;                                   // idle + checked out
};

}  // namespace hitlgate::store::postgres
