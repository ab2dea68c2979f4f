#include "mcp/sse_parser.h"

namespace hitlgate::mcp {

void SseParser::Feed(std::string_view bytes, const std::function<void(std::string)>& on_data,
                     const std::function<void(size_t)>& on_oversize) {
  for (char c : bytes) {
    if (c == '\n' && after_cr_) {
      after_cr_ = false;
      continue;
    }
    after_cr_ = c == '\r';
    if (c == '\n' || c == '\r') {
      Line(line_, on_data, on_oversize);
      line_.clear();
      continue;
    }
    // A line longer than an event may be is not kept; its event is dropped.
    if (line_.size() <= max_event_bytes_) line_ += c;
    ++event_bytes_;
    if (event_bytes_ > max_event_bytes_) oversize_ = true;
  }
}

void SseParser::Line(std::string_view line, const std::function<void(std::string)>& on_data,
                     const std::function<void(size_t)>& on_oversize) {
  if (line.empty()) {
    if (oversize_) {
      on_oversize(event_bytes_);
    } else if (has_data_ && (type_.empty() || type_ == "message")) {
      on_data(std::move(data_));
    }
    data_.clear();
    has_data_ = false;
    type_.clear();
    event_bytes_ = 0;
    oversize_ = false;
    return;
  }
  if (line.front() == ':') return;  // a comment (keep-alive)
  const size_t colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value =
      colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (oversize_) return;
  if (field == "data") {
    if (has_data_) data_ += '\n';
    data_.append(value);
    has_data_ = true;
  } else if (field == "event") {
    type_ = std::string(value);
  }
}

}  // namespace hitlgate::mcp
