// Clock: the only way code below src/server and src/cli learns the time.
// Injected so tests and replays are deterministic (lint: no system_clock::now
// outside wiring). Implementations must be thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace hitlgate {

// Wall-clock time with microsecond resolution, as stored and serialized.
using TimePoint = std::chrono::sys_time<std::chrono::microseconds>;
using Duration = std::chrono::microseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

// The real clock; constructed only by wiring code (server, cli, tools).
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
};

// A clock tests move by hand. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_us_(start.time_since_epoch().count()) {}
  TimePoint Now() const override { return TimePoint(Duration(now_us_.load())); }
  void Advance(Duration d) { now_us_.fetch_add(d.count()); }
  void Set(TimePoint t) { now_us_.store(t.time_since_epoch().count()); }

 private:
  std::atomic<std::int64_t> now_us_;
};

}  // namespace hitlgate
