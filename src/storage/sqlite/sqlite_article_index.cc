#include "hitlgate/store/sqlite_article_index.h"

#include "storage/sql/article_index.h"
#include "storage/sqlite/sql_session.h"

namespace hitlgate::store {

Result<std::unique_ptr<assist::ArticleIndex>> OpenSqliteArticleIndex() {
  auto conn = sqlite::Connection::Open(":memory:");
  HITLGATE_RETURN_IF_ERROR(conn);
  // rank: bm25 with a title match worth twice a body match.
  if (auto r = (*conn)->Exec(
          "CREATE VIRTUAL TABLE articles USING fts5(id UNINDEXED, title, body, tokenize = 'porter unicode61');"
          "INSERT INTO articles(articles, rank) VALUES('rank', 'bm25(0.0, 2.0, 1.0)')");
      !r) {
    return MakeError(ErrorCode::kUnavailable, "this SQLite has no FTS5: " + r.error().message());
  }
  sql::ArticleSearch search{
      .table = "articles",
      .search = [](const std::vector<std::string>& words, int k) {
        // An FTS5 OR query of quoted words (words, never syntax). ORDER BY
        // rank ... LIMIT lets FTS5 rank first and build snippets for the k
        // rows kept only (with ORDER BY bm25() it builds every row's).
        std::string query;
        for (const std::string& w : words) query += (query.empty() ? "\"" : " OR \"") + w + "\"";
        return std::pair(std::string("SELECT id, title, -rank, snippet(articles, 2, char(2), char(3), '...', 24) "
                                     "FROM articles WHERE articles MATCH $1 ORDER BY rank LIMIT $2"),
                         sql::Params::Of(query, k));
      }};
  return sql::NewArticleIndex(std::make_unique<sqlite::OwningSqlSession>(std::move(*conn)), std::move(search));
}

}  // namespace hitlgate::store
