// PostgresLiveBridge over libpq: a listener thread with its own connection
// (LISTEN, then poll the socket) and a sender thread with another (one
// pg_notify statement per batch of queued messages). A node ignores the
// notifications its own sender connection made (by backend pid).
#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/store/postgres_live_bridge.h"

#include <libpq-fe.h>
#include <poll.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/postgres/connection.h"
#include "storage/postgres/writer.h"

namespace hitlgate::store {
namespace {

using postgres::Connection;
using postgres::Params;

// NOTIFY refuses payloads of 8000 bytes or more; leave room for the prefix.
constexpr size_t kMaxInline = 7800;
constexpr char kSeparator = '\x1f';
constexpr auto kRetry = std::chrono::milliseconds(500);

class Bridge final : public PostgresLiveBridge {
 public:
  Bridge(postgres::ConnectOptions options, Handler handler)
      : options_(std::move(options)), handler_(std::move(handler)) {}

  ~Bridge() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (sender_.joinable()) sender_.join();
    if (listener_.joinable()) listener_.join();
  }

  Result<void> StartThreads() {
    auto send = Connection::Open(options_);
    HITLGATE_RETURN_IF_ERROR(send);
    send_conn_ = std::move(*send);
    own_pid_ = PQbackendPID(send_conn_->raw());
    // One channel per schema: clusters sharing a database in different
    // schemas do not hear each other. Channel names are identifiers (63
    // bytes at most).
    auto schema = send_conn_->Query("SELECT COALESCE(current_schema(), '')");
    HITLGATE_RETURN_IF_ERROR(schema);
    channel_ = ("hitlgate_live_" + schema->Text(0, 0)).substr(0, 63);
    auto listen = ConnectListener();
    HITLGATE_RETURN_IF_ERROR(listen);
    listen_conn_ = std::move(*listen);
    listener_ = std::thread([this] { ListenLoop(); });
    sender_ = std::thread([this] { SendLoop(); });
    return {};
  }

  void Send(std::string_view topic, std::string_view workflow, std::string_view data) override {
    std::string payload(topic);
    payload.push_back(kSeparator);
    payload.append(workflow);
    payload.push_back(kSeparator);
    payload.append(data);
    {
      std::lock_guard lock(mu_);
      if (queue_.size() >= 100'000) return;  // a stuck database must not eat memory
      queue_.push_back(std::move(payload));
    }
    cv_.notify_one();
  }

  std::int64_t received() const override { return received_.load(); }

 private:
  Result<std::unique_ptr<Connection>> ConnectListener() {
    auto conn = Connection::Open(options_);
    if (!conn) return conn;
    char* quoted = PQescapeIdentifier((*conn)->raw(), channel_.c_str(), channel_.size());
    if (quoted == nullptr) return Internal("cannot quote the channel name " + channel_);
    const std::string sql = std::string("LISTEN ") + quoted;
    PQfreemem(quoted);
    HITLGATE_RETURN_IF_ERROR((*conn)->Exec(sql));
    return conn;
  }

  bool Stopping() {
    std::lock_guard lock(mu_);
    return stopping_;
  }

  void Deliver(std::string_view payload) {
    // topic, workflow and data, in that order (names carry no separator).
    const size_t sep = payload.find(kSeparator);
    if (sep == std::string_view::npos) return;  // not ours
    const size_t sep2 = payload.find(kSeparator, sep + 1);
    if (sep2 == std::string_view::npos) return;
    ++received_;
    handler_(payload.substr(0, sep), payload.substr(sep + 1, sep2 - sep - 1), payload.substr(sep2 + 1));
  }

  void ListenLoop() {
    while (!Stopping()) {
      if (listen_conn_ == nullptr || listen_conn_->Broken()) {
        listen_conn_.reset();
        auto conn = ConnectListener();
        if (!conn) {
          std::this_thread::sleep_for(kRetry);
          continue;
        }
        listen_conn_ = std::move(*conn);
      }
      PGconn* raw = listen_conn_->raw();
      pollfd fd{PQsocket(raw), POLLIN, 0};
      if (::poll(&fd, 1, 200) < 0) continue;
      if (PQconsumeInput(raw) == 0) continue;  // broken: reconnect above
      std::vector<std::pair<int, std::string>> got;
      while (PGnotify* n = PQnotifies(raw)) {
        got.emplace_back(n->be_pid, n->extra);
        PQfreemem(n);
      }
      for (auto& [pid, payload] : got) {
        if (pid == own_pid_.load()) continue;  // this node's own message
        if (!payload.empty() && payload[0] == '@') {
          auto rows = listen_conn_->Query("SELECT payload FROM live_spill WHERE id = $1",
                                          Params::Of(payload.substr(1)));
          if (rows && !rows->empty()) Deliver(rows->Text(0, 0));
          continue;
        }
        Deliver(payload);
      }
    }
  }

  void SendLoop() {
    std::int64_t spilled = 0;
    while (true) {
      std::vector<std::string> batch;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;  // best effort: unsent messages are dropped
        while (!queue_.empty() && batch.size() < 500) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      if (send_conn_ == nullptr || send_conn_->Broken()) {
        send_conn_.reset();
        auto conn = Connection::Open(options_);
        if (!conn) {
          std::this_thread::sleep_for(kRetry);
          continue;  // this batch is lost; later ones go through
        }
        send_conn_ = std::move(*conn);
        own_pid_ = PQbackendPID(send_conn_->raw());
      }
      for (std::string& p : batch) {
        if (p.size() <= kMaxInline) continue;
        auto rows = send_conn_->Query("INSERT INTO live_spill(payload) VALUES($1) RETURNING id",
                                      Params::Of(p));
        if (!rows) {
          p.clear();
          continue;
        }
        const std::int64_t id = rows->Int(0, 0);
        p = "@" + std::to_string(id);
        if (++spilled % 1000 == 0) {
          // Everyone had minutes to read older spills.
          (void)send_conn_->Query("DELETE FROM live_spill WHERE id < $1", Params::Of(id - 1000));
        }
      }
      std::erase(batch, std::string());
      (void)send_conn_->Query("SELECT pg_notify($1, p) FROM unnest($2::text[]) AS x(p)",
                              Params::Of(channel_, postgres::TextArray(batch)));
    }
  }

  const postgres::ConnectOptions options_;
  std::string channel_;  // set before the threads start
  const Handler handler_;
  std::unique_ptr<Connection> listen_conn_;  // listener thread only (after start)
  std::unique_ptr<Connection> send_conn_;    // sender thread only (after start)
  std::atomic<int> own_pid_{0};
  std::atomic<std::int64_t> received_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_ HITLGATE_GUARDED_BY(mu_);
  bool stopping_ HITLGATE_GUARDED_BY(mu_) = false;
  std::thread listener_;
  std::thread sender_;
};

}  // namespace

Result<std::unique_ptr<PostgresLiveBridge>> PostgresLiveBridge::Start(const std::string& url,
                                                                      const std::string& schema,
                                                                      Handler on_remote) {
  for (char c : schema) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '_')) {
      return InvalidArgument("postgres schema name '" + schema + "': use a-z, 0-9 and '_'");
    }
  }
  auto bridge = std::make_unique<Bridge>(postgres::ConnectOptions{url, schema}, std::move(on_remote));
  HITLGATE_RETURN_IF_ERROR(bridge->StartThreads());
  return std::unique_ptr<PostgresLiveBridge>(std::move(bridge));
}

}  // namespace hitlgate::store
