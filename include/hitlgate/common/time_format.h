// RFC 3339 timestamps ("2026-11-22T10:00:03Z", "2026-11-22T11:00:03.250+01:00")
// to and from TimePoint. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"

namespace hitlgate {

// InvalidArgument when `text` is not an RFC 3339 date-time.
[[nodiscard]] Result<TimePoint> ParseRfc3339(std::string_view text);

// Always UTC with a 'Z'; milliseconds only when non-zero ("...T10:00:03.250Z").
std::string FormatRfc3339(TimePoint t);

}  // namespace hitlgate
