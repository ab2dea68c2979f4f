// What both full-text ArticleIndex implementations (SQLite FTS5,
// PostgreSQL) share: which of a conversation's words to search for, and
// reading the engine's marked snippet back into an ArticleHit.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hitlgate/assist/article_index.h"

namespace hitlgate::assist {

// How many articles have each word (by a rough stem): a whole conversation
// OR-ed together makes nearly every article a match, its most distinctive
// words rank the same few.
class WordRarity {
 public:
  explicit WordRarity(const std::vector<Article>& articles);
  WordRarity() = default;
  // At most 8 of the conversation's words found in the fewest articles
  // (newest first on ties); words in no article are left out. A word in
  // more than a tenth of the articles only when nothing rarer matches (it
  // tells little and makes the engine visit every article that has it).
  std::vector<std::string> Pick(std::string_view conversation) const;

 private:
  std::unordered_map<std::string, int> articles_with_;  // stem -> how many articles have it
  size_t article_count_ = 0;
};

// The engines mark matches between these two characters in snippets.
inline constexpr char kMarkOpen = '\x02';
inline constexpr char kMarkClose = '\x03';
// Takes the marks out of `marked` into hit.snippet, hit.marks and hit.matched_words.
void ReadMarkedSnippet(const std::string& marked, ArticleHit& hit);

}  // namespace hitlgate::assist
