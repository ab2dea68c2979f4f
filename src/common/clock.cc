#include "hitlgate/common/clock.h"

namespace hitlgate {

TimePoint SystemClock::Now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

}  // namespace hitlgate
