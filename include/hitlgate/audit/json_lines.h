// JSON-lines encoding of audit records: one record per line, the form of
// `hitlgate audit export` and the input of `audit verify --file`. Decoding
// is strict and is a fuzz target: any input gives a record or a clear error,
// never a crash. Pure functions are thread-safe; a JsonLinesRecordSource
// belongs to one thread.
//
// {"seq":7,"at":"2026-11-22T10:00:03.000250Z","kind":"claim","actor":"k-rev1",
//  "subject":"t-0123456789abcdef","payload_json":"{\"lease_id\":...}",
//  "prev_hash":"<64 hex>","hash":"<64 hex>"}
//
// payload_json is carried as a JSON *string*, not an embedded object: the
// hash covers its exact bytes, which re-serializing an object could change.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include "hitlgate/audit/record.h"
#include "hitlgate/audit/verifier.h"
#include "hitlgate/common/error.h"

namespace hitlgate::audit {

// Longest line DecodeJsonLine accepts; longer is ResourceExhausted.
inline constexpr size_t kMaxJsonLineBytes = 4 * 1024 * 1024;

// One line, without the trailing '\n'.
std::string EncodeJsonLine(const AuditRecord& record);

// Parses one line (a trailing "\n" or "\r\n" is allowed). InvalidArgument
// names the field and what is wrong; unknown fields, missing fields, wrong
// types, seq < 1, malformed times or hashes, and a payload_json that is not a
// JSON object are all rejected. Does not check the hash: that is the
// verifier's job, so a tampered record decodes and is reported as changed.
[[nodiscard]] Result<AuditRecord> DecodeJsonLine(std::string_view line);

// Reads records from a stream of lines; blank lines are skipped. An
// undecodable line is an error naming its line number. `in` must outlive it.
class JsonLinesRecordSource final : public RecordSource {
 public:
  explicit JsonLinesRecordSource(std::istream& in) : in_(in) {}
  Result<std::optional<AuditRecord>> Next() override;

 private:
  std::istream& in_;
  std::int64_t line_number_ = 0;
};

}  // namespace hitlgate::audit
