#include "storage/sql/article_index.h"

#include <mutex>

#include "hitlgate/assist/article_query.h"

namespace hitlgate::store::sql {
namespace {

class SqlArticleIndex final : public assist::ArticleIndex {
 public:
  SqlArticleIndex(std::unique_ptr<Session> session, ArticleSearch search)
      : session_(std::move(session)),
        search_(std::move(search)),
        insert_("INSERT INTO " + search_.table + "(id, title, body) VALUES($1, $2, $3)") {}

  Result<void> Replace(const std::vector<assist::Article>& articles) override {
    std::lock_guard lock(mu_);
    HITLGATE_RETURN_IF_ERROR(session_->Exec("BEGIN"));
    auto fail = [&](Error e) -> Result<void> {
      (void)session_->Exec("ROLLBACK");
      return std::unexpected(std::move(e));
    };
    if (auto r = session_->Exec("DELETE FROM " + search_.table); !r) return fail(r.error());
    for (const assist::Article& a : articles) {
      if (auto r = session_->Query(insert_, Params::Of(a.id, a.title, a.body)); !r) return fail(r.error());
    }
    HITLGATE_RETURN_IF_ERROR(session_->Exec("COMMIT"));
    rarity_ = assist::WordRarity(articles);
    return {};
  }

  Result<std::vector<assist::ArticleHit>> Search(std::string_view conversation, int k) const override {
    std::vector<assist::ArticleHit> hits;
    if (k <= 0) return hits;
    std::lock_guard lock(mu_);
    const std::vector<std::string> words = rarity_.Pick(conversation);
    if (words.empty()) return hits;
    auto [sql, params] = search_.search(words, k);
    auto rows = session_->Query(sql, params);
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
  std::unique_ptr<Session> session_;
  const ArticleSearch search_;
  const std::string insert_;
  assist::WordRarity rarity_;
};

}  // namespace

std::unique_ptr<assist::ArticleIndex> NewArticleIndex(std::unique_ptr<Session> session, ArticleSearch search) {
  return std::make_unique<SqlArticleIndex>(std::move(session), std::move(search));
}

}  // namespace hitlgate::store::sql
