// MemoryStore: a Store kept in process memory, for unit tests of the layers
// above storage (like leveldb's memenv). Nothing survives the object; never
// used by the server. Thread-safe: one mutex serializes every call, and each
// call validates before it mutates, so a failed call changes nothing.
#pragma once

#include <memory>

#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/store.h"

namespace hitlgate::store {

// `ids` must outlive the store.
std::unique_ptr<Store> NewMemoryStore(IdGenerator* ids);

}  // namespace hitlgate::store
