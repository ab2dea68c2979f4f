// SqlStore's typed read and write helpers, for the .cc files of the shared
// SQL. Internal to src/storage.
#pragma once

#include <optional>
#include <utility>

#include "hitlgate/store/sql_store.h"
#include "storage/sql/session.h"

namespace hitlgate::store {

template <typename T, typename F>
Result<T> SqlStore::ReadSql(F&& fn, bool snapshot) {
  std::optional<Result<T>> out;
  Result<void> ran = RunRead(
      [&](sql::Session& session) -> Result<void> {
        out.emplace(fn(session));
        if (!out->has_value()) return std::unexpected(out->error());
        return {};
      },
      snapshot);
  if (!ran) return std::unexpected(ran.error());
  return std::move(*out);
}

template <typename T, typename F>
Result<T> SqlStore::WriteSql(F&& fn) {
  std::optional<Result<T>> out;
  Result<void> ran = RunWrite([&](sql::Txn& txn) -> Result<void> {
    out.emplace(fn(txn));  // a retried batch runs fn again: the last run counts
    if (!out->has_value()) return std::unexpected(out->error());
    return {};
  });
  if (!ran) return std::unexpected(ran.error());
  return std::move(*out);
}

}  // namespace hitlgate::store
