// LineReader: reads a stream line by line in large blocks (fread), much
// faster than std::getline for the million-line files `decide` and `replay`
// chew through. Lines are returned without the trailing "\n" or "\r\n".
// Not thread-safe.
#pragma once

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace hitlgate::cli {

class LineReader {
 public:
  explicit LineReader(std::FILE* in, size_t block = 1 << 20) : in_(in), buf_(block) {}

  // False at end of input. The view is valid until the next call.
  bool Next(std::string_view* line) {
    for (;;) {
      const char* begin = buf_.data() + pos_;
      const char* end = buf_.data() + len_;
      const void* nl = pos_ < len_ ? std::memchr(begin, '\n', end - begin) : nullptr;
      if (nl != nullptr) {
        const char* stop = static_cast<const char*>(nl);
        size_t n = stop - begin;
        pos_ += n + 1;
        return Emit(std::string_view(begin, n), line);
      }
      if (eof_) {
        if (pos_ >= len_) return false;
        std::string_view rest(begin, len_ - pos_);
        pos_ = len_;
        return Emit(rest, line);
      }
      Refill();
    }
  }

 private:
  bool Emit(std::string_view l, std::string_view* line) {
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    *line = l;
    return true;
  }

  void Refill() {
    // Keep the unfinished line at the front; grow when one line is larger
    // than the whole buffer.
    size_t keep = len_ - pos_;
    if (keep > 0 && pos_ > 0) std::memmove(buf_.data(), buf_.data() + pos_, keep);
    pos_ = 0;
    len_ = keep;
    if (len_ == buf_.size()) buf_.resize(buf_.size() * 2);
    size_t got = std::fread(buf_.data() + len_, 1, buf_.size() - len_, in_);
    len_ += got;
    if (got == 0) eof_ = true;
  }

  std::FILE* in_;
  std::vector<char> buf_;
  size_t pos_ = 0;
  size_t len_ = 0;
  bool eof_ = false;
};

}  // namespace hitlgate::cli
