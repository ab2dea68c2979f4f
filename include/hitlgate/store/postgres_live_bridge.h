// PostgresLiveBridge: carries live updates (SSE events, long-poll wake-ups)
// between gateway nodes that share one PostgreSQL, with LISTEN/NOTIFY. Each
// node sends what it publishes locally and hands what other nodes sent to its
// own subscribers, so a reviewer's stream on node A sees a task created
// through node B, and an agent long-polling A wakes when B records a verdict.
//
// Delivery is best effort, like the notifications themselves: messages sent
// while a node's listening connection is down are lost to that node (it
// reconnects within a second), and clients re-read state after they wake.
// Payloads over NOTIFY's 8000-byte limit travel through the live_spill table.
//
// Thread-safe. Send never blocks on the network: a sender thread batches
// queued messages into one statement.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "hitlgate/common/error.h"

namespace hitlgate::store {

class PostgresLiveBridge {
 public:
  // Called on the listener thread for every message another node sent.
  using Handler =
      std::function<void(std::string_view topic, std::string_view workflow, std::string_view data)>;

  // Connects twice (listen, send) to `url`, in `schema` (empty = default;
  // nodes in different schemas do not hear each other). Unavailable when
  // the server cannot be reached.
  [[nodiscard]] static Result<std::unique_ptr<PostgresLiveBridge>> Start(const std::string& url,
                                                                         const std::string& schema,
                                                                         Handler on_remote);
  virtual ~PostgresLiveBridge() = default;

  // Queues a message for every other node.
  virtual void Send(std::string_view topic, std::string_view workflow, std::string_view data) = 0;
  // Messages received from other nodes so far.
  virtual std::int64_t received() const = 0;
};

}  // namespace hitlgate::store
