#include "hitlgate/store/postgres_article_index.h"

#include <mutex>

#include "hitlgate/assist/article_query.h"
#include "storage/postgres/connection.h"

namespace hitlgate::store {
namespace {

using postgres::Params;

// ts_rank's weights are {D, C, B, A}: the title (A) counts twice the body (B).
// Snippets are built for the k rows kept only.
constexpr char kSearch[] =
    "SELECT id, title, score, ts_headline('english', body, q, $3) FROM ("
    "  SELECT id, title, body, q, ts_rank('{0.1, 0.2, 0.5, 1.0}', search, q) AS score"
    "  FROM knowledge_articles, websearch_to_tsquery('english', $1) AS q"
    "  WHERE search @@ q ORDER BY score DESC, id LIMIT $2) AS best "
    "ORDER BY score DESC, id";

class PostgresArticleIndex final : public assist::ArticleIndex {
 public:
  explicit PostgresArticleIndex(std::unique_ptr<postgres::Connection> conn) : conn_(std::move(conn)) {}

  Result<void> Replace(const std::vector<assist::Article>& articles) override {
    std::lock_guard lock(mu_);
    HITLGATE_RETURN_IF_ERROR(conn_->Exec("BEGIN"));
    auto fail = [&](Error e) -> Result<void> {
      (void)conn_->Exec("ROLLBACK");
      return std::unexpected(std::move(e));
    };
    if (auto r = conn_->Exec("DELETE FROM knowledge_articles"); !r) return fail(r.error());
    for (const assist::Article& a : articles) {
      if (auto r = conn_->Query("INSERT INTO knowledge_articles(id, title, body) VALUES($1, $2, $3)",
                                Params::Of(a.id, a.title, a.body));
          !r) {
        return fail(r.error());
      }
    }
    HITLGATE_RETURN_IF_ERROR(conn_->Exec("COMMIT"));
    rarity_ = assist::WordRarity(articles);
    return {};
  }

  Result<std::vector<assist::ArticleHit>> Search(std::string_view conversation, int k) const override {
    std::vector<assist::ArticleHit> hits;
    if (k <= 0) return hits;
    std::lock_guard lock(mu_);
    // websearch syntax: "a OR b"; the words are letters and digits only.
    std::string query;
    for (const std::string& w : rarity_.Pick(conversation)) query += (query.empty() ? "" : " OR ") + w;
    if (query.empty()) return hits;
    const std::string headline = std::string("StartSel=") + assist::kMarkOpen + ", StopSel=" + assist::kMarkClose +
                                 ", MaxWords=24, MinWords=8, ShortWord=2";
    auto rows = conn_->Query(kSearch, Params::Of(query, k, headline));
    HITLGATE_RETURN_IF_ERROR(rows);
    for (int i = 0; i < rows->size(); ++i) {
      assist::ArticleHit hit;
      hit.id = rows->Text(i, 0);
      hit.title = rows->Text(i, 1);
      hit.score = std::stod(rows->Text(i, 2));
      assist::ReadMarkedSnippet(rows->Text(i, 3), hit);
      hits.push_back(std::move(hit));
    }
    return hits;
  }

 private:
  mutable std::mutex mu_;  // a connection is one thread's at a time
  std::unique_ptr<postgres::Connection> conn_;
  assist::WordRarity rarity_;
};

}  // namespace

Result<std::unique_ptr<assist::ArticleIndex>> OpenPostgresArticleIndex(const std::string& url,
                                                                       const std::string& schema) {
  auto conn = postgres::Connection::Open({url, schema});
  HITLGATE_RETURN_IF_ERROR(conn);
  return std::unique_ptr<assist::ArticleIndex>(new PostgresArticleIndex(std::move(*conn)));
}

}  // namespace hitlgate::store
