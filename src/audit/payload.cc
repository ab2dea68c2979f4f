#include "hitlgate/audit/payload.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace hitlgate::audit {

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xf]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

std::string FormatMicros(TimePoint t) {
  using namespace std::chrono;
  auto day_point = floor<days>(t);
  year_month_day ymd{day_point};
  hh_mm_ss<Duration> hms{t - day_point};
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ", int(ymd.year()),
                        unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                        int(hms.minutes().count()), int(hms.seconds().count()),
                        static_cast<long long>(hms.subseconds().count()));
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

PayloadBuilder& PayloadBuilder::Str(std::string_view key, std::string_view value) {
  std::string v;
  AppendJsonString(value, &v);
  fields_.emplace_back(std::string(key), std::move(v));
  return *this;
}

PayloadBuilder& PayloadBuilder::Int(std::string_view key, std::int64_t value) {
  fields_.emplace_back(std::string(key), std::to_string(value));
  return *this;
}

PayloadBuilder& PayloadBuilder::Bool(std::string_view key, bool value) {
  fields_.emplace_back(std::string(key), value ? "true" : "false");
  return *this;
}

PayloadBuilder& PayloadBuilder::Time(std::string_view key, TimePoint value) {
  return Str(key, FormatMicros(value));
}

PayloadBuilder& PayloadBuilder::Strs(std::string_view key, const std::vector<std::string>& values) {
  std::string v = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) v.push_back(',');
    AppendJsonString(values[i], &v);
  }
  v.push_back(']');
  fields_.emplace_back(std::string(key), std::move(v));
  return *this;
}

PayloadBuilder& PayloadBuilder::Raw(std::string_view key, std::string_view json) {
  fields_.emplace_back(std::string(key), std::string(json));
  return *this;
}

std::string PayloadBuilder::Build() const {
  // Stable sort, then keep the last of equal keys: "a key added twice keeps
  // the last value".
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(fields_.size());
  for (const auto& f : fields_) sorted.push_back(&f);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto* a, const auto* b) { return a->first < b->first; });
  std::string out = "{";
  bool first = true;
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i + 1 < sorted.size() && sorted[i + 1]->first == sorted[i]->first) continue;
    if (!first) out.push_back(',');
    first = false;
    AppendJsonString(sorted[i]->first, &out);
    out.push_back(':');
    out.append(sorted[i]->second);
  }
  out.push_back('}');
  return out;
}

}  // namespace hitlgate::audit
