#include "hitlgate/store/sqlite_article_index.h"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <set>

#include "storage/sqlite/connection.h"

namespace hitlgate::store {
namespace {

constexpr char kMarkOpen = '\x02';
constexpr char kMarkClose = '\x03';

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
    return conn_->Exec("COMMIT");
  }

  Result<std::vector<assist::ArticleHit>> Search(std::string_view conversation, int k) const override {
    const std::vector<std::string> words = assist::SearchWords(conversation);
    std::vector<assist::ArticleHit> hits;
    if (words.empty() || k <= 0) return hits;
    std::string query;
    for (const std::string& w : words) query += (query.empty() ? "\"" : " OR \"") + w + "\"";
    std::lock_guard lock(mu_);
    auto st = conn_->Prepare(
        "SELECT id, title, -bm25(articles, 0.0, 2.0, 1.0), "
        "snippet(articles, 2, char(2), char(3), '...', 24) "
        "FROM articles WHERE articles MATCH ?1 ORDER BY bm25(articles, 0.0, 2.0, 1.0) LIMIT ?2");
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
      Unmark(st->Text(3), hit);
      hits.push_back(std::move(hit));
    }
    return hits;
  }

  // The snippet comes with the matches between two control characters:
  // take them out and keep where they were.
  static void Unmark(const std::string& marked, assist::ArticleHit& hit) {
    std::set<std::string> seen;
    size_t begin = 0;
    for (char c : marked) {
      if (c == kMarkOpen) {
        begin = hit.snippet.size();
      } else if (c == kMarkClose) {
        hit.marks.emplace_back(begin, hit.snippet.size());
        std::string word = hit.snippet.substr(begin);
        std::transform(word.begin(), word.end(), word.begin(), [](unsigned char ch) { return std::tolower(ch); });
        if (seen.insert(word).second) hit.matched_words.push_back(std::move(word));
      } else {
        hit.snippet += c;
      }
    }
  }

 private:
  mutable std::mutex mu_;  // a connection is one thread's at a time
  std::unique_ptr<sqlite::Connection> conn_;
};

}  // namespace

Result<std::unique_ptr<assist::ArticleIndex>> OpenSqliteArticleIndex() {
  auto conn = sqlite::Connection::Open(":memory:");
  HITLGATE_RETURN_IF_ERROR(conn);
  if (auto r = (*conn)->Exec(
          "CREATE VIRTUAL TABLE articles USING fts5(id UNINDEXED, title, body, tokenize = 'porter unicode61')");
      !r) {
    return MakeError(ErrorCode::kUnavailable, "this SQLite has no FTS5: " + r.error().message());
  }
  return std::unique_ptr<assist::ArticleIndex>(new SqliteArticleIndex(std::move(*conn)));
}

}  // namespace hitlgate::store
