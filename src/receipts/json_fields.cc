#include "receipts/json_fields.h"

#include "hitlgate/codec/strict_json.h"

namespace hitlgate::receipts::internal {

Result<boost::json::object> ParseObject(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return InvalidArgument(std::string(what) + ": not JSON: " + ec.message());
  if (!v.is_object()) return InvalidArgument(std::string(what) + ": expected a JSON object");
  if (auto dup = codec::FindDuplicateKey(text)) {
    return InvalidArgument(std::string(what) + ": duplicate key '" + *dup + "'");
  }
  return std::move(v.get_object());
}

}  // namespace hitlgate::receipts::internal
