// WebhookSender: delivers the store's outbox to the workflows' webhooks, at
// least once. Each message is POSTed with
//   X-Hitlgate-Event: task.answered
//   X-Hitlgate-Delivery: <outbox id>          (receivers de-duplicate on it)
//   X-Hitlgate-Timestamp: <unix seconds>
//   X-Hitlgate-Signature: sha256=<hex HMAC-SHA-256(secret, timestamp + "." + body)>
// A 2xx answer marks it delivered; anything else (or no answer within the
// timeout) is retried with exponential backoff: 1 s, 2 s, 4 s ... capped at
// 10 min. Messages survive restarts (they live in the store) and several
// gateway nodes never send one message at the same time (visibility timeout).
//
// Runs on its own thread; Start/Stop are not thread-safe with each other.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/store/store.h"

namespace hitlgate::api {

struct WebhookSenderOptions {
  std::chrono::milliseconds poll_interval{500};
  std::chrono::seconds request_timeout{5};
  Duration max_backoff = std::chrono::minutes(10);
  int batch = 32;
  // The key pepper: webhook secrets are stored sealed under it
  // (crypto/sealed_secret.h).
  std::string secret_key;
};

class WebhookSender {
 public:
  WebhookSender(store::WebhookOutbox& store, const Clock& clock, WebhookSenderOptions options = {});
  ~WebhookSender();

  void Start();
  void Stop();
  // One pass over due messages; returns how many were delivered. For tests.
  int DeliverDueForTest() { return DeliverDue(); }

 private:
  int DeliverDue();
  void Run();

  store::WebhookOutbox& store_;
  const Clock& clock_;
  WebhookSenderOptions options_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ HITLGATE_GUARDED_BY(mu_) = false;
};

// Retry delay after `attempts` failures: 1 s doubling, capped at `max`.
Duration BackoffAfter(int attempts, Duration max);

}  // namespace hitlgate::api
