// What a failed statement tells the caller: the error's code and the
// server's primary message, never its DETAIL line, which quotes the row's
// values (a customer's id or text) and would reach API callers in error
// bodies. Needs a server (HITLGATE_TEST_PG_URL, scripts/pg.sh); skips without one.
#include "storage/postgres/connection.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "testing/result_matchers.h"

namespace hitlgate::store::postgres {
namespace {

using ::hitlgate::testing::IsOk;

std::string PgUrl() {
  const char* url = std::getenv("HITLGATE_TEST_PG_URL");
  return url != nullptr ? url : "";
}

class PostgresConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PgUrl().empty()) GTEST_SKIP() << "HITLGATE_TEST_PG_URL is not set: no PostgreSQL to test against";
    static int n = 0;
    schema_ = "hgconn_" + std::to_string(::getpid()) + "_" + std::to_string(n++);
    auto admin = Connection::Open({PgUrl(), ""});
    ASSERT_TRUE(admin) << admin.error().ToString();
    ASSERT_THAT((*admin)->Exec("CREATE SCHEMA " + schema_), IsOk());
    auto conn = Connection::Open({PgUrl(), schema_});
    ASSERT_TRUE(conn) << conn.error().ToString();
    conn_ = std::move(*conn);
    ASSERT_THAT(conn_->Exec("CREATE TABLE people(id TEXT PRIMARY KEY, name TEXT NOT NULL)"), IsOk());
    ASSERT_TRUE(conn_->Query("INSERT INTO people VALUES($1, $2)", Params::Of("cust-4711", "Ada Lovelace")));
  }
  void TearDown() override {
    if (PgUrl().empty()) return;
    conn_.reset();
    if (auto admin = Connection::Open({PgUrl(), ""})) (void)(*admin)->Exec("DROP SCHEMA " + schema_ + " CASCADE");
  }

  std::string schema_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(PostgresConnectionTest, AUniqueViolationNamesTheConstraintButNotTheValue) {
  auto again = conn_->Query("INSERT INTO people VALUES($1, $2)", Params::Of("cust-4711", "Someone Else"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_NE(again.error().message().find("people_pkey"), std::string::npos) << again.error().message();
  EXPECT_EQ(again.error().message().find("cust-4711"), std::string::npos) << again.error().message();
  EXPECT_EQ(again.error().message().find("DETAIL"), std::string::npos) << again.error().message();
}

TEST_F(PostgresConnectionTest, AConstraintViolationDoesNotQuoteTheFailingRow) {
  auto missing = conn_->Query("INSERT INTO people(id, name) VALUES($1, NULL)", Params::Of("cust-secret-99"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(missing.error().message().find("not-null"), std::string::npos) << missing.error().message();
  EXPECT_EQ(missing.error().message().find("cust-secret-99"), std::string::npos) << missing.error().message();
}

}  // namespace
}  // namespace hitlgate::store::postgres
