// Shadow mode: an admin names a saved policy version; every event decided
// from then on is also decided by it (after the live decision is durable,
// so the agent never waits on it), and GET /v1/shadow shows where the two
// differ, by from -> to outcome, with escalation rates by trigger and, as
// verdicts arrive, nothing else: live verdicts are only known for the active
// policy's holds, so judged errors come from `hitlgate replay --data`.
#include <algorithm>

#include "gateway/access.h"
#include "gateway/shadow_mode.h"
#include "hitlgate/audit/payload.h"
#include "hitlgate/engine/memory_conversation_store.h"
#include "hitlgate/gateway/policy_service.h"

namespace hitlgate::gateway {
namespace {

bool IsControlTrigger(std::string_view trigger) {
  return trigger == "workflow_paused" || trigger == "hold_next" || trigger == "taken_over";
}

PolicyRef RefOf(const policy::Program& p) { return PolicyRef{p.name(), p.version()}; }

}  // namespace

ShadowMode::ShadowMode(std::shared_ptr<const policy::Program> program,
                       std::shared_ptr<const signals::SentimentScorer> scorer, const Clock& clock,
                       TimePoint since, std::shared_ptr<const engine::IntentClassifier> triage)
    : program_(program),
      engine_(std::move(program), std::make_shared<engine::MemoryConversationStore>(),
              std::move(scorer), clock),
      since_(since) {
  // The shadow policy sees the same triaged intents as the active one.
  engine_.SetIntentClassifier(std::move(triage));
}

void ShadowMode::Evaluate(const engine::Event& event, const engine::Decision& active) {
  engine::Decision shadow = engine_.DecideAndRecord(event);
  const bool controlled =
      std::any_of(active.reasons.begin(), active.reasons.end(),
                  [](const engine::Reason& r) { return IsControlTrigger(r.trigger); });
  std::lock_guard lock(mu_);
  if (!controlled) {
    comparison_.Add(event, active, shadow);
    return;
  }
  // What the policy alone decided: the strictest of its own reasons.
  engine::Decision policy_only = active;
  policy_only.reasons.clear();
  policy_only.outcome = engine::Outcome::kAllow;
  for (const engine::Reason& r : active.reasons) {
    if (IsControlTrigger(r.trigger)) continue;
    policy_only.reasons.push_back(r);
    policy_only.outcome = std::max(policy_only.outcome, r.outcome);
  }
  comparison_.Add(event, policy_only, shadow);
}

measure::DecisionComparison ShadowMode::Comparison() const {
  std::lock_guard lock(mu_);
  return comparison_;
}

void PolicyService::EvaluateShadow(const engine::Event& event, const engine::Decision& active) {
  std::shared_ptr<ShadowMode> shadow = shadow_.load();
  if (shadow) shadow->Evaluate(event, active);
}

Result<ShadowReport> PolicyService::SetShadowPolicy(const Principal& who,
                                                    const std::string& version) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kManagePolicies));
  const TimePoint now = clock_.Now();
  std::shared_ptr<ShadowMode> next;
  std::string name;
  if (!version.empty()) {
    auto found = FindVersion(version, /*active_alias=*/false);
    HITLGATE_RETURN_IF_ERROR(found);
    policy::CompileResult compiled =
        policy::CompileText(found->policy.source_yaml, found->policy.name);
    if (!compiled.ok())
      return FailedPrecondition("policy version " + version + " no longer compiles");
    name = found->policy.name;
    next = std::make_shared<ShadowMode>(compiled.program, engine_.scorer(), clock_, now,
                                        engine_.intent_classifier());
  }
  audit::AuditEntry entry;
  entry.kind = version.empty() ? "shadow_policy_cleared" : "shadow_policy_set";
  entry.actor = who.key_id;
  entry.subject = version.empty() ? std::string("shadow") : version;
  entry.payload_json = audit::PayloadBuilder()
                           .Str("active_version", engine_.policy()->version())
                           .Str("name", name)
                           .Build();
  HITLGATE_RETURN_IF_ERROR(store_.AppendAudit({entry}, now));
  shadow_.store(next);
  return Shadow(who);
}

Result<ShadowReport> PolicyService::Shadow(const Principal& who) {
  if (!who.Can(Permission::kReadMetrics) && !who.Can(Permission::kManagePolicies)) {
    return std::unexpected(Require(who, Permission::kReadMetrics).error());
  }
  std::shared_ptr<ShadowMode> shadow = shadow_.load();
  ShadowReport report;
  report.active = RefOf(*engine_.policy());
  if (shadow)
    report.shadow =
        ShadowReport::Running{RefOf(shadow->program()), shadow->since(), shadow->Comparison()};
  return report;
}

}  // namespace hitlgate::gateway
