// PolicyService: the policy versions an admin uploads and activates (also
// how a rollback is done), the checker's and the test cases' verdicts on a
// text, shadow mode (a saved version decided beside the active one on live
// traffic) and replay of recorded history on request. Gateway owns it
// (Gateway::policies()); the event path calls EvaluateShadow.
//
// Thread-safe. Every method that takes a Principal checks its permission.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/engine/engine.h"
#include "hitlgate/engine/policy_tests.h"
#include "hitlgate/gateway/policy_types.h"
#include "hitlgate/gateway/principal.h"
#include "hitlgate/store/store.h"

namespace hitlgate::gateway {

class LiveEvents;
class ShadowMode;

class PolicyService {
 public:
  // `engine` decides live events: activation swaps its policy.
  PolicyService(store::Store& store, engine::DecisionEngine& engine, const Clock& clock,
                LiveEvents& live);
  ~PolicyService();
  PolicyService(const PolicyService&) = delete;
  PolicyService& operator=(const PolicyService&) = delete;

  [[nodiscard]] Result<PolicyCheck> ValidatePolicy(const Principal& who, std::string_view yaml);
  // Saves a version (InvalidArgument with the issues when it does not
  // compile) and, with `activate`, makes it decide new events.
  [[nodiscard]] Result<UploadedPolicy> UploadPolicy(const Principal& who, std::string_view yaml,
                                                    bool activate);
  // NotFound: no such saved version.
  [[nodiscard]] Result<ActivatedPolicy> ActivatePolicy(const Principal& who,
                                                       const std::string& version);
  // Every saved version, without its source.
  [[nodiscard]] Result<std::vector<store::PolicyVersionInfo>> ListPolicies(const Principal& who);
  // One version ("active": the active one), with its source. NotFound.
  [[nodiscard]] Result<store::PolicyVersionInfo> GetPolicy(const Principal& who,
                                                           const std::string& version);
  // Loads the active version from the store into the engine, or saves and
  // activates `fallback_yaml` when the store has none (the first start).
  [[nodiscard]] Result<void> LoadActivePolicy(std::string_view fallback_yaml,
                                              std::string_view fallback_name);
  // Another node of a cluster (or a tool on the same store) may activate a
  // version: called from the tick, this puts the store's active version in
  // the engine when it is not the one this service last loaded or
  // activated. True when it changed the engine's policy. Does nothing before
  // LoadActivePolicy. FailedPrecondition: the active version does not compile
  // (the engine keeps deciding with the one it has).
  [[nodiscard]] Result<bool> FollowActivePolicy();
  // Runs a policy's test cases against a policy text. A text or case file
  // that does not parse is a failed report (its issues as failures), not an
  // error: the console's editor shows it.
  [[nodiscard]] Result<engine::PolicyTestReport> TestPolicy(const Principal& who,
                                                            std::string_view policy_yaml,
                                                            std::string_view cases_yaml);

  // Shadow mode: a saved version decides every event from now on beside the
  // active one, without effect; an empty version stops it. Audited.
  // NotFound: no such version.
  [[nodiscard]] Result<ShadowReport> SetShadowPolicy(const Principal& who,
                                                     const std::string& version);
  [[nodiscard]] Result<ShadowReport> Shadow(const Principal& who);
  // The event path, after the live decision is durable: decides the event
  // with the shadow policy, if one is set, and tallies it against `active`.
  void EvaluateShadow(const engine::Event& event, const engine::Decision& active);

  // NotFound: no such version; InvalidArgument: an empty range or max_events.
  [[nodiscard]] Result<ReplayReport> ReplayPolicy(const Principal& who,
                                                  const ReplayRequest& request);

 private:
  // `active_alias`: "active" names the active version.
  Result<store::PolicyVersionInfo> FindVersion(const std::string& version, bool active_alias);

  store::Store& store_;
  engine::DecisionEngine& engine_;
  const Clock& clock_;
  LiveEvents& live_;
  // Null when none is set. Swapped atomically: the event path reads it
  // without a lock.
  std::atomic<std::shared_ptr<ShadowMode>> shadow_;
  // Held across each activation (the store's write and the engine's swap)
  // and across FollowActivePolicy, so the two never interleave.
  std::mutex activation_mu_;
  // The active version as this service last saw it in the store: what
  // FollowActivePolicy compares with. Empty until LoadActivePolicy.
  std::string followed_version_ HITLGATE_GUARDED_BY(activation_mu_);
};

}  // namespace hitlgate::gateway
