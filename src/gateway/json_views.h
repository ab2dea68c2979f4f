// JSON views of the store's records as the API shows them (tasks, verdicts,
// keys without their hashes). Internal to src/gateway.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hitlgate/codec/json_writer.h"
#include "hitlgate/engine/event.h"
#include "hitlgate/store/types.h"

namespace hitlgate::gateway {

void WriteVerdict(const store::Verdict& v, codec::JsonWriter& w);
void WriteTask(const store::Task& t, codec::JsonWriter& w, bool with_context = true,
               std::optional<bool> can_claim = std::nullopt);
std::string TaskJson(const store::Task& t, bool with_context = true);
// The task with its context and the customer's other contacts (newest
// first, at most `limit`), so a reviewer sees the history without asking
// the customer again. `history` is ListCustomerInteractions' answer; with
// `limit` 0 no "recent_contacts" is written.
// `transcript`: the task's interaction (its events up to the task's own, of
// the task's workflow, at most `max_transcript` of the newest) written as
// "transcript"; null: none.
std::string TaskWithRecentContactsJson(const store::Task& t,
                                       const std::vector<store::InteractionRecord>& history,
                                       size_t limit, const store::InteractionRecord* transcript,
                                       size_t max_transcript);
// One transcript entry: the event's type, text, time, intent, confidence,
// action, and the decision it got.
void WriteTranscriptEntry(const engine::Event& e, std::string_view decision, codec::JsonWriter& w);
void WriteKey(const store::ApiKey& k, codec::JsonWriter& w);

}  // namespace hitlgate::gateway

namespace hitlgate::gateway {
// The task as a waiting agent sees it: status, verdict, what to deliver now
// ("final"), and a holding message once the hold has outlasted its notice
// time. Also the payload of "task.answered" webhooks.
// `receipt`: the approval receipt's JSON, written as "receipt" when given.
std::string AgentViewJson(const store::Task& task, TimePoint now, std::string_view holding_message,
                          const std::optional<std::string>& receipt = std::nullopt);
}  // namespace hitlgate::gateway
