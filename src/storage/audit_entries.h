// Audit entries for the Store's non-task changes (policies, keys, webhooks,
// deliveries, purges) and the checks shared by every backend. Pure functions;
// thread-safe.
#pragma once

#include <string>

#include "hitlgate/audit/record.h"
#include "hitlgate/common/error.h"
#include "hitlgate/store/types.h"

namespace hitlgate::store::internal {

audit::AuditEntry PolicyUploadedAudit(const PolicyVersion& p);
audit::AuditEntry PolicyActivatedAudit(const std::string& version, const std::string& actor,
                                       const std::string& previous_version);
[[nodiscard]] Result<void> ValidateKey(const ApiKey& k);
audit::AuditEntry KeyCreatedAudit(const ApiKey& k);
audit::AuditEntry KeyRevokedAudit(const std::string& key_id, const std::string& actor);
[[nodiscard]] Result<void> ValidateWebhook(const Webhook& w);
audit::AuditEntry WebhookUpsertedAudit(const Webhook& w, const std::string& actor);
audit::AuditEntry ControlSetAudit(const Control& c);
audit::AuditEntry ControlClearedAudit(ControlKind kind, const std::string& target,
                                      const std::string& actor);
Result<void> ValidateControl(const Control& c);
audit::AuditEntry DeliveredAudit(const OutboxMessage& m);
audit::AuditEntry DeliveryFailedAudit(const OutboxMessage& m, TimePoint next_attempt_at,
                                      const std::string& error);
// InvalidArgument: an entry without a kind.
[[nodiscard]] Result<void> ValidateEntries(const std::vector<audit::AuditEntry>& entries);

}  // namespace hitlgate::store::internal
