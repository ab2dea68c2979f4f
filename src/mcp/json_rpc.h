// JSON-RPC 2.0 as MCP uses it: classifying one message, and building the few
// messages the proxy writes itself (error responses, tool results, progress
// notifications). The proxy forwards the bytes it received whenever it does
// not change a message, so parsing here is for reading, never for
// re-encoding what passes through.
//
// Pure functions and value types; thread-compatible.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "hitlgate/common/error.h"

namespace hitlgate::mcp {

// JSON-RPC error codes the proxy answers with.
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
// Implementation-defined server errors (-32000 ... -32099).
inline constexpr int kServerUnavailable = -32000;  // the MCP server is gone or unreachable
inline constexpr int kMessageTooLarge = -32001;

enum class MessageKind {
  kRequest,       // method and id
  kNotification,  // method, no id
  kResponse,      // id and result or error
  kInvalid,       // a JSON object that is none of the above
};

struct Message {
  MessageKind kind = MessageKind::kInvalid;
  // The id as compact JSON text ("7", "\"a-1\""); empty for notifications
  // and for invalid messages without a usable id. Used as a map key.
  std::string id;
  std::string method;      // requests and notifications
  std::string problem;     // kInvalid: what is wrong, for the error response
  boost::json::value doc;  // the whole message (an object), for reading fields
};

// Parses one message. InvalidArgument when the text is not JSON (answer with
// kParseError). JSON that is not a valid JSON-RPC 2.0 message comes back as
// kInvalid (answer with kInvalidRequest), batch arrays too: MCP 2025-06-18
// removed batching.
[[nodiscard]] Result<Message> ParseMessage(std::string_view text);

// Field access on a parsed message; null/absent give nullptr.
const boost::json::object* Params(const Message& m);
const boost::json::object* ResultObject(const Message& m);

// {"jsonrpc":"2.0","id":<id_json>,"error":{"code":..,"message":..}}.
// An empty id_json writes "id":null (the id could not be read).
std::string ErrorResponse(std::string_view id_json, int code, std::string_view message);

// A tools/call result: {"content":[{"type":"text","text":...}],"isError":..}
// wrapped in a response to id_json. `structured` (a JSON object text, may be
// empty) becomes structuredContent.
std::string ToolResultResponse(std::string_view id_json, std::string_view text, bool is_error,
                               std::string_view structured = {});

// {"jsonrpc":"2.0","id":<id_json>,"result":<result>} from a result value.
std::string ResultResponse(std::string_view id_json, const boost::json::value& result);

// notifications/progress for `token` (the client's progressToken, as JSON
// text): progress and total in seconds, with a message for people.
std::string ProgressNotification(std::string_view token_json, double progress, double total,
                                 std::string_view message);

// The id of `value` as compact JSON text, or empty when it is not a string or
// a number (JSON-RPC allows only those; null ids are refused).
std::string IdText(const boost::json::value& value);

// Compact JSON text of any value.
std::string ToJson(const boost::json::value& value);

}  // namespace hitlgate::mcp
