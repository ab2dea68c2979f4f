// The knowledge articles' full-text index (assist::ArticleIndex), written
// once over sql::Session: Replace swaps the whole set in one transaction,
// Search asks the engine's own full-text search (SQLite FTS5 in memory,
// PostgreSQL tsvector in the shared database) for the conversation's rarest
// words. What differs per engine is ArticleSearch. Internal to src/storage.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "hitlgate/assist/article_index.h"
#include "storage/sql/session.h"

namespace hitlgate::store::sql {

struct ArticleSearch {
  // The table of (id, title, body) that Replace fills.
  std::string table;
  // The statement, with its parameters, that returns the k best articles
  // for `words` as rows of id, title, score, snippet with the matches
  // between assist::kMarkOpen and kMarkClose.
  std::function<std::pair<std::string, Params>(const std::vector<std::string>& words, int k)> search;
};

std::unique_ptr<assist::ArticleIndex> NewArticleIndex(std::unique_ptr<Session> session, ArticleSearch search);

}  // namespace hitlgate::store::sql
