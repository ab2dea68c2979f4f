// MemoryStore: a Store kept in process memory, for unit tests of the layers
// above storage (like leveldb's memenv). Nothing survives the object; never
// used by the server. Thread-safe: one mutex serializes every call, and each
// call validates before it mutates, so a failed call changes nothing.
#pragma once

#include <atomic>
#include <memory>

#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/store.h"

namespace hitlgate::store {

// Fault injection for tests of the layers above: while `fail_decisions` is
// above zero, RecordDecision writes nothing, returns Unavailable (as a
// database that went away would) and counts it down.
struct MemoryStoreFaults {
  std::atomic<int> fail_decisions{0};
  std::atomic<int> fail_counts{0};  // CountOpenByWorkflow
};

// `ids` (and `faults`, when given) must outlive the store.
std::unique_ptr<Store> NewMemoryStore(IdGenerator* ids, MemoryStoreFaults* faults = nullptr);

}  // namespace hitlgate::store
