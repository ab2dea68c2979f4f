// Word-level diff of a proposal and its final version (LCS on words).
#include <algorithm>
#include <sstream>

#include "hitlgate/learning/feedback.h"

namespace hitlgate::learning {
namespace {

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

void AppendRun(std::string* out, std::string_view open, const std::vector<std::string_view>& words,
               size_t from, size_t to, std::string_view close) {
  if (from >= to) return;
  if (!out->empty()) out->push_back(' ');
  out->append(open);
  for (size_t i = from; i < to; ++i) {
    if (i > from) out->push_back(' ');
    out->append(words[i]);
  }
  out->append(close);
}

}  // namespace

TextDiff DiffTexts(std::string_view before, std::string_view after) {
  TextDiff d;
  const auto a = Words(before);
  const auto b = Words(after);
  d.text_changed = a != b;
  if (!d.text_changed) {
    d.marked = std::string(after);
    d.similarity = 1.0;
    return d;
  }
  constexpr size_t kMaxWords = 4000;
  const size_t n = a.size(), m = b.size();
  std::vector<std::pair<char, size_t>> ops;  // '=', '-', '+' with word index
  if (n <= kMaxWords && m <= kMaxWords) {
    // lcs[i][j]: LCS length of a[i..] and b[j..].
    std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
    for (size_t i = n; i-- > 0;) {
      for (size_t j = m; j-- > 0;) {
        lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i] == b[j]) {
        ops.push_back({'=', i});
        ++i, ++j;
      } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
        ops.push_back({'+', j++});
      } else {
        ops.push_back({'-', i++});
      }
    }
  } else {
    for (size_t i = 0; i < n; ++i) ops.push_back({'-', i});
    for (size_t j = 0; j < m; ++j) ops.push_back({'+', j});
  }
  int common = 0;
  // Group runs: removed words then added words, common words as they are.
  size_t k = 0;
  while (k < ops.size()) {
    if (ops[k].first == '=') {
      if (!d.marked.empty()) d.marked.push_back(' ');
      d.marked.append(a[ops[k].second]);
      ++common;
      ++k;
      continue;
    }
    std::vector<std::string_view> removed, added;
    while (k < ops.size() && ops[k].first != '=') {
      if (ops[k].first == '-') removed.push_back(a[ops[k].second]);
      else added.push_back(b[ops[k].second]);
      ++k;
    }
    AppendRun(&d.marked, "[-", removed, 0, removed.size(), "-]");
    AppendRun(&d.marked, "{+", added, 0, added.size(), "+}");
    d.words_removed += static_cast<int>(removed.size());
    d.words_added += static_cast<int>(added.size());
  }
  d.similarity = n + m == 0 ? 1.0 : 2.0 * common / static_cast<double>(n + m);
  return d;
}

}  // namespace hitlgate::learning
