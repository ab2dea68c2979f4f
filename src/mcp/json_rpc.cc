#include "mcp/json_rpc.h"

#include <boost/json.hpp>

#include "hitlgate/codec/strict_json.h"

namespace hitlgate::mcp {

namespace json = boost::json;

namespace {

json::value ParseIdOrNull(std::string_view id_json) {
  if (id_json.empty()) return nullptr;
  boost::system::error_code ec;
  json::value v = json::parse(id_json, ec);
  return ec ? json::value(nullptr) : v;
}

Message Invalid(std::string id, std::string problem, json::value doc) {
  Message m;
  m.kind = MessageKind::kInvalid;
  m.id = std::move(id);
  m.problem = std::move(problem);
  m.doc = std::move(doc);
  return m;
}

}  // namespace

std::string ToJson(const json::value& value) { return json::serialize(value); }

std::string IdText(const json::value& value) {
  if (value.is_string() || value.is_int64() || value.is_uint64() || value.is_double()) {
    return json::serialize(value);
  }
  return {};
}

Result<Message> ParseMessage(std::string_view text) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec) return InvalidArgument("not JSON: " + ec.message());
  // Two readers must not see two messages (the upstream server may keep the last key, or the first).
  if (auto dup = codec::FindDuplicateKey(text)) return InvalidArgument("duplicate key '" + *dup + "'");
  if (doc.is_array())
    return Invalid({}, "batches are not supported (MCP 2025-06-18 has none)", std::move(doc));
  if (!doc.is_object()) return Invalid({}, "a JSON-RPC message must be an object", std::move(doc));
  const json::object& obj = doc.get_object();

  std::string id;
  const json::value* id_value = obj.if_contains("id");
  if (id_value != nullptr) id = IdText(*id_value);

  const json::value* version = obj.if_contains("jsonrpc");
  if (version == nullptr || !version->is_string() || version->get_string() != "2.0") {
    return Invalid(std::move(id), "\"jsonrpc\" must be \"2.0\"", std::move(doc));
  }
  if (id_value != nullptr && id.empty()) {
    return Invalid({}, "\"id\" must be a string or a number", std::move(doc));
  }
  const json::value* method = obj.if_contains("method");
  if (method != nullptr) {
    if (!method->is_string() || method->get_string().empty()) {
      return Invalid(std::move(id), "\"method\" must be a non-empty string", std::move(doc));
    }
    const json::value* params = obj.if_contains("params");
    if (params != nullptr && !params->is_object() && !params->is_null()) {
      return Invalid(std::move(id), "\"params\" must be an object", std::move(doc));
    }
    Message m;
    m.kind = id_value == nullptr ? MessageKind::kNotification : MessageKind::kRequest;
    m.id = std::move(id);
    m.method = std::string(method->get_string());
    m.doc = std::move(doc);
    return m;
  }
  const bool has_result = obj.contains("result");
  const bool has_error = obj.contains("error");
  if (id_value == nullptr || has_result == has_error) {
    return Invalid(
        std::move(id),
        "a message needs a \"method\", or an \"id\" with one of \"result\" and \"error\"",
        std::move(doc));
  }
  Message m;
  m.kind = MessageKind::kResponse;
  m.id = std::move(id);
  m.doc = std::move(doc);
  return m;
}

const json::object* Params(const Message& m) {
  if (!m.doc.is_object()) return nullptr;
  const json::value* p = m.doc.get_object().if_contains("params");
  return p != nullptr && p->is_object() ? &p->get_object() : nullptr;
}

const json::object* ResultObject(const Message& m) {
  if (!m.doc.is_object()) return nullptr;
  const json::value* r = m.doc.get_object().if_contains("result");
  return r != nullptr && r->is_object() ? &r->get_object() : nullptr;
}

std::string ErrorResponse(std::string_view id_json, int code, std::string_view message) {
  json::object error{{"code", code}, {"message", message}};
  json::object out{{"jsonrpc", "2.0"}, {"id", ParseIdOrNull(id_json)}, {"error", std::move(error)}};
  return json::serialize(out);
}

std::string ResultResponse(std::string_view id_json, const json::value& result) {
  json::object out{{"jsonrpc", "2.0"}, {"id", ParseIdOrNull(id_json)}, {"result", result}};
  return json::serialize(out);
}

std::string ToolResultResponse(std::string_view id_json, std::string_view text, bool is_error,
                               std::string_view structured) {
  json::object result;
  json::array content;
  content.push_back(json::object{{"type", "text"}, {"text", text}});
  result["content"] = std::move(content);
  if (!structured.empty()) {
    boost::system::error_code ec;
    json::value s = json::parse(structured, ec);
    if (!ec && s.is_object()) result["structuredContent"] = std::move(s);
  }
  result["isError"] = is_error;
  return ResultResponse(id_json, result);
}

std::string ProgressNotification(std::string_view token_json, double progress, double total,
                                 std::string_view message) {
  json::object params{{"progressToken", ParseIdOrNull(token_json)},
                      {"progress", progress},
                      {"total", total},
                      {"message", message}};
  json::object out{
      {"jsonrpc", "2.0"}, {"method", "notifications/progress"}, {"params", std::move(params)}};
  return json::serialize(out);
}

}  // namespace hitlgate::mcp
