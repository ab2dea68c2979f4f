// SseParser: reads a text/event-stream body in pieces (the Streamable HTTP
// transport's responses and GET streams) and hands over each event's data.
// Lines end with LF, CRLF or CR; "data:" lines are joined with LF; comments
// and fields other than data and event are ignored; only events of type
// "message" (or without a type) carry MCP messages. An event over the size
// limit is dropped and reported by its size.
//
// Not thread-safe; one parser per stream.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace hitlgate::mcp {

class SseParser {
 public:
  explicit SseParser(size_t max_event_bytes) : max_event_bytes_(max_event_bytes) {}

  // `on_data(data)` for each complete message event; `on_oversize(bytes)`
  // for each event that was too large.
  void Feed(std::string_view bytes, const std::function<void(std::string)>& on_data,
            const std::function<void(size_t)>& on_oversize);

 private:
  void Line(std::string_view line, const std::function<void(std::string)>& on_data,
            const std::function<void(size_t)>& on_oversize);

  size_t max_event_bytes_;
  std::string line_;
  bool after_cr_ = false;  // the last byte was CR: a following LF ends nothing
  std::string data_;
  bool has_data_ = false;
  std::string type_;
  size_t event_bytes_ = 0;
  bool oversize_ = false;
};

}  // namespace hitlgate::mcp
