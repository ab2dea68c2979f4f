// Strict field access on a Boost.JSON object for the receipts module's
// decoders: every error names the document and the field, and Finish()
// refuses fields nobody asked for. Internal to src/receipts; not thread-safe.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "hitlgate/audit/record.h"
#include "hitlgate/common/error.h"
#include "hitlgate/common/time_format.h"

namespace hitlgate::receipts::internal {

// Parses `text` as one JSON object; InvalidArgument naming `what` otherwise.
Result<boost::json::object> ParseObject(std::string_view text, std::string_view what);

class Fields {
 public:
  Fields(const boost::json::object& object, std::string what) : o_(object), what_(std::move(what)) {}

  std::unexpected<Error> Bad(std::string_view field, std::string_view problem) const {
    return InvalidArgument(what_ + ": field '" + std::string(field) + "': " + std::string(problem));
  }
  Result<std::string> String(std::string_view field) {
    const boost::json::value* v = Get(field);
    if (v == nullptr) return Bad(field, "missing");
    if (!v->is_string()) return Bad(field, "expected a string");
    return std::string(v->get_string());
  }
  Result<std::string> NonEmpty(std::string_view field) {
    auto s = String(field);
    if (s && s->empty()) return Bad(field, "must not be empty");
    return s;
  }
  Result<std::string> Hex(std::string_view field, size_t digits) {
    auto s = String(field);
    if (!s) return s;
    bool ok = s->size() == digits;
    for (char c : *s) ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    if (!ok) return Bad(field, "expected " + std::to_string(digits) + " lower-case hex digits");
    return s;
  }
  Result<TimePoint> Time(std::string_view field) {
    auto s = String(field);
    HITLGATE_RETURN_IF_ERROR(s);
    auto t = ParseRfc3339(*s);
    if (!t) return Bad(field, t.error().message());
    return *t;
  }
  Result<std::optional<TimePoint>> OptTime(std::string_view field) {
    const boost::json::value* v = Get(field);
    if (v == nullptr || v->is_null()) return std::optional<TimePoint>();
    auto t = Time(field);
    HITLGATE_RETURN_IF_ERROR(t);
    return std::optional<TimePoint>(*t);
  }
  Result<std::int64_t> Int(std::string_view field) {
    const boost::json::value* v = Get(field);
    if (v == nullptr) return Bad(field, "missing");
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
      return static_cast<std::int64_t>(v->get_uint64());
    }
    return Bad(field, "expected an integer");
  }
  Result<const boost::json::array*> Array(std::string_view field) {
    const boost::json::value* v = Get(field);
    if (v == nullptr) return Bad(field, "missing");
    if (!v->is_array()) return Bad(field, "expected an array");
    return &v->get_array();
  }
  // InvalidArgument for the first field that no accessor asked about.
  Result<void> Finish() const {
    for (const auto& kv : o_) {
      if (!asked_.contains(std::string(kv.key()))) return Bad(kv.key(), "unknown field");
    }
    return {};
  }

 private:
  const boost::json::value* Get(std::string_view field) {
    asked_.insert(std::string(field));
    return o_.if_contains(field);
  }
  const boost::json::object& o_;
  std::string what_;
  std::set<std::string> asked_;
};

}  // namespace hitlgate::receipts::internal
