#include "hitlgate/store/sqlite_article_index.h"

#include <mutex>

#include "hitlgate/assist/article_query.h"
#include "storage/sqlite/connection.h"

namespace hitlgate::store {
namespace {

class SqliteArticleIndex final : public assist::ArticleIndex {
 public:
  explicit SqliteArticleIndex(std::unique_ptr<sqlite::Connection> conn) : conn_(std::move(conn)) {}

  Result<void> Replace(const std::vector<assist::Article>& articles) override {
    std::lock_guard lock(mu_);
    HITLGATE_RETURN_IF_ERROR(conn_->Exec("BEGIN"));
    auto fail = [&](Error e) -> Result<void> {
      (void)conn_->Exec("ROLLBACK");
      return std::unexpected(std::move(e));
    };
    if (auto r = conn_->Exec("DELETE FROM articles"); !r) return fail(r.error());
    for (const assist::Article& a : articles) {
      auto st = conn_->Prepare("INSERT INTO articles(id, title, body) VALUES(?1, ?2, ?3)");
      if (!st) return fail(st.error());
      if (auto r = st->BindAll(a.id, a.title, a.body).Run(); !r) return fail(r.error());
    }
    HITLGATE_RETURN_IF_ERROR(conn_->Exec("COMMIT"));
    rarity_ = assist::WordRarity(articles);
    return {};
  }

  Result<std::vector<assist::ArticleHit>> Search(std::string_view conversation, int k) const override {
    std::vector<assist::ArticleHit> hits;
    if (k <= 0) return hits;
    std::lock_guard lock(mu_);
    const std::string query = Query(conversation);
    if (query.empty()) return hits;
    // ORDER BY rank ... LIMIT lets FTS5 rank first and build snippets for
    // the k rows kept only (with ORDER BY bm25() SQLite builds every row's).
    auto st = conn_->Prepare(
        "SELECT id, title, -rank, snippet(articles, 2, char(2), char(3), '...', 24) "
        "FROM articles WHERE articles MATCH ?1 ORDER BY rank LIMIT ?2");
    HITLGATE_RETURN_IF_ERROR(st);
    st->BindAll(query, k);
    while (true) {
      auto row = st->Step();
      HITLGATE_RETURN_IF_ERROR(row);
      if (!*row) break;
      assist::ArticleHit hit;
      hit.id = st->Text(0);
      hit.title = st->Text(1);
      hit.score = std::stod(st->Text(2));
      assist::ReadMarkedSnippet(st->Text(3), hit);
      hits.push_back(std::move(hit));
    }
    return hits;
  }

  // The rarest words as an FTS5 OR query (quoted: words, never syntax).
  std::string Query(std::string_view conversation) const {
    std::string query;
    for (const std::string& w : rarity_.Pick(conversation)) query += (query.empty() ? "\"" : " OR \"") + w + "\"";
    return query;
  }

 private:
  mutable std::mutex mu_;  // a connection is one thread's at a time
  std::unique_ptr<sqlite::Connection> conn_;
  assist::WordRarity rarity_;
};

}  // namespace

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
  return std::unique_ptr<assist::ArticleIndex>(new SqliteArticleIndex(std::move(*conn)));
}

}  // namespace hitlgate::store
