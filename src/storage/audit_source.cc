#include "hitlgate/store/audit_source.h"

namespace hitlgate::store {

Result<std::optional<audit::AuditRecord>> StoreAuditSource::Next() {
  if (page_.empty() && !done_) {
    auto page = store_->ReadAudit(next_seq_, page_size_);
    HITLGATE_RETURN_IF_ERROR(page);
    if (static_cast<int>(page->size()) < page_size_) done_ = true;
    for (auto& r : *page) page_.push_back(std::move(r));
    // Continue after the last record read, not at next_seq_ + page size: a
    // damaged store may have gaps, which the verifier must see.
    if (!page_.empty()) next_seq_ = page_.back().seq + 1;
  }
  if (page_.empty()) return std::optional<audit::AuditRecord>();
  audit::AuditRecord r = std::move(page_.front());
  page_.pop_front();
  return std::optional<audit::AuditRecord>(std::move(r));
}

}  // namespace hitlgate::store
