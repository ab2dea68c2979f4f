#include "server/store_factory.h"

#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "hitlgate/engine/memory_conversation_store.h"
#include "hitlgate/store/postgres_conversation_store.h"
#include "hitlgate/store/postgres_live_bridge.h"
#include "hitlgate/store/postgres_store.h"
#include "hitlgate/store/sqlite_store.h"

namespace hitlgate::server {
namespace {

// The bridge's topic for TaskChanged (never a published topic's name).
constexpr std::string_view kTaskChangedTopic = "~task_changed";
constexpr std::string_view kKeyRevokedTopic = "~key_revoked";

}  // namespace

bool IsSharedStore(const std::string& store_url) {
  return store::PostgresStore::IsPostgresUrl(store_url);
}

Result<std::unique_ptr<store::Store>> OpenStore(const std::string& store_url,
                                                const std::string& data_dir,
                                                store::IdGenerator* ids, bool must_exist) {
  if (IsSharedStore(store_url)) {
    auto pg = store::PostgresStore::Open(store_url, {.ids = ids});
    HITLGATE_RETURN_IF_ERROR(pg);
    return std::unique_ptr<store::Store>(std::move(*pg));
  }
  if (!store_url.empty() && store_url.find("://") != std::string::npos) {
    return InvalidArgument("--store " + store_url +
                           ": use a postgres:// or postgresql:// URL, or leave it out for SQLite");
  }
  const std::string path = store_url.empty() ? data_dir + "/hitlgate.db" : store_url;
  if (must_exist && !std::filesystem::exists(path)) {
    return NotFound("no gateway database at " + path);
  }
  auto sqlite = store::SqliteStore::Open(path, {.ids = ids});
  HITLGATE_RETURN_IF_ERROR(sqlite);
  return std::unique_ptr<store::Store>(std::move(*sqlite));
}

Result<std::shared_ptr<engine::ConversationStore>> OpenConversationStore(
    const std::string& store_url) {
  // HITLGATE_CONVERSATION_STATE=memory keeps the state per node in a cluster
  // too: for load balancers that route each customer to one node, and for
  // measuring what sharing costs (bench/cluster_http_bench.sh).
  const char* choice = std::getenv("HITLGATE_CONVERSATION_STATE");
  const bool memory = choice != nullptr && std::string_view(choice) == "memory";
  if (!IsSharedStore(store_url) || memory) return std::make_shared<engine::MemoryConversationStore>();
  auto pg = store::PostgresConversationStore::Open(store_url);
  HITLGATE_RETURN_IF_ERROR(pg);
  return std::shared_ptr<engine::ConversationStore>(std::move(*pg));
}

Result<std::unique_ptr<ClusterLiveEvents>> ClusterLiveEvents::Start(const std::string& store_url,
                                                                    gateway::LiveEvents& local) {
  std::unique_ptr<ClusterLiveEvents> live(new ClusterLiveEvents(local));
  ClusterLiveEvents* self = live.get();
  auto bridge = store::PostgresLiveBridge::Start(
      store_url, "", [&local, self](std::string_view topic, std::string_view workflow, std::string_view data) {
        if (topic == kKeyRevokedTopic) {
          self->ForgetRemote(std::string(data));
        } else if (topic == kTaskChangedTopic) {
          local.TaskChanged(std::string(data));
        } else {
          local.Publish(topic, workflow, data);
        }
      });
  HITLGATE_RETURN_IF_ERROR(bridge);
  live->bridge_ = std::move(*bridge);
  return live;
}

ClusterLiveEvents::~ClusterLiveEvents() = default;

void ClusterLiveEvents::Publish(std::string_view topic, std::string_view workflow,
                                std::string_view data) {
  local_.Publish(topic, workflow, data);
  if (topic != "task.hold_notice") bridge_->Send(topic, workflow, data);
}

void ClusterLiveEvents::TaskChanged(const std::string& task_id) {
  local_.TaskChanged(task_id);
  bridge_->Send(kTaskChangedTopic, "", task_id);
}

void ClusterLiveEvents::OnRemoteKeyRevoked(std::function<void(const std::string&)> forget) {
  std::lock_guard lock(forget_mu_);
  forget_key_ = std::move(forget);
}

void ClusterLiveEvents::ForgetRemote(const std::string& key_id) {
  std::lock_guard lock(forget_mu_);
  if (forget_key_) forget_key_(key_id);
}

void ClusterLiveEvents::KeyRevoked(const std::string& key_id) {
  local_.KeyRevoked(key_id);
  bridge_->Send(kKeyRevokedTopic, "", key_id);
}

}  // namespace hitlgate::server
