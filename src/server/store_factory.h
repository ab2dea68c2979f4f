// Which Store a process uses, chosen by configuration: empty or a path-like
// value means the embedded SQLite database in the data folder; a
// postgres:// or postgresql:// URL means PostgreSQL shared by every gateway
// node (docs/cluster.md). With ClusterLiveEvents, the wiring that differs
// between one node and a cluster. Used by `serve` and `audit`.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "hitlgate/common/error.h"
#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/engine/conversation.h"
#include "hitlgate/gateway/gateway.h"
#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/postgres_live_bridge.h"
#include "hitlgate/store/store.h"

namespace hitlgate::server {

// Opens the store `store_url` names, or SQLite at data_dir/hitlgate.db when
// it is empty. `must_exist`: a missing SQLite file is NotFound instead of
// being created (audit commands). `ids` must outlive the store.
[[nodiscard]] Result<std::unique_ptr<store::Store>> OpenStore(const std::string& store_url,
                                                              const std::string& data_dir,
                                                              store::IdGenerator* ids,
                                                              bool must_exist = false);

// True when `store_url` names a database several nodes share.
bool IsSharedStore(const std::string& store_url);

// The engine's conversation state (message rate, sentiment trend, repeat
// contacts): in this process's memory for SQLite; in the database for a
// shared store, so every node sees the state every event left
// (docs/adr/0008-conversation-state-row-locks.md). Unavailable when
// PostgreSQL cannot be reached.
[[nodiscard]] Result<std::shared_ptr<engine::ConversationStore>> OpenConversationStore(
    const std::string& store_url);

// LiveEvents for one node of a cluster: everything goes to this node's own
// subscribers (`local`) and, through PostgreSQL LISTEN/NOTIFY, to every
// other node's; what other nodes send arrives at `local`. Hold notices stay
// local: every node's Tick announces them itself. Thread-safe.
class ClusterLiveEvents final : public gateway::LiveEvents {
 public:
  // `local` must outlive the result. Unavailable when PostgreSQL cannot be
  // reached.
  [[nodiscard]] static Result<std::unique_ptr<ClusterLiveEvents>> Start(
      const std::string& store_url, gateway::LiveEvents& local);
  ~ClusterLiveEvents() override;

  void Publish(std::string_view topic, std::string_view workflow, std::string_view data) override;
  void TaskChanged(const std::string& task_id) override;
  void KeyRevoked(const std::string& key_id) override;
  // Called for every key another node revoked (set before traffic starts).
  void OnRemoteKeyRevoked(std::function<void(const std::string&)> forget);

 private:
  explicit ClusterLiveEvents(gateway::LiveEvents& local) : local_(local) {}

  gateway::LiveEvents& local_;
  std::mutex forget_mu_;  // the listener thread may call while serve sets it
  std::function<void(const std::string&)> forget_key_ HITLGATE_GUARDED_BY(forget_mu_);
  void ForgetRemote(const std::string& key_id);
  std::unique_ptr<store::PostgresLiveBridge> bridge_;
};

}  // namespace hitlgate::server
