// PayloadBuilder: writes an audit record's payload as canonical JSON (keys
// sorted by byte value, no whitespace, minimal string escapes), so the same
// facts always give the same bytes and the same hash. Not thread-safe; one
// builder per payload.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hitlgate/common/clock.h"

namespace hitlgate::audit {

class PayloadBuilder {
 public:
  PayloadBuilder& Str(std::string_view key, std::string_view value);
  PayloadBuilder& Int(std::string_view key, std::int64_t value);
  PayloadBuilder& Bool(std::string_view key, bool value);
  // RFC 3339 with microseconds, UTC ("2026-11-22T10:00:03.000250Z").
  PayloadBuilder& Time(std::string_view key, TimePoint value);
  PayloadBuilder& Strs(std::string_view key, const std::vector<std::string>& values);
  // `json` must already be valid JSON text written deterministically (e.g. a
  // codec's fixed-shape encoding); it is embedded as is.
  PayloadBuilder& Raw(std::string_view key, std::string_view json);

  // The object, keys sorted. A key added twice keeps the last value.
  std::string Build() const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;  // key, JSON value
};

// Appends `s` as a JSON string literal (quotes, escapes) to `out`.
void AppendJsonString(std::string_view s, std::string* out);

// RFC 3339 with exactly six fractional digits, UTC: lossless for TimePoint.
std::string FormatMicros(TimePoint t);

}  // namespace hitlgate::audit
