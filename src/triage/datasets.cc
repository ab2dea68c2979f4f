// Reading labeled text: CSV, clinc150 JSON, a feedback export.
#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "hitlgate/learning/feedback.h"
#include "hitlgate/triage/classifier.h"

namespace hitlgate::triage {
namespace {

namespace json = boost::json;

// Parses CSV text into records (RFC 4180: quoted fields may hold commas,
// doubled quotes and line breaks). `lines[i]` is the line record i starts on.
Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text, std::vector<int>* lines) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields(1);
  bool quoted = false;
  int line = 1, record_line = 1;
  auto end_record = [&] {
    if (!(fields.size() == 1 && fields[0].empty())) {
      records.push_back(std::move(fields));
      lines->push_back(record_line);
    }
    fields.assign(1, "");
    record_line = line;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
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
    } else if (c == '\n') {
      end_record();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  if (quoted) return InvalidArgument(std::to_string(record_line) + ": unterminated quote");
  end_record();
  return records;
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
  auto text = ReadAll(path);
  HITLGATE_RETURN_IF_ERROR(text);
  std::vector<int> lines;
  auto records = ParseCsv(*text, &lines);
  if (!records) return InvalidArgument(path + ":" + records.error().message());
  std::vector<LabeledText> out;
  for (size_t r = 1; r < records->size(); ++r) {  // record 0 is the header
    const auto& fields = (*records)[r];
    const std::string where = path + ":" + std::to_string(lines[r]);
    if (fields.size() < 2) return InvalidArgument(where + ": expected text,label");
    if (fields.back().empty()) return InvalidArgument(where + ": empty label");
    std::string text_field = fields.front();
    for (char& c : text_field) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    out.push_back({std::move(text_field), fields.back()});
  }
  if (out.empty()) return InvalidArgument(path + ": no rows after the header");
  return out;
}

Result<std::vector<LabeledText>> ReadClinc(const std::string& path, std::string_view split, bool with_oos) {
  auto text = ReadAll(path);
  HITLGATE_RETURN_IF_ERROR(text);
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
  HITLGATE_RETURN_IF_ERROR(take(split));
  if (with_oos) {
    HITLGATE_RETURN_IF_ERROR(take("oos_" + std::string(split)));
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
