#include "hitlgate/store/audit_source.h"

#include <algorithm>

#include "hitlgate/store/store.h"

namespace hitlgate::store {

Result<std::vector<audit::AuditLink>> AuditLog::ReadAuditLinks(std::int64_t from_seq, int limit) {
  auto records = ReadAudit(from_seq, limit);
  HITLGATE_RETURN_IF_ERROR(records);
  std::vector<audit::AuditLink> links;
  links.reserve(records->size());
  for (audit::AuditRecord& r : *records)
    links.push_back({r.seq, std::move(r.prev_hash), std::move(r.hash)});
  return links;
}

Result<std::vector<audit::AuditRecord>> AuditLog::ReadAuditOfKinds(
    std::int64_t from_seq, std::int64_t to_seq, const std::vector<std::string>& kinds) {
  constexpr int kPage = 1000;
  std::vector<audit::AuditRecord> out;
  while (from_seq < to_seq) {
    auto page = ReadAudit(from_seq, kPage);
    HITLGATE_RETURN_IF_ERROR(page);
    for (audit::AuditRecord& r : *page) {
      if (r.seq >= to_seq) return out;
      if (std::find(kinds.begin(), kinds.end(), r.kind) != kinds.end()) out.push_back(std::move(r));
    }
    if (static_cast<int>(page->size()) < kPage) break;
    from_seq = page->back().seq + 1;
  }
  return out;
}

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
