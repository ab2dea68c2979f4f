// ReadPool: reader connections to one database, handed out one per caller
// and returned on release. WAL gives each read transaction a consistent
// snapshot without blocking the writer. Grows to the number of concurrent
// readers; connections are kept for reuse. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "hitlgate/common/error.h"
#include "hitlgate/common/thread_annotations.h"
#include "storage/sqlite/connection.h"

namespace hitlgate::store::sqlite {

class ReadPool {
 public:
  // A checked-out connection; returns to the pool when destroyed.
  class Handle {
   public:
    Handle(ReadPool* pool, std::unique_ptr<Connection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    Handle(Handle&&) = default;
    Handle& operator=(Handle&&) = delete;
    ~Handle();
    Connection& conn() { return *conn_; }

   private:
    ReadPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  ReadPool(std::string path, int busy_timeout_ms)
      : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}

  // Unavailable when a new connection cannot be opened.
  [[nodiscard]] Result<Handle> Acquire();

 private:
  void Return(std::unique_ptr<Connection> conn);

  const std::string path_;
  const int busy_timeout_ms_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ HITLGATE_GUARDED_BY(mu_);
};

}  // namespace hitlgate::store::sqlite
