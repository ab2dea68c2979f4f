// ArticleIndex: full-text search over knowledge articles with a database's
// own engine (SQLite FTS5 with bm25 ranking: hitlgate/store/sqlite_article_index.h).
// The query is the conversation itself: its most distinctive content words
// (those in the fewest articles), any of which may match; the best-ranked
// articles come back with the matching words marked.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hitlgate/assist/knowledge.h"
#include "hitlgate/common/error.h"

namespace hitlgate::assist {

struct ArticleHit {
  std::string id;
  std::string title;
  double score = 0;     // higher is better (bm25, sign flipped)
  std::string snippet;  // the best-matching stretch of the body
  std::vector<std::pair<size_t, size_t>> marks;  // [begin, end) byte ranges of matched words in snippet
  std::vector<std::string> matched_words;        // as they appear in the snippet, lower case, once each
};

class ArticleIndex {
 public:
  virtual ~ArticleIndex() = default;
  // Replaces every article with `articles` (atomically: a failed call keeps the old set).
  [[nodiscard]] virtual Result<void> Replace(const std::vector<Article>& articles) = 0;
  // The k best articles for the conversation; empty when no word matches. Thread-safe.
  [[nodiscard]] virtual Result<std::vector<ArticleHit>> Search(std::string_view conversation, int k) const = 0;
};

// The words of `conversation` worth searching for: lower case, letters and
// digits, 3+ characters, common English words left out, each once, at most
// `most` (the last ones: the newest part of the conversation).
std::vector<std::string> SearchWords(std::string_view conversation, size_t most = 64);

}  // namespace hitlgate::assist
