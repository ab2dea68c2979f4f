// Customers' rights (docs/data-protection.md): contesting an automated
// decision (GDPR Art. 22), data-subject export and erasure (Art. 15, 17),
// legal holds. Free functions over the store they read, erase and audit in
// (handed over by whoever composes the server, not taken from the gateway)
// and the gateway, whose clock and options they use and whose SubmitVerdict
// contest verdicts go through, so the agent's long-poll and webhook report
// the outcome as for holds.
//
// Thread-safe like the Gateway.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hitlgate/common/error.h"
#include "hitlgate/gateway/gateway.h"
#include "hitlgate/gateway/principal.h"

namespace hitlgate::privacy {

using gateway::Gateway;
using gateway::Principal;

// What the functions below work through.
struct Services {
  store::Store& store;
  Gateway& gateway;
};

// Contest tasks wait this long before they escalate (priority 2).
inline constexpr Duration kContestDue = std::chrono::hours(72);

struct ContestRequest {
  std::string statement;                   // the customer's point of view (required)
  std::optional<std::int64_t> decision_seq;  // which decision; or
  std::optional<std::int64_t> event_index;   // by its event; neither = the latest
  std::string requested_by = "customer";   // "customer" or "operator"
  // The interaction's workflow (interaction ids are unique within one). May
  // be left out when the interaction has events of one workflow only among
  // those the caller may act for.
  std::string workflow;
};

// Opens a human review (task kind "contest") in the supervisors' queue with
// the interaction's whole decision trail and the statement as context.
// Agents of the interaction's workflow, supervisors and admins.
// InvalidArgument: no statement, a bad requested_by. NotFound: no such
// interaction or decision. AlreadyExists: the decision was contested before.
[[nodiscard]] Result<std::string> OpenContest(const Services& services, const Principal& who,
                                              const std::string& interaction_id,
                                              const ContestRequest& request);

struct ContestVerdict {
  std::string lease_id;
  bool upheld = true;         // false: overturned
  std::string explanation;    // for the customer (required)
  std::string note;           // for colleagues
  bool override = false;      // supervisors: without holding the lease
};

// The reviewer's verdict on a contest: stored as an approved (upheld) or
// rejected (overturned) verdict whose customer_message is the explanation.
// InvalidArgument: no explanation; FailedPrecondition: not a contest task.
[[nodiscard]] Result<std::string> DecideContest(const Services& services, const Principal& who,
                                                const std::string& task_id,
                                                const ContestVerdict& verdict);

// Everything stored about a customer id (admins, auditors). Audited.
[[nodiscard]] Result<std::string> ExportCustomer(const Services& services, const Principal& who,
                                                 const std::string& customer_id);

// Pseudonymizes the customer (admins). Audited. FailedPrecondition (409 at
// the API) under a legal hold; the store's errors otherwise.
[[nodiscard]] Result<std::string> EraseCustomer(const Services& services, const Principal& who,
                                                const std::string& customer_id);

// The stable pseudonym of a customer id: "p-" + 24 hex digits of a keyed
// SHA-256 (the key pepper), so the gateway can find a customer's erasure
// record again while the log never names them.
std::string CustomerPseudonym(const Services& services, const std::string& customer_id);

// Legal holds (admins set and release; admins and auditors read). `scope` is
// "customer" or "interaction". Audited as controls.
[[nodiscard]] Result<std::string> SetLegalHold(const Services& services, const Principal& who,
                                               const std::string& scope, const std::string& id,
                                               const std::string& reason);
[[nodiscard]] Result<std::string> ReleaseLegalHold(const Services& services, const Principal& who,
                                                   const std::string& scope, const std::string& id);
[[nodiscard]] Result<std::string> LegalHoldsJson(const Services& services, const Principal& who);

// True when the customer, or any interaction of theirs, is under a legal hold.
[[nodiscard]] Result<bool> UnderLegalHold(store::Store& store, const std::string& customer_id);

}  // namespace hitlgate::privacy
