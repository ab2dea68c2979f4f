// The Store conformance suite: one parameterized GoogleTest suite that every
// backend must pass. A backend's test instantiates it with a factory:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
//       ::testing::Values(StoreFactory{"sqlite", [](IdGenerator* ids) { ... }}));
//
// and lists test/store/store_conformance.cc among its sources (compiled into
// the test binary, not a static library, so the linker cannot drop the
// TEST_Ps). PostgreSQL instantiates it the same way when configured.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/store.h"

namespace hitlgate::store {

struct StoreFactory {
  std::string name;  // the instantiation's name: letters and digits only
  // A fresh, empty store that takes its ids from `ids` (which outlives it).
  std::function<std::unique_ptr<Store>(IdGenerator* ids)> create;
};

class StoreConformanceTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;

  // A decision for interaction `iid` that opens a task with these traits.
  RecordedDecision AddTask(const std::string& iid, int priority = 3,
                           std::vector<std::string> skills = {}, std::string language = "",
                           std::string queue = "general", TimePoint due = {},
                           TimePoint created = {}, std::optional<TaskDeadline> deadline = {},
                           std::string workflow = "refunds");
  ClaimRequest Reviewer(const std::string& name, std::vector<std::string> skills = {},
                        std::vector<std::string> languages = {}) const;
  std::int64_t HeadSeq();

  SequentialIdGenerator ids_;
  std::unique_ptr<Store> store_;
  TimePoint t0_;
  int next_event_ = 0;
};

}  // namespace hitlgate::store
