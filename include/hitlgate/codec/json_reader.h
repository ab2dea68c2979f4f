// JsonObjectReader: strict reading of one JSON request object, field by
// field, with errors that name the field; Finish() reports the first field
// nobody asked for ("unknown field"). Lets modules outside src/codec parse
// request bodies without touching Boost.JSON. Not thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/common/error.h"

namespace hitlgate::codec {

class JsonObjectReader {
 public:
  // InvalidArgument when `json` is not a JSON object.
  [[nodiscard]] static Result<JsonObjectReader> Parse(std::string_view json);

  JsonObjectReader(JsonObjectReader&&) noexcept;
  JsonObjectReader& operator=(JsonObjectReader&&) noexcept;
  ~JsonObjectReader();

  // Absent (or null) optional fields give nullopt; a present field of the
  // wrong type is an error naming it. Required fields error when absent.
  [[nodiscard]] Result<std::optional<std::string>> OptString(std::string_view field);
  [[nodiscard]] Result<std::string> String(std::string_view field);
  [[nodiscard]] Result<std::optional<double>> OptNumber(std::string_view field);
  [[nodiscard]] Result<std::optional<std::int64_t>> OptInt(std::string_view field);
  [[nodiscard]] Result<std::optional<bool>> OptBool(std::string_view field);
  [[nodiscard]] Result<std::optional<std::vector<std::string>>> OptStrings(std::string_view field);
  // An object field as canonical JSON text (keys sorted).
  [[nodiscard]] Result<std::optional<std::string>> OptObject(std::string_view field);
  // Any value as canonical JSON text.
  [[nodiscard]] Result<std::optional<std::string>> OptRaw(std::string_view field);

  // InvalidArgument "field 'x': unknown field" for the first field no
  // accessor above asked about.
  [[nodiscard]] Result<void> Finish() const;

 private:
  struct Impl;
  explicit JsonObjectReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hitlgate::codec
