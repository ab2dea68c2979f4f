// JSON of the review side as the API shows it: tasks, verdicts, queues, a
// reviewer's task view with its transcript and the customer's recent
// contacts, an interaction's record, and a held task as its agent sees it.
// The bytes are the API's contract (docs/openapi.yaml, the console, the
// clients): change them only with the documents.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/codec/json_writer.h"
#include "hitlgate/engine/event.h"
#include "hitlgate/gateway/review_types.h"
#include "hitlgate/store/types.h"

namespace hitlgate::codec {

void WriteVerdict(const store::Verdict& v, JsonWriter& w);
// `with_context`: the task's context object (what the agent sent and the
// decision); `can_claim`: written when given.
void WriteTask(const store::Task& t, JsonWriter& w, bool with_context = true,
               std::optional<bool> can_claim = std::nullopt);
std::string TaskJson(const store::Task& t, bool with_context = true);

// {"queues": [...]}
std::string QueuesJson(const std::vector<gateway::QueueSummary>& queues);
// {"tasks": [...]}, each with can_claim and without its context.
std::string TaskListJson(const std::vector<gateway::TaskListEntry>& tasks);
// The task with its context, "recent_contacts" and "transcript" when present.
std::string ReviewerTaskJson(const gateway::ReviewerTask& view);
// {"interaction_id", "customer_id", "events": [...], "tasks": [...]}
std::string InteractionJson(const store::InteractionRecord& record);
// Status, verdict, what to deliver now ("final"), a holding message once the
// hold has outlasted its notice time, and the receipt when there is one.
std::string AgentTaskJson(const gateway::AgentTaskView& view);

// The AI proposal a task holds (from its context); none for a customer
// message or an erased text.
std::optional<engine::Event> HeldProposal(const store::Task& task);

}  // namespace hitlgate::codec
