// Values on the expression evaluator's stack, and the per-event context the
// steps read. Value is trivially constructible on purpose: the evaluator
// keeps a fixed-size array of them on the C++ stack without initializing it.
// Strings are views into the event or into the compiled program (both
// outlive one evaluation). Thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hitlgate/engine/conversation.h"
#include "hitlgate/engine/event.h"
#include "hitlgate/engine/signals.h"

namespace hitlgate::policy::eval {

enum class ValueKind : std::uint8_t {
  kMissing,  // an optional number that is absent: every comparison with it is false
  kBool,
  kNumber,
  kString,
};

struct Value {
  ValueKind kind;
  bool b;
  double n;
  const char* str;  // kString: data and size (not a string_view, to stay trivial)
  std::size_t len;

  std::string_view s() const { return std::string_view(str, len); }
  static Value Missing() { return Value{ValueKind::kMissing, false, 0.0, nullptr, 0}; }
  static Value Bool(bool v) { return Value{ValueKind::kBool, v, 0.0, nullptr, 0}; }
  static Value Number(double v) { return Value{ValueKind::kNumber, false, v, nullptr, 0}; }
  static Value String(std::string_view v) {
    return Value{ValueKind::kString, false, 0.0, v.data(), v.size()};
  }
};

// Everything an expression may read about one event.
struct EvalContext {
  const engine::Event& event;
  const engine::Signals& signals;
  const engine::ConversationSnapshot& snapshot;
};

}  // namespace hitlgate::policy::eval
