#include "hitlgate/store/postgres_article_index.h"

#include "hitlgate/assist/article_query.h"
#include "storage/postgres/sql_session.h"
#include "storage/sql/article_index.h"

namespace hitlgate::store {

Result<std::unique_ptr<assist::ArticleIndex>> OpenPostgresArticleIndex(const std::string& url,
                                                                       const std::string& schema) {
  auto conn = postgres::Connection::Open({url, schema});
  HITLGATE_RETURN_IF_ERROR(conn);
  sql::ArticleSearch search{
      .table = "knowledge_articles",
      .search = [](const std::vector<std::string>& words, int k) {
        // websearch syntax: "a OR b"; the words are letters and digits only.
        std::string query;
        for (const std::string& w : words) query += (query.empty() ? "" : " OR ") + w;
        const std::string headline = std::string("StartSel=") + assist::kMarkOpen + ", StopSel=" +
                                     assist::kMarkClose + ", MaxWords=24, MinWords=8, ShortWord=2";
        // ts_rank's weights are {D, C, B, A}: the title (A) counts twice the
        // body (B). Snippets are built for the k rows kept only.
        return std::pair(std::string("SELECT id, title, score, ts_headline('english', body, q, $3) FROM ("
                                     "  SELECT id, title, body, q, ts_rank('{0.1, 0.2, 0.5, 1.0}', search, q) AS score"
                                     "  FROM knowledge_articles, websearch_to_tsquery('english', $1) AS q"
                                     "  WHERE search @@ q ORDER BY score DESC, id LIMIT $2) AS best "
                                     "ORDER BY score DESC, id"),
                         sql::Params::Of(query, k, headline));
      }};
  return sql::NewArticleIndex(std::make_unique<postgres::OwningSqlSession>(std::move(*conn)), std::move(search));
}

}  // namespace hitlgate::store
