// LiveEvents: how the gateway's services tell the outside world, after a
// change is durable, what changed (implemented by the HTTP layer's streams
// and long-polls, and by a cluster's notification bridge).
#pragma once

#include <string>
#include <string_view>

namespace hitlgate::gateway {

// Where live updates go (SSE streams, long-polls). Called after the change is
// durable. Implementations must be thread-safe and must not block.
class LiveEvents {
 public:
  virtual ~LiveEvents() = default;
  // topic: "task.created", "task.claimed", "task.answered", "task.escalated",
  // "task.released", "task.hold_notice", "decision" ...; workflow: the
  // workflow it concerns ("" for none: policies, autonomy), by which agents'
  // streams are filtered; data: a JSON object.
  virtual void Publish(std::string_view topic, std::string_view workflow, std::string_view data) = 0;
  // Wakes whoever waits for this task's verdict (long-poll).
  virtual void TaskChanged(const std::string& task_id) = 0;
  // A key was revoked: nodes that cache authenticated keys must forget it
  // (a cluster carries this to every other node).
  virtual void KeyRevoked(const std::string& key_id) { (void)key_id; }
};

}  // namespace hitlgate::gateway
