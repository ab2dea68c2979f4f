// Helpers shared by the codec's parsers: typed field access with messages
// that name the field. Internal to src/codec.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "hitlgate/common/error.h"

namespace hitlgate::codec::internal {

std::string_view KindName(const boost::json::value& v);

// "field 'x': expected a string, got number"
std::unexpected<Error> WrongType(std::string_view field, std::string_view expected,
                                 const boost::json::value& got);

Result<std::string> GetString(const boost::json::value& v, std::string_view field);
Result<double> GetNumber(const boost::json::value& v, std::string_view field);
Result<bool> GetBool(const boost::json::value& v, std::string_view field);

// Parses with a bounded depth; InvalidArgument with the position on bad JSON.
Result<boost::json::value> ParseJson(std::string_view json, boost::json::storage_ptr sp = {});

void AppendCanonical(const boost::json::value& v, std::string* out);

}  // namespace hitlgate::codec::internal
