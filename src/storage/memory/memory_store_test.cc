// Runs the Store conformance suite against MemoryStore.
#include "hitlgate/store/memory_store.h"

#include "store/store_conformance.h"

namespace hitlgate::store {
namespace {

INSTANTIATE_TEST_SUITE_P(Memory, StoreConformanceTest,
                         ::testing::Values(StoreFactory{
                             "memory", [](IdGenerator* ids) { return NewMemoryStore(ids); }}),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace hitlgate::store
