#include "hitlgate/codec/json_reader.h"

#include <set>

#include "codec/json_util.h"

namespace hitlgate::codec {

namespace json = boost::json;

struct JsonObjectReader::Impl {
  json::value root;
  std::set<std::string, std::less<>> asked;

  const json::value* Get(std::string_view field) {
    asked.emplace(field);
    const json::value* v = root.get_object().if_contains(field);
    return (v == nullptr || v->is_null()) ? nullptr : v;
  }
};

JsonObjectReader::JsonObjectReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonObjectReader::JsonObjectReader(JsonObjectReader&&) noexcept = default;
JsonObjectReader& JsonObjectReader::operator=(JsonObjectReader&&) noexcept = default;
JsonObjectReader::~JsonObjectReader() = default;

Result<JsonObjectReader> JsonObjectReader::Parse(std::string_view text) {
  auto v = internal::ParseJson(text);
  HITLGATE_RETURN_IF_ERROR(v);
  if (!v->is_object()) return InvalidArgument("the request body must be a JSON object");
  auto impl = std::make_unique<Impl>();
  impl->root = std::move(*v);
  return JsonObjectReader(std::move(impl));
}

Result<std::optional<std::string>> JsonObjectReader::OptString(std::string_view field) {
  const json::value* v = impl_->Get(field);
  if (v == nullptr) return std::optional<std::string>();
  auto s = internal::GetString(*v, field);
  HITLGATE_RETURN_IF_ERROR(s);
  return std::optional<std::string>(std::move(*s));
}

Result<std::string> JsonObjectReader::String(std::string_view field) {
  auto s = OptString(field);
  HITLGATE_RETURN_IF_ERROR(s);
  if (!*s) return InvalidArgument("field '" + std::string(field) + "': required");
  return std::move(**s);
}

Result<std::optional<double>> JsonObjectReader::OptNumber(std::string_view field) {
  const json::value* v = impl_->Get(field);
  if (v == nullptr) return std::optional<double>();
  auto d = internal::GetNumber(*v, field);
  HITLGATE_RETURN_IF_ERROR(d);
  return std::optional<double>(*d);
}

Result<std::optional<std::int64_t>> JsonObjectReader::OptInt(std::string_view field) {
  const json::value* v = impl_->Get(field);
  if (v == nullptr) return std::optional<std::int64_t>();
  if (v->is_int64()) return std::optional<std::int64_t>(v->get_int64());
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return std::optional<std::int64_t>(static_cast<std::int64_t>(v->get_uint64()));
  }
  return internal::WrongType(field, "an integer", *v);
}

Result<std::optional<bool>> JsonObjectReader::OptBool(std::string_view field) {
  const json::value* v = impl_->Get(field);
  if (v == nullptr) return std::optional<bool>();
  auto b = internal::GetBool(*v, field);
  HITLGATE_RETURN_IF_ERROR(b);
  return std::optional<bool>(*b);
}

Result<std::optional<std::vector<std::string>>> JsonObjectReader::OptStrings(
    std::string_view field) {
  const json::value* v = impl_->Get(field);
  if (v == nullptr) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) return internal::WrongType(field, "an array of strings", *v);
  std::vector<std::string> out;
  for (const json::value& e : v->get_array()) {
    if (!e.is_string()) return internal::WrongType(field, "an array of strings", e);
    out.emplace_back(e.get_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::optional<std::string>> JsonObjectReader::OptObject(std::string_view field) {
  const json::value* v = impl_->Get(field);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_object()) return internal::WrongType(field, "an object", *v);
  std::string out;
  internal::AppendCanonical(*v, &out);
  return std::optional<std::string>(std::move(out));
}

Result<std::optional<std::string>> JsonObjectReader::OptRaw(std::string_view field) {
  const json::value* v = impl_->Get(field);
  if (v == nullptr) return std::optional<std::string>();
  std::string out;
  internal::AppendCanonical(*v, &out);
  return std::optional<std::string>(std::move(out));
}

Result<void> JsonObjectReader::Finish() const {
  for (const auto& kv : impl_->root.get_object()) {
    if (!impl_->asked.contains(std::string_view(kv.key()))) {
      return InvalidArgument("field '" + std::string(kv.key()) + "': unknown field");
    }
  }
  return {};
}

}  // namespace hitlgate::codec
