// KeyConnections: what each API key holds open (server-sent-event streams and
// long-polls), capped per key, and ended at once when the key is revoked, so
// one key cannot pin thousands of connections and a revoked key keeps none.
//
// Thread-safety: every method from any thread. The close callbacks run on the
// revoking thread, outside the lock; they must only signal (SseWriter::Close,
// Notifier::Notify), never block.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "hitlgate/common/error.h"
#include "hitlgate/common/thread_annotations.h"

namespace hitlgate::api {

class KeyConnections {
 public:
  struct Limits {
    int streams_per_key = 16;
    int waits_per_key = 256;
  };
  enum class Kind { kStream, kWait };

  KeyConnections() : KeyConnections(Limits()) {}
  explicit KeyConnections(Limits limits) : limits_(limits) {}
  KeyConnections(const KeyConnections&) = delete;
  KeyConnections& operator=(const KeyConnections&) = delete;

  // Held while the connection is open; releases its place when destroyed.
  class Hold {
   public:
    Hold(Hold&& other) noexcept : owner_(other.owner_), id_(other.id_) { other.owner_ = nullptr; }
    Hold& operator=(Hold&&) = delete;
    Hold(const Hold&) = delete;
    ~Hold();
    // True once the key was revoked (its connections were told to end).
    bool closed() const;

   private:
    friend class KeyConnections;
    Hold(KeyConnections* owner, std::uint64_t id) : owner_(owner), id_(id) {}
    KeyConnections* owner_;
    std::uint64_t id_;
  };

  // ResourceExhausted (HTTP 429) when the key already holds its cap of this
  // kind. `close` ends the connection; called at most once, on revocation.
  [[nodiscard]] Result<Hold> Open(const std::string& key_id, Kind kind, std::function<void()> close);
  // Ends every connection the key holds.
  void CloseAll(const std::string& key_id);
  int open_count(const std::string& key_id) const;

 private:
  struct Entry {
    std::string key_id;
    Kind kind;
    std::function<void()> close;
    bool closed = false;
  };
  void Release(std::uint64_t id);

  const Limits limits_;
  mutable std::mutex mu_;
  std::map<std::uint64_t, Entry> open_ HITLGATE_GUARDED_BY(mu_);
  std::uint64_t next_id_ HITLGATE_GUARDED_BY(mu_) = 1;
};

}  // namespace hitlgate::api
