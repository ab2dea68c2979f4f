// LineFramer: cuts a byte stream into the newline-delimited messages of MCP's
// stdio transport, with a size limit. A line over the limit is not kept: its
// bytes are skipped up to the next newline while a small scanner looks for
// the message's top-level "id", so the proxy can still answer that request
// (or fail that response) with a clear error instead of leaving it hanging.
//
// Not thread-safe; one framer per stream.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace hitlgate::mcp {

// Finds the top-level "id" of a JSON object read in pieces, without keeping
// the object. Understands strings and escapes, nesting, and ids that are
// strings or numbers; anything else leaves id() empty.
class TopLevelIdScanner {
 public:
  void Feed(std::string_view bytes);
  // The id as JSON text ("12", "\"abc\""), or empty when none was seen
  // (yet). Ids over 256 bytes are not kept.
  const std::string& id() const { return id_; }

 private:
  enum class Capture { kNone, kKey, kIdValue };
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
  bool expect_key_ = false;    // at depth 1, after '{' or ','
  bool after_id_key_ = false;  // the last top-level key was "id"; its value comes next
  Capture capture_ = Capture::kNone;
  std::string key_;    // the current top-level key (first few bytes)
  std::string value_;  // the id's value as it is read
  bool value_is_number_ = false;
  std::string id_;
};

struct Frame {
  std::string text;       // the line without its newline (and without a '\r' before it)
  bool oversize = false;  // the line exceeded the limit; `text` is empty
  size_t bytes = 0;       // the line's length
  std::string id;         // oversize only: its top-level id, when found
};

class LineFramer {
 public:
  explicit LineFramer(size_t max_bytes) : max_bytes_(max_bytes) {}

  // Calls `on_frame` for every complete non-blank line in `bytes` (with what
  // was buffered before). Partial lines are kept for the next call.
  void Feed(std::string_view bytes, const std::function<void(Frame)>& on_frame);

  // Bytes of an unfinished line (at most the limit).
  size_t buffered() const { return buffer_.size(); }

 private:
  void EmitLine(const std::function<void(Frame)>& on_frame);

  size_t max_bytes_;
  std::string buffer_;
  bool skipping_ = false;  // inside an oversize line
  size_t skipped_ = 0;     // its length so far
  TopLevelIdScanner scanner_;
};

}  // namespace hitlgate::mcp
