// What ReviewService answers: typed values, written as JSON only at the edge
// (hitlgate/codec/review_json.h). Plain structs over the store's records, so
// the codec can write them without linking the gateway.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/store/types.h"

namespace hitlgate::gateway {

// One review queue as a reviewer sees it (GET /v1/review/queues).
struct QueueSummary {
  std::string name;
  std::vector<std::string> skills;
  int priority = 0;
  int sla_seconds = 0;
  std::int64_t open = 0;
  bool can_work = false;  // this key may take tasks from it
};

// One task of a list, with whether this key could claim it now.
struct TaskListEntry {
  store::Task task;
  bool can_claim = false;
};

// A task as a person working it sees it (GET /v1/review/tasks/{id}, and the
// answer of a claim).
struct ReviewerTask {
  store::Task task;
  // The customer's other interactions, newest first. Absent when they were
  // not read (a claim's answer leaves them to GET /v1/review/tasks/{id}).
  std::optional<std::vector<store::InteractionRecord>> recent_contacts;
  // The task's interaction up to the task's own event, of its workflow, at
  // most the gateway's max_transcript_events of the newest. Absent when the
  // interaction is not found.
  std::optional<std::vector<store::StoredDecision>> transcript;
};

// A held task as its agent sees it (GET /v1/tasks/{id}), and the payload of
// "task.answered" / "task.expired" webhooks.
struct AgentTaskView {
  store::Task task;
  TimePoint now{};               // when it was read: the holding message's wait counts from it
  std::string holding_message;   // what to tell the customer once the hold outlasts its notice time
  std::optional<std::string> receipt_json;  // the signed approval receipt, already JSON (receipts::)
  bool settled = false;          // answered, cancelled or expired: nothing more will change
  bool holding_notice = false;   // pending past its hold-notice time
  // Pending with an agent's deadline: how long until it passes (a long-poll
  // ends then, to answer with the fallback at once).
  std::optional<Duration> deadline_in;
};

// A reviewer's verdict as sent to the API.
struct VerdictRequest {
  std::string lease_id;
  store::VerdictKind kind = store::VerdictKind::kApproved;
  std::string edited_text;
  std::string edited_action_json;  // replacement action params (object)
  std::string reason;
  std::string customer_message;
  std::string note;
  bool override = false;  // supervisors: answer without holding the lease
};

}  // namespace hitlgate::gateway
