// Reading labeled text: CSV, clinc150 JSON, a feedback export.
#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "hitlgate/learning/feedback.h"
#include "hitlgate/triage/classifier.h"

namespace hitlgate::triage {
namespace {

namespace json = boost::json;

// Splits one CSV record (RFC 4180 quotes; a quoted field may not span lines
// here, which the data sets we read never need).
Result<std::vector<std::string>> SplitCsv(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  if (quoted) return InvalidArgument("unterminated quote");
  return fields;
}

Result<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Result<std::vector<LabeledText>> ReadCsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::vector<LabeledText> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 || line.empty() || line == "\r") continue;  // header
    auto fields = SplitCsv(line);
    if (!fields) return InvalidArgument(path + ":" + std::to_string(number) + ": " + fields.error().message());
    if (fields->size() < 2) return InvalidArgument(path + ":" + std::to_string(number) + ": expected text,label");
    if (fields->back().empty()) return InvalidArgument(path + ":" + std::to_string(number) + ": empty label");
    out.push_back({fields->front(), fields->back()});
  }
  if (out.empty()) return InvalidArgument(path + ": no rows after the header");
  return out;
}

Result<std::vector<LabeledText>> ReadClinc(const std::string& path, std::string_view split, bool with_oos) {
  auto text = ReadAll(path);
  if (!text) return std::unexpected(text.error());
  json::error_code ec;
  json::value v = json::parse(*text, ec);
  if (ec || !v.is_object()) return InvalidArgument(path + ": not a JSON object");
  std::vector<LabeledText> out;
  auto take = [&](std::string_view key) -> Result<void> {
    auto it = v.get_object().find(key);
    if (it == v.get_object().end() || !it->value().is_array()) {
      return InvalidArgument(path + ": no array '" + std::string(key) + "'");
    }
    for (const json::value& pair : it->value().get_array()) {
      if (!pair.is_array() || pair.get_array().size() != 2 || !pair.get_array()[0].is_string() ||
          !pair.get_array()[1].is_string()) {
        return InvalidArgument(path + ": '" + std::string(key) + "' entries must be [text, intent]");
      }
      out.push_back({std::string(pair.get_array()[0].get_string()), std::string(pair.get_array()[1].get_string())});
    }
    return {};
  };
  if (split != "train" && split != "val") return InvalidArgument("clinc150 split must be train or val");
  if (auto r = take(split); !r) return std::unexpected(r.error());
  if (with_oos) {
    if (auto r = take("oos_" + std::string(split)); !r) return std::unexpected(r.error());
  }
  return out;
}

Result<std::vector<LabeledText>> ReadFeedbackExport(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::vector<LabeledText> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    auto ex = learning::DecodeFeedbackLine(line);
    if (!ex) return InvalidArgument(path + ":" + std::to_string(number) + ": " + ex.error().message());
    if (ex->intent.empty() || ex->customer_text.empty()) continue;
    if (ex->verdict != "approved" && ex->verdict != "edited") continue;
    out.push_back({ex->customer_text, ex->intent});
  }
  return out;
}

}  // namespace hitlgate::triage
