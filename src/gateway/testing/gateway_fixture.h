// GatewayFixture: the gateway below HTTP, for the unit tests of the gateway
// and of the modules built on it (privacy, learning): a real engine and
// policy, the in-memory store (with fault injection), a fake clock,
// sequential ids, seeded randomness, live updates recorded. One fixture for
// all of them, so a change to how a gateway is put together is made once.
// HTTP itself is covered by test/integration's GatewayHarness.
#pragma once

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "hitlgate/codec/review_json.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/crypto/random.h"
#include "hitlgate/engine/engine.h"
#include "hitlgate/engine/memory_conversation_store.h"
#include "hitlgate/gateway/gateway.h"
#include "hitlgate/gateway/metrics.h"
#include "hitlgate/policy/policy.h"
#include "hitlgate/signals/sentiment.h"
#include "hitlgate/store/audit_source.h"
#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/memory_store.h"
#include "testing/result_matchers.h"

namespace hitlgate::gateway::testing {

// Keeps what the gateway publishes, for tests to look at.
class RecordingLive final : public LiveEvents {
 public:
  void Publish(std::string_view topic, std::string_view workflow, std::string_view) override {
    topics.emplace_back(topic);
    workflows.emplace_back(workflow);
  }
  void TaskChanged(const std::string& id) override { changed.push_back(id); }
  void KeyRevoked(const std::string& key_id) override { revoked.push_back(key_id); }
  std::vector<std::string> topics;
  std::vector<std::string> workflows;  // beside topics
  std::vector<std::string> changed;
  std::vector<std::string> revoked;
};

// The JSON a typed answer is sent as over HTTP (the handlers' codec call),
// for tests that look at the API's shape.
inline std::string WireJson(const std::string& json) { return json; }
inline std::string WireJson(const ReviewerTask& t) { return codec::ReviewerTaskJson(t); }
inline std::string WireJson(const store::Task& t) { return codec::TaskJson(t, /*with_context=*/false); }
inline std::string WireJson(const AgentTaskView& v) { return codec::AgentTaskJson(v); }
inline std::string WireJson(const std::vector<QueueSummary>& q) { return codec::QueuesJson(q); }
inline std::string WireJson(const std::vector<TaskListEntry>& t) { return codec::TaskListJson(t); }
inline std::string WireJson(const store::InteractionRecord& r) { return codec::InteractionJson(r); }

class GatewayFixture : public ::testing::Test {
 protected:
  // `policy_yaml` is compiled into the engine and loaded as the active
  // policy; `options` get the test pepper.
  explicit GatewayFixture(std::string policy_yaml, GatewayOptions options = {},
                          std::string policy_name = "test.yaml")
      : policy_yaml_(std::move(policy_yaml)),
        policy_name_(std::move(policy_name)),
        options_(std::move(options)),
        clock_(*ParseRfc3339("2026-11-22T10:00:00Z")),
        random_(crypto::MakeSeededRandomForTest(1)),
        store_(store::NewMemoryStore(&ids_, &faults_)) {
    options_.access.key_pepper = "pepper-for-tests-0123456789abcdef";
    Start();
    auto admin = gateway_->access().Bootstrap("");
    EXPECT_TRUE(admin.has_value() && admin->has_value());
    admin_ = *gateway_->access().Authenticate((**admin).token);
  }

  // A (re)started gateway and engine on the same store, as after a restart.
  void Start() {
    auto compiled = policy::CompileText(policy_yaml_, policy_name_);
    ASSERT_TRUE(compiled.ok()) << (compiled.issues.empty() ? "" : compiled.issues[0].ToString());
    gateway_.reset();
    engine_ = std::make_unique<engine::DecisionEngine>(
        compiled.program, std::make_shared<engine::MemoryConversationStore>(),
        signals::SentimentScorer::Default(), clock_);
    gateway_ = std::make_unique<Gateway>(*store_, *engine_, clock_, ids_, *random_, live_, metrics_, options_);
    ASSERT_THAT(gateway_->policies().LoadActivePolicy(policy_yaml_, policy_name_), hitlgate::testing::IsOk());
  }

  // A key made by the admin, authenticated. Agent keys without workflows
  // act for every one ("*").
  Principal MakeKey(std::string name, store::Role role, std::vector<std::string> skills = {},
                    std::vector<std::string> workflows = {}) {
    if (role == store::Role::kAgent && workflows.empty()) workflows = {"*"};
    KeyRequest r{std::move(name), role, std::move(skills), {}, std::move(workflows), 0};
    auto key = gateway_->access().CreateKey(admin_, r);
    EXPECT_THAT(key, hitlgate::testing::IsOk());
    if (!key) return Principal{};
    tokens_.push_back(key->token);
    return *gateway_->access().Authenticate(key->token);
  }

  // How many records of `kind` the whole audit log holds.
  int AuditCount(std::string_view kind) {
    store::StoreAuditSource source(store_.get());
    int n = 0;
    while (true) {
      auto next = source.Next();
      EXPECT_THAT(next, hitlgate::testing::IsOk());
      if (!next || !*next) return n;
      n += (*next)->kind == kind ? 1 : 0;
    }
  }

  template <class T>
  boost::json::value Parse(const Result<T>& r) {
    EXPECT_THAT(r, hitlgate::testing::IsOk());
    return boost::json::parse(r.has_value() ? WireJson(*r) : std::string("{}"));
  }

  std::string policy_yaml_;
  std::string policy_name_;
  GatewayOptions options_;
  FakeClock clock_;
  store::SequentialIdGenerator ids_{1};
  store::MemoryStoreFaults faults_;
  std::unique_ptr<crypto::RandomSource> random_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<engine::DecisionEngine> engine_;
  RecordingLive live_;
  NoMetrics metrics_;
  std::unique_ptr<Gateway> gateway_;
  Principal admin_;
  std::vector<std::string> tokens_;
};

}  // namespace hitlgate::gateway::testing
