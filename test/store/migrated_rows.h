// What a store must read back after the storage-form migration (SQLite 10,
// PostgreSQL 12) converted the rows its test wrote before it: interaction
// "i-1" with event {"text":"x"}, answer {"outcome":"hold"} and a task whose
// context is {"proposal":"refund"}; interaction "i-2" whose customer was
// erased; and an audit chain that the migration left alone.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "hitlgate/store/store.h"

namespace hitlgate::store {

inline void ExpectMigratedRowsReadBack(Store& s, const std::string& task_id,
                                       std::int64_t head_seq_before,
                                       const std::string& head_hash_before) {
  auto got = s.GetInteraction("i-1").value();
  ASSERT_EQ(got.decisions.size(), 1u);
  EXPECT_EQ(got.decisions[0].record.event_json, R"({"text":"x"})");
  EXPECT_EQ(got.decisions[0].record.decision_json, R"({"outcome":"hold"})");
  EXPECT_EQ(s.GetTask(task_id).value().context_json, R"({"proposal":"refund"})");
  EXPECT_EQ(s.GetInteraction("i-2").value().decisions.at(0).record.event_json, kErasedJson);
  auto head = s.GetAuditHead().value();
  EXPECT_EQ(head.seq, head_seq_before) << "the migration writes no audit record";
  EXPECT_EQ(head.hash, head_hash_before);
}

}  // namespace hitlgate::store
