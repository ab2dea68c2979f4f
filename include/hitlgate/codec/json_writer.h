// JsonWriter: writes one JSON document straight into a string, for API
// responses of a fixed shape (tasks, verdicts, queue lists). Streaming, with
// no DOM, so responses cost one buffer; commas and nesting are tracked here
// so callers cannot produce malformed JSON by forgetting one. Not
// thread-safe; one writer per document.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hitlgate::codec {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(std::int64_t value);
  JsonWriter& Number(double value, int max_decimals = 6);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // `json` must be one valid JSON value (e.g. a stored canonical object).
  JsonWriter& Raw(std::string_view json);
  JsonWriter& Strings(const std::vector<std::string>& values);

  // Shorthands for "key": value.
  JsonWriter& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, std::int64_t value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, int value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, bool value) { return Key(key).Bool(value); }

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void Separate();

  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

}  // namespace hitlgate::codec
