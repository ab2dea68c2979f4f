#include "hitlgate/store/postgres_conversation_store.h"

#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "hitlgate/common/thread_annotations.h"
#include "storage/postgres/connection.h"
#include "storage/postgres/conversation_state.h"
#include "storage/postgres/schema.h"

namespace hitlgate::store {
namespace {

using postgres::Connection;
using postgres::CustomerState;
using postgres::InteractionState;
using postgres::Rows;

// Prepared once per connection (PQprepare), run in pipelines.
struct Statement {
  const char* name;
  const char* sql;
};
// Rows are created on first sight so that FOR UPDATE has something to lock
// even for a new interaction or customer (two nodes creating the same row
// meet on the primary key: the second waits for the first's commit).
constexpr Statement kEnsureInteraction{
    "hc_ensure_i",
    "INSERT INTO conversation_interactions(interaction_id) VALUES($1) ON CONFLICT DO NOTHING"};
constexpr Statement kLockInteraction{
    "hc_lock_i", "SELECT state FROM conversation_interactions WHERE interaction_id = $1 FOR UPDATE"};
constexpr Statement kEnsureCustomer{
    "hc_ensure_c",
    "INSERT INTO conversation_customers(customer_id) VALUES($1) ON CONFLICT DO NOTHING"};
constexpr Statement kLockCustomer{
    "hc_lock_c", "SELECT contacts FROM conversation_customers WHERE customer_id = $1 FOR UPDATE"};
constexpr Statement kReadInteraction{
    "hc_read_i", "SELECT state FROM conversation_interactions WHERE interaction_id = $1"};
constexpr Statement kReadCustomer{
    "hc_read_c", "SELECT contacts FROM conversation_customers WHERE customer_id = $1"};
constexpr Statement kWriteInteraction{
    "hc_write_i",
    "INSERT INTO conversation_interactions(interaction_id, state, last_seen_us) VALUES($1, $2, $3) "
    "ON CONFLICT(interaction_id) DO UPDATE SET state = EXCLUDED.state, "
    "last_seen_us = EXCLUDED.last_seen_us"};
constexpr Statement kDeleteInteraction{
    "hc_delete_i", "DELETE FROM conversation_interactions WHERE interaction_id = $1"};
constexpr Statement kWriteCustomer{
    "hc_write_c",
    "INSERT INTO conversation_customers(customer_id, contacts, last_contact_us) VALUES($1, $2, $3) "
    "ON CONFLICT(customer_id) DO UPDATE SET contacts = EXCLUDED.contacts, "
    "last_contact_us = EXCLUDED.last_contact_us"};
constexpr Statement kAll[] = {kEnsureInteraction, kLockInteraction, kEnsureCustomer, kLockCustomer,
                              kReadInteraction,   kReadCustomer,    kWriteInteraction,
                              kDeleteInteraction, kWriteCustomer};

// One step of a pipeline: a prepared statement with text parameters, or (no
// name) a plain command such as BEGIN.
struct Step {
  const char* name = nullptr;
  const char* command = nullptr;
  std::vector<std::string> params;
};

Step Run(const Statement& s, std::vector<std::string> params) {
  return Step{s.name, nullptr, std::move(params)};
}
Step Command(const char* sql) { return Step{nullptr, sql, {}}; }

// Sends every step, then one Sync, and reads the results back: one round
// trip. The first error wins; the steps after it were skipped by the server.
Result<std::vector<Rows>> Pipeline(Connection& conn, const std::vector<Step>& steps) {
  pg_conn* c = conn.raw();
  if (PQenterPipelineMode(c) != 1) return std::unexpected(postgres::PgError(c, nullptr, "pipeline"));
  std::optional<Error> error;
  size_t sent = 0;
  for (const Step& step : steps) {
    std::vector<const char*> values;
    values.reserve(step.params.size());
    for (const auto& p : step.params) values.push_back(p.c_str());
    const int ok = step.name != nullptr
                       ? PQsendQueryPrepared(c, step.name, static_cast<int>(values.size()),
                                             values.data(), nullptr, nullptr, 0)
                       : PQsendQueryParams(c, step.command, 0, nullptr, nullptr, nullptr, nullptr, 0);
    if (ok != 1) {
      error = postgres::PgError(c, nullptr, "pipeline send");
      break;
    }
    ++sent;
  }
  if (PQpipelineSync(c) != 1 && !error) error = postgres::PgError(c, nullptr, "pipeline sync");
  std::vector<Rows> rows;
  rows.reserve(sent);
  for (size_t i = 0; i < sent; ++i) {
    pg_result* r = PQgetResult(c);
    if (r == nullptr) {
      if (!error) error = postgres::PgError(c, nullptr, "pipeline result");
      break;
    }
    const ExecStatusType status = PQresultStatus(r);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      rows.emplace_back(r);
    } else {
      if (!error && status != PGRES_PIPELINE_ABORTED) error = postgres::PgError(c, r, "postgres");
      if (!error) error = Error(ErrorCode::kInternal, "postgres: pipeline aborted");
      PQclear(r);
    }
    while (pg_result* extra = PQgetResult(c)) PQclear(extra);  // the NULL after each query
  }
  // Up to the Sync's own result; then the connection is back to normal.
  for (int guard = 0; guard < 64; ++guard) {
    pg_result* r = PQgetResult(c);
    if (r == nullptr) {
      if (PQstatus(c) == CONNECTION_BAD) break;
      continue;
    }
    const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
    PQclear(r);
    if (sync) break;
  }
  if (PQexitPipelineMode(c) != 1 && !error) error = postgres::PgError(c, nullptr, "pipeline exit");
  if (error) return std::unexpected(std::move(*error));
  return rows;
}

}  // namespace

class PostgresConversationStore::Impl {
 public:
  Impl(postgres::ConnectOptions connect, const PostgresConversationOptions& options)
      : connect_(std::move(connect)),
        options_(options),
        rules_{options.idle_ttl, options.contact_horizon} {}

  ~Impl() {
    std::lock_guard lock(mu_);
    for (auto& [thread, pending] : pending_) {
      if (pending.conn) (void)pending.conn->Exec("ROLLBACK");
    }
  }

  Result<void> Prepare(Connection& conn) {
    const auto timeout_ms = std::chrono::duration_cast<std::chrono::milliseconds>(options_.lock_timeout);
    // Asynchronous commit: the decision's synchronous commit right after
    // flushes the WAL past this one before the agent is answered. A node
    // that stops between Load and Record frees its rows within seconds.
    if (auto r = conn.Exec("SET synchronous_commit = off; SET lock_timeout = " +
                           std::to_string(timeout_ms.count()) +
                           "; SET idle_in_transaction_session_timeout = " +
                           std::to_string(std::max<std::int64_t>(10'000, 2 * timeout_ms.count())));
        !r) {
      return r;
    }
    for (const Statement& s : kAll) {
      pg_result* r = PQprepare(conn.raw(), s.name, s.sql, 0, nullptr);
      const bool ok = r != nullptr && PQresultStatus(r) == PGRES_COMMAND_OK;
      if (!ok) {
        Error e = postgres::PgError(conn.raw(), r, "postgres prepare");
        if (r != nullptr) PQclear(r);
        return std::unexpected(std::move(e));
      }
      PQclear(r);
    }
    return {};
  }

  Result<std::unique_ptr<Connection>> Acquire() {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return !idle_.empty() || open_ < options_.connections; });
      if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        return conn;
      }
      ++open_;
    }
    auto conn = Connection::Open(connect_);
    if (conn) {
      if (auto ok = Prepare(**conn); !ok) conn = std::unexpected(ok.error());
    }
    if (!conn) {
      std::lock_guard lock(mu_);
      --open_;
      cv_.notify_one();
    }
    return conn;
  }

  void Return(std::unique_ptr<Connection> conn) {
    if (conn && (conn->Broken() || conn->InTransaction())) {
      if (!conn->Broken()) (void)conn->Exec("ROLLBACK");
      if (conn->Broken() || conn->InTransaction()) conn.reset();
    }
    std::lock_guard lock(mu_);
    if (conn) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
    cv_.notify_one();
  }

  // What one thread's Load left for its Record: the open transaction holding
  // the rows' locks, and the states read under them.
  struct Pending {
    std::unique_ptr<Connection> conn;  // null: Load failed, Record starts over
    std::string interaction_id;
    std::string customer_id;
    std::optional<InteractionState> interaction;
    std::optional<CustomerState> customer;
  };

  // Opens a transaction on `conn` and locks and reads both rows.
  Result<void> LockAndRead(Connection& conn, Pending& p) {
    std::vector<Step> steps;
    steps.push_back(Command("BEGIN"));
    steps.push_back(Run(kEnsureInteraction, {p.interaction_id}));
    steps.push_back(Run(kLockInteraction, {p.interaction_id}));
    if (!p.customer_id.empty()) {
      steps.push_back(Run(kEnsureCustomer, {p.customer_id}));
      steps.push_back(Run(kLockCustomer, {p.customer_id}));
    }
    auto rows = Pipeline(conn, steps);
    HITLGATE_RETURN_IF_ERROR(rows);
    p.interaction = (*rows)[2].empty() ? std::nullopt : postgres::DecodeInteraction((*rows)[2].Text(0, 0));
    p.customer = std::nullopt;
    if (!p.customer_id.empty() && !(*rows)[4].empty()) {
      p.customer = postgres::DecodeCustomer((*rows)[4].Text(0, 0));
    }
    return {};
  }

  // Without locks, for a decision when the rows stay locked too long.
  Result<void> PlainRead(Connection& conn, Pending& p) {
    std::vector<Step> steps;
    steps.push_back(Run(kReadInteraction, {p.interaction_id}));
    if (!p.customer_id.empty()) steps.push_back(Run(kReadCustomer, {p.customer_id}));
    auto rows = Pipeline(conn, steps);
    HITLGATE_RETURN_IF_ERROR(rows);
    p.interaction = (*rows)[0].empty() ? std::nullopt : postgres::DecodeInteraction((*rows)[0].Text(0, 0));
    p.customer = std::nullopt;
    if (!p.customer_id.empty() && !(*rows)[1].empty()) {
      p.customer = postgres::DecodeCustomer((*rows)[1].Text(0, 0));
    }
    return {};
  }

  void Abandon(std::unique_ptr<Connection> conn) {
    if (conn && !conn->Broken() && conn->InTransaction()) (void)conn->Exec("ROLLBACK");
    Return(std::move(conn));
  }

  void Fail(std::string_view what, const Error& e) {
    const std::int64_t n = ++failures_;
    // The first few, then one in a thousand: a database outage must not
    // flood the log (the decisions' own writes fail loudly then anyway).
    if (n <= 5 || n % 1000 == 0) {
      std::fprintf(stderr, "hitlgate: conversation state %.*s failed (%lld so far): %s\n",
                   static_cast<int>(what.size()), what.data(), static_cast<long long>(n),
                   e.ToString().c_str());
    }
  }

  engine::ConversationSnapshot Load(const engine::Event& event, TimePoint at) {
    // A Load without its Record (should not happen): give its rows back.
    if (auto stale = TakePending()) Abandon(std::move(stale->conn));
    Pending p;
    p.interaction_id = engine::InteractionKey(event);
    p.customer_id = event.customer_id;
    auto conn = Acquire();
    if (!conn) {
      Fail("load", conn.error());
    } else if (auto locked = LockAndRead(**conn, p); locked) {
      p.conn = std::move(*conn);
    } else {
      Fail("load", locked.error());
      (void)(*conn)->Exec("ROLLBACK");
      if (auto read = PlainRead(**conn, p); !read) {
        p.interaction.reset();
        p.customer.reset();
      }
      Return(std::move(*conn));
    }
    engine::ConversationSnapshot snap = engine::SnapshotBefore(p.interaction ? &*p.interaction : nullptr,
                                                               p.customer ? &*p.customer : nullptr, event, at, rules_);
    std::lock_guard lock(mu_);
    pending_[std::this_thread::get_id()] = std::move(p);
    return snap;
  }

  // The event will not be recorded: its rows go back unchanged.
  void AbandonLoad() {
    if (auto taken = TakePending()) Abandon(std::move(taken->conn));
  }

  void Record(const engine::Event& event, TimePoint at, const engine::ConversationUpdate& update) {
    std::optional<Pending> taken = TakePending();
    Pending p;
    if (taken && taken->interaction_id == engine::InteractionKey(event) &&
        taken->customer_id == event.customer_id) {
      p = std::move(*taken);
    } else {
      if (taken) Abandon(std::move(taken->conn));
      p.interaction_id = engine::InteractionKey(event);
      p.customer_id = event.customer_id;
    }
    if (!p.conn) {
      // Load could not lock: fold onto what is there now, under the locks.
      auto conn = Acquire();
      if (!conn) return Fail("record", conn.error());
      if (auto locked = LockAndRead(**conn, p); !locked) {
        Fail("record", locked.error());
        return Abandon(std::move(*conn));
      }
      p.conn = std::move(*conn);
    }
    if (event.type == engine::EventType::kInteractionClosed) {
      p.interaction.reset();
    } else {
      if (!p.interaction) p.interaction.emplace();
      engine::FoldInteraction(*p.interaction, event, at, update, rules_);
    }
    if (!event.customer_id.empty()) {
      if (!p.customer) p.customer.emplace();
      engine::FoldCustomer(*p.customer, event, at);
    }
    std::vector<Step> steps;
    if (p.interaction) {
      steps.push_back(Run(kWriteInteraction, {p.interaction_id, postgres::EncodeInteraction(*p.interaction),
                                              std::to_string(postgres::Us(p.interaction->last_seen))}));
    } else {
      steps.push_back(Run(kDeleteInteraction, {p.interaction_id}));
    }
    if (!p.customer_id.empty() && p.customer) {
      TimePoint latest{};
      for (int i = 0; i < p.customer->count; ++i) latest = std::max(latest, p.customer->contacts[i].first_at);
      steps.push_back(Run(kWriteCustomer, {p.customer_id, postgres::EncodeCustomer(*p.customer),
                                           std::to_string(postgres::Us(latest))}));
    }
    steps.push_back(Command("COMMIT"));
    if (auto written = Pipeline(*p.conn, steps); !written) Fail("record", written.error());
    if (options_.purge_every > 0 && ++records_ % options_.purge_every == 0) Purge(*p.conn, at);
    Abandon(std::move(p.conn));
  }

  // Idle interactions and customers whose every contact is past the horizon
  // read as nothing anyway; deleting them keeps the tables small. Rows
  // another node holds are skipped (they are in use).
  void Purge(Connection& conn, TimePoint at) {
    for (const auto& [sql, cutoff] :
         {std::pair{"DELETE FROM conversation_interactions WHERE interaction_id IN (SELECT "
                    "interaction_id FROM conversation_interactions WHERE last_seen_us < $1 "
                    "LIMIT 10000 FOR UPDATE SKIP LOCKED)",
                    at - options_.idle_ttl},
          std::pair{"DELETE FROM conversation_customers WHERE customer_id IN (SELECT customer_id "
                    "FROM conversation_customers WHERE last_contact_us < $1 LIMIT 10000 FOR "
                    "UPDATE SKIP LOCKED)",
                    at - options_.contact_horizon}}) {
      if (auto r = conn.Query(sql, postgres::Params::Of(cutoff)); !r) Fail("purge", r.error());
    }
  }

  std::optional<Pending> TakePending() {
    std::lock_guard lock(mu_);
    auto it = pending_.find(std::this_thread::get_id());
    if (it == pending_.end()) return std::nullopt;
    Pending p = std::move(it->second);
    pending_.erase(it);
    return p;
  }

  std::int64_t failures() const { return failures_.load(); }

 private:
  const postgres::ConnectOptions connect_;
  const PostgresConversationOptions options_;
  const engine::ConversationRules rules_;
  std::atomic<std::int64_t> failures_{0};
  std::atomic<std::int64_t> records_{0};

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_ HITLGATE_GUARDED_BY(mu_);
  int open_ HITLGATE_GUARDED_BY(mu_) = 0;
  std::unordered_map<std::thread::id, Pending> pending_ HITLGATE_GUARDED_BY(mu_);
};

Result<std::unique_ptr<PostgresConversationStore>> PostgresConversationStore::Open(
    const std::string& url, const PostgresConversationOptions& options) {
  for (char ch : options.schema) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') {
      return InvalidArgument("postgres schema name: letters, digits and '_' only");
    }
  }
  postgres::ConnectOptions connect{.url = url, .schema = options.schema};
  auto first = Connection::Open(connect);
  HITLGATE_RETURN_IF_ERROR(first);
  HITLGATE_RETURN_IF_ERROR(postgres::Migrate(**first, options.schema));
  auto impl = std::make_unique<Impl>(connect, options);
  // Fail now, not on the first event, when the session settings are refused.
  auto probe = impl->Acquire();
  HITLGATE_RETURN_IF_ERROR(probe);
  impl->Return(std::move(*probe));
  return std::unique_ptr<PostgresConversationStore>(new PostgresConversationStore(std::move(impl)));
}

PostgresConversationStore::PostgresConversationStore(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

PostgresConversationStore::~PostgresConversationStore() = default;

engine::ConversationSnapshot PostgresConversationStore::Load(const engine::Event& event,
                                                             TimePoint at) {
  return impl_->Load(event, at);
}

void PostgresConversationStore::Abandon(const engine::Event& event) {
  (void)event;
  impl_->AbandonLoad();
}

void PostgresConversationStore::Record(const engine::Event& event, TimePoint at,
                                       const engine::ConversationUpdate& update) {
  impl_->Record(event, at, update);
}

std::int64_t PostgresConversationStore::failures() const { return impl_->failures(); }

}  // namespace hitlgate::store
