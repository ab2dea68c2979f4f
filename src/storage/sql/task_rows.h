// Review tasks as table rows, the same on SQLite and PostgreSQL. Reading a
// row with an unknown enum name is DataLoss: the database holds something
// this binary never writes. Internal to src/storage.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/store/types.h"
#include "storage/sql/session.h"

namespace hitlgate::store::sql {

// JSON kept packed (storage/packed_json.h): in `packed_col` when it is not
// NULL, else in `text_col`, packed (a BLOB/BYTEA) or as text. `primer` is
// the one a primed value was packed with, rebuilt from its row.
[[nodiscard]] Result<std::string> ReadPackedJson(const Rows& rows, int row, int packed_col, int text_col,
                                                 std::string_view primer = {});

// A SELECT's columns in the order ReadTask expects.
//
// The task's context JSON is kept packed (storage/packed_json.h) in
// context_packed, with '' in context_json. Rows from before that column
// (SQLite migration 12, PostgreSQL migration 12) have it NULL and the
// context in context_json: packed bytes (SQLite migration 10) or text. The
// next save of such a row moves its context to context_packed and clears
// context_json, so erasure leaves no copy in either.
extern const char kTaskColumns[];
[[nodiscard]] Result<Task> ReadTask(const Rows& rows, int row);
[[nodiscard]] Result<std::vector<Task>> ReadTasks(const Rows& rows);

// The tasks of `SELECT kTaskColumns FROM tasks t <rest>`.
[[nodiscard]] Result<std::vector<Task>> SelectTasks(Session& s, std::string_view rest,
                                                    const Params& params = {});

// Writes the whole row: INSERT for a new task (an id collision is
// AlreadyExists, never an overwrite), an UPDATE of every column otherwise
// (NotFound when no row has its id). `packed_context`, when given, is
// t.context_json packed by the caller outside the writer thread against
// `context_primer`; it is packed again when that is not the task's own
// (internal::TaskContextPrimer), which the reader rebuilds from the row.
[[nodiscard]] Result<void> SaveTask(Session& s, const Task& t, bool is_new = false,
                                    std::string_view packed_context = {}, std::string_view context_primer = {});

// The task with this id, or NotFound. `lock` takes its row for the rest of
// the transaction where the engine locks rows (Dialect::lock_rows): other
// nodes' writes wait, their claims pass over it.
[[nodiscard]] Result<Task> LoadTask(Session& s, const std::string& id, bool lock = false);

}  // namespace hitlgate::store::sql
