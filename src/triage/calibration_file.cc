#include "triage/calibration_file.h"

#include <boost/json.hpp>

namespace hitlgate::triage {
namespace {
namespace json = boost::json;
constexpr std::string_view kFormat = "hitlgate.triage-calibration.v1";
}  // namespace

std::string EncodeCalibrationBlocks(const std::vector<learning::IsotonicBlock>& blocks) {
  json::object o;
  o["format"] = kFormat;
  json::array a;
  for (const auto& b : blocks) {
    a.push_back(json::object{{"lo", b.lo}, {"hi", b.hi}, {"x", b.x_mean}, {"p", b.value}, {"n", b.weight}});
  }
  o["blocks"] = std::move(a);
  return json::serialize(o);
}

Result<std::vector<learning::IsotonicBlock>> ParseCalibrationBlocks(std::string_view text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return InvalidArgument("not a JSON object");
  const json::object& o = v.get_object();
  auto format = o.find("format");
  if (format == o.end() || !format->value().is_string() || format->value().get_string() != kFormat) {
    return InvalidArgument("format must be " + std::string(kFormat));
  }
  auto blocks = o.find("blocks");
  if (blocks == o.end() || !blocks->value().is_array()) return InvalidArgument("'blocks' must be an array");
  std::vector<learning::IsotonicBlock> out;
  for (const json::value& b : blocks->value().get_array()) {
    if (!b.is_object()) return InvalidArgument("a block is not an object");
    learning::IsotonicBlock block;
    for (auto [key, into] : {std::pair<std::string_view, double*>{"lo", &block.lo}, {"hi", &block.hi},
                             {"x", &block.x_mean}, {"p", &block.value}, {"n", &block.weight}}) {
      auto it = b.get_object().find(key);
      if (it == b.get_object().end() || !it->value().is_number()) {
        return InvalidArgument("block field '" + std::string(key) + "' must be a number");
      }
      *into = it->value().to_number<double>();
    }
    if (!out.empty() && (out.back().hi > block.lo || out.back().value > block.value)) {
      return InvalidArgument("blocks must be increasing");
    }
    out.push_back(block);
  }
  return out;
}

}  // namespace hitlgate::triage
