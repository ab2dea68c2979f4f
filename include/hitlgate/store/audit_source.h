// StoreAuditSource: reads a Store's audit log page by page as an
// audit::RecordSource, so audit::VerifyChain can check a live store (the
// conformance suite, `hitlgate audit verify`). The store must outlive the
// source; one thread at a time.
#pragma once

#include <cstdint>
#include <deque>

#include "hitlgate/audit/verifier.h"
#include "hitlgate/store/store.h"

namespace hitlgate::store {

class StoreAuditSource final : public audit::RecordSource {
 public:
  // Reads records with seq >= from_seq (1 = from the oldest kept record).
  explicit StoreAuditSource(Store* store, std::int64_t from_seq = 1, int page_size = 1000)
      : store_(store), next_seq_(from_seq), page_size_(page_size) {}
  Result<std::optional<audit::AuditRecord>> Next() override;

 private:
  Store* store_;
  std::int64_t next_seq_;
  int page_size_;
  std::deque<audit::AuditRecord> page_;
  bool done_ = false;
};

}  // namespace hitlgate::store
