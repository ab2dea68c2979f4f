// The PostgreSQL ArticleIndex, for gateways whose store is PostgreSQL: the
// served articles in the store's knowledge_articles table, searched with the
// database's full-text search ('english' configuration: to_tsvector,
// websearch_to_tsquery, ts_rank with a title match worth twice a body match,
// ts_headline for the snippet). The table is the cluster's: every node
// writes the articles of the version it serves when it starts or activates
// one (docs/assist.md).
#pragma once

#include <memory>
#include <string>

#include "hitlgate/assist/article_index.h"

namespace hitlgate::store {

// `url` and `schema` as the PostgresStore that migrated the tables was
// opened with. Unavailable: the server cannot be reached.
[[nodiscard]] Result<std::unique_ptr<assist::ArticleIndex>> OpenPostgresArticleIndex(const std::string& url,
                                                                                     const std::string& schema = "");

}  // namespace hitlgate::store
