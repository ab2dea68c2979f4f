// JSON codec for the engine's wire types (docs/schema/*.schema.json).
// Boost.JSON stays inside src/codec. Parsing is strict: unknown fields and
// wrong types are InvalidArgument errors whose message names the field, so
// an agent developer sees at once what to fix. All functions are pure and
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "hitlgate/common/error.h"
#include "hitlgate/engine/decision.h"
#include "hitlgate/engine/event.h"

namespace hitlgate::codec {

// Largest event accepted (bytes); bigger ones are ResourceExhausted.
inline constexpr size_t kMaxEventBytes = 256 * 1024;

// Parses one event object. InvalidArgument names the field and what was
// expected: "field 'confidence': expected a number in [0, 1], got 1.7".
[[nodiscard]] Result<engine::Event> ParseEvent(std::string_view json);

// Canonical JSON of one event (keys in schema order, no whitespace).
std::string EncodeEvent(const engine::Event& event);

// Appends one decision as a single-line JSON object to `out`.
void AppendDecision(const engine::Decision& decision, std::string* out);
std::string EncodeDecision(const engine::Decision& decision);
// What POST /v1/events answers: the decision, plus task_id and task_url when
// it opened a task. Stored as it is sent, so a retry gets the same bytes.
std::string EncodeAnswer(const engine::Decision& decision, std::string_view task_id);

// Parses a decision produced by EncodeDecision (for tools and tests).
[[nodiscard]] Result<engine::Decision> ParseDecision(std::string_view json);

// Re-serializes any JSON text with object keys sorted and no whitespace:
// equal documents get equal bytes (for hashing action payloads).
[[nodiscard]] Result<std::string> CanonicalJson(std::string_view json);

// Appends `s` as a JSON string literal (quotes and escapes) to `out`.
void AppendJsonString(std::string_view s, std::string* out);

// Appends the shortest decimal that reads back as `v` ("100", "0.71",
// "1e+21"); non-finite values become null. Boost.JSON would write "1E2".
void AppendJsonNumber(double v, std::string* out);

}  // namespace hitlgate::codec

namespace hitlgate::codec {

// An action object {"name","amount","currency","params"} as in events (used
// for a reviewer's edited action). Same checks and messages as in ParseEvent.
[[nodiscard]] Result<engine::Action> ParseAction(std::string_view json);
// The action as a canonical JSON object.
std::string EncodeAction(const engine::Action& action);

}  // namespace hitlgate::codec
