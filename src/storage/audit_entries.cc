#include "storage/audit_entries.h"

#include "hitlgate/audit/payload.h"
#include "hitlgate/crypto/hash.h"
#include "storage/task_rules.h"

namespace hitlgate::store::internal {

audit::AuditEntry PolicyUploadedAudit(const PolicyVersion& p) {
  return {std::string(audit::kinds::kPolicyUploaded), p.uploaded_by, p.version,
          audit::PayloadBuilder()
              .Str("name", p.name)
              .Str("source_sha256", crypto::Sha256Hex(p.source_yaml))
              .Int("source_bytes", static_cast<std::int64_t>(p.source_yaml.size()))
              .Build()};
}

audit::AuditEntry PolicyActivatedAudit(const std::string& version, const std::string& actor,
                                       const std::string& previous_version) {
  return {std::string(audit::kinds::kPolicyActivated), actor, version,
          audit::PayloadBuilder().Str("previous_version", previous_version).Build()};
}

Result<void> ValidateKey(const ApiKey& k) {
  if (k.key_id.empty()) return InvalidArgument("key: key_id is empty");
  if (k.secret_hash.empty()) return InvalidArgument("key: secret_hash is empty");
  if (auto r = ValidateNames("key skills", k.skills); !r) return r;
  if (auto r = ValidateNames("key languages", k.languages); !r) return r;
  HITLGATE_RETURN_IF_ERROR(ParseApprovalLimits(FormatApprovalLimits(k.approval_limits)));
  return ValidateNames("key workflows", k.workflows);
}

audit::AuditEntry KeyCreatedAudit(const ApiKey& k) {
  return {std::string(audit::kinds::kKeyCreated), k.created_by, k.key_id,
          audit::PayloadBuilder()
              .Str("name", k.name)
              .Str("role", RoleName(k.role))
              .Strs("skills", k.skills)
              .Strs("languages", k.languages)
              .Strs("workflows", k.workflows)
              .Int("max_concurrent", k.max_concurrent)
              .Strs("approval_limits", FormatApprovalLimits(k.approval_limits))
              .Build()};
}

audit::AuditEntry KeyRevokedAudit(const std::string& key_id, const std::string& actor) {
  return {std::string(audit::kinds::kKeyRevoked), actor, key_id, "{}"};
}

Result<void> ValidateWebhook(const Webhook& w) {
  if (w.workflow.empty()) return InvalidArgument("webhook: workflow is empty");
  if (w.url.empty()) return InvalidArgument("webhook: url is empty");
  return {};
}

audit::AuditEntry WebhookUpsertedAudit(const Webhook& w, const std::string& actor) {
  // The secret never enters the log; its digest shows that it changed.
  return {std::string(audit::kinds::kWebhookUpserted), actor, w.workflow,
          audit::PayloadBuilder()
              .Str("url", w.url)
              .Str("secret_sha256", crypto::Sha256Hex(w.secret))
              .Build()};
}

audit::AuditEntry ControlSetAudit(const Control& c) {
  return {"control_set", c.actor, c.target,
          audit::PayloadBuilder()
              .Str("kind", ControlKindName(c.kind))
              .Str("reason", c.reason)
              .Time("at", c.at)
              .Build()};
}

audit::AuditEntry ControlClearedAudit(ControlKind kind, const std::string& target,
                                      const std::string& actor) {
  return {"control_cleared", actor, target,
          audit::PayloadBuilder().Str("kind", ControlKindName(kind)).Build()};
}

Result<void> ValidateControl(const Control& c) {
  if (c.target.empty()) return InvalidArgument("a control needs a target");
  if (c.actor.empty()) return InvalidArgument("a control needs an actor");
  return {};
}

audit::AuditEntry DeliveredAudit(const OutboxMessage& m) {
  return {std::string(audit::kinds::kWebhookDelivered), std::string(kSystemActor), m.workflow,
          audit::PayloadBuilder()
              .Int("outbox_id", m.id)
              .Str("event_type", m.event_type)
              .Str("url", m.url)
              .Int("attempts", m.attempts + 1)
              .Str("payload_sha256", crypto::Sha256Hex(m.payload_json))
              .Build()};
}

audit::AuditEntry DeliveryFailedAudit(const OutboxMessage& m, TimePoint next_attempt_at,
                                      const std::string& error) {
  return {std::string(audit::kinds::kWebhookFailed), std::string(kSystemActor), m.workflow,
          audit::PayloadBuilder()
              .Int("outbox_id", m.id)
              .Str("event_type", m.event_type)
              .Str("url", m.url)
              .Int("attempts", m.attempts + 1)
              .Str("error", error)
              .Time("next_attempt_at", next_attempt_at)
              .Build()};
}

Result<void> ValidateEntries(const std::vector<audit::AuditEntry>& entries) {
  for (const auto& e : entries) {
    if (e.kind.empty()) return InvalidArgument("audit entry without a kind");
    if (e.payload_json.empty()) return InvalidArgument("audit entry " + e.kind + ": empty payload");
  }
  return {};
}

}  // namespace hitlgate::store::internal
