// Raw SQL on a SQLite database file behind the store's back, for tests that
// look at or damage what the store wrote.
#pragma once

#include <string>

namespace hitlgate::store::testing {

// Runs `sql` (one or more statements) on the file; a failure fails the test.
void ExecRaw(const std::string& path, const std::string& sql);
// The first column of the first row of `sql`, as text ("" for none).
std::string QueryRaw(const std::string& path, const std::string& sql);

}  // namespace hitlgate::store::testing
