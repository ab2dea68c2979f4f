#include "mcp/line_framer.h"

#include <algorithm>

namespace hitlgate::mcp {

namespace {

constexpr size_t kMaxIdBytes = 256;

bool IsNumberChar(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

}  // namespace

void TopLevelIdScanner::Feed(std::string_view bytes) {
  for (char c : bytes) {
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
        if (capture_ == Capture::kKey) {
          after_id_key_ = key_ == "id";
        } else if (capture_ == Capture::kIdValue) {
          value_ += '"';
          if (id_.empty() && value_.size() <= kMaxIdBytes) id_ = value_;
        }
        capture_ = Capture::kNone;
        continue;
      }
      // Keys need only their first bytes ("id" vs. anything longer).
      if (capture_ == Capture::kKey && key_.size() < 3) key_ += c;
      if (capture_ == Capture::kIdValue && value_.size() <= kMaxIdBytes) value_ += c;
      continue;
    }
    if (capture_ == Capture::kIdValue && value_is_number_) {
      if (IsNumberChar(c)) {
        if (value_.size() <= kMaxIdBytes) value_ += c;
        continue;
      }
      if (id_.empty() && value_.size() <= kMaxIdBytes) id_ = value_;
      capture_ = Capture::kNone;
      value_is_number_ = false;
    }
    switch (c) {
      case '"':
        in_string_ = true;
        if (depth_ == 1 && expect_key_) {
          capture_ = Capture::kKey;
          key_.clear();
          expect_key_ = false;
        } else if (depth_ == 1 && after_id_key_) {
          capture_ = Capture::kIdValue;
          value_.assign(1, '"');
          after_id_key_ = false;
        }
        break;
      case '{':
      case '[':
        if (depth_ == 1) after_id_key_ = false;  // an object or array id is not an id
        ++depth_;
        if (c == '{' && depth_ == 1) expect_key_ = true;
        break;
      case '}':
      case ']':
        --depth_;
        break;
      case ',':
        if (depth_ == 1) {
          expect_key_ = true;
          after_id_key_ = false;
        }
        break;
      case ':':
      case ' ':
      case '\t':
      case '\r':
      case '\n':
        break;
      default:
        if (depth_ == 1 && after_id_key_) {
          after_id_key_ = false;
          if ((c >= '0' && c <= '9') || c == '-') {
            capture_ = Capture::kIdValue;
            value_is_number_ = true;
            value_.assign(1, c);
          }
        }
        break;
    }
  }
}

void LineFramer::Feed(std::string_view bytes, const std::function<void(Frame)>& on_frame) {
  size_t pos = 0;
  while (pos < bytes.size()) {
    const size_t newline = bytes.find('\n', pos);
    const std::string_view chunk = bytes.substr(
        pos, newline == std::string_view::npos ? std::string_view::npos : newline - pos);
    if (skipping_) {
      scanner_.Feed(chunk);
      skipped_ += chunk.size();
    } else if (buffer_.size() + chunk.size() > max_bytes_) {
      // Over the limit: stop keeping the line, keep only what identifies it.
      skipping_ = true;
      scanner_ = TopLevelIdScanner{};
      scanner_.Feed(buffer_);
      scanner_.Feed(chunk);
      skipped_ = buffer_.size() + chunk.size();
      std::string().swap(buffer_);
    } else {
      buffer_.append(chunk);
    }
    if (newline == std::string_view::npos) break;
    if (skipping_) {
      Frame frame;
      frame.oversize = true;
      frame.bytes = skipped_;
      frame.id = scanner_.id();
      skipping_ = false;
      skipped_ = 0;
      on_frame(std::move(frame));
    } else {
      EmitLine(on_frame);
    }
    pos = newline + 1;
  }
}

void LineFramer::EmitLine(const std::function<void(Frame)>& on_frame) {
  if (IsBlank(buffer_)) {
    buffer_.clear();
    return;
  }
  if (buffer_.back() == '\r') buffer_.pop_back();
  Frame frame;
  frame.bytes = buffer_.size();
  frame.text = std::move(buffer_);
  buffer_.clear();
  on_frame(std::move(frame));
}

}  // namespace hitlgate::mcp
