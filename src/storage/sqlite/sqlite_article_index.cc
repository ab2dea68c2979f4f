#include "hitlgate/store/sqlite_article_index.h"

#include <algorithm>
#include <cstdint>
#include <cctype>
#include <mutex>
#include <set>
#include <unordered_map>

#include "storage/sqlite/connection.h"

namespace hitlgate::store {
namespace {

constexpr char kMarkOpen = '\x02';
constexpr char kMarkClose = '\x03';
// A whole conversation OR-ed together makes nearly every article a match and
// bm25 then ranks them all; its most distinctive words rank the same few.
// A word in more than a tenth of the articles tells little (bm25 gives it a
// low weight) but makes the ranking visit every article that has it, so it
// is searched for only when the conversation has nothing rarer.
constexpr size_t kQueryWords = 8;
constexpr size_t kCommonWordFallback = 3;

// Close enough to FTS5's porter stemmer to count a word's articles:
// "refunds", "refunded" and "refunding" share "refund".
std::string Root(std::string word) {
  for (std::string_view suffix : {"ing", "ed", "es", "s"}) {
    if (word.size() > suffix.size() + 3 && word.ends_with(suffix)) return word.substr(0, word.size() - suffix.size());
  }
  return word;
}

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
    std::unordered_map<std::string, int> articles_with;
    for (const assist::Article& a : articles) {
      std::set<std::string> roots;
      for (const std::string& w : assist::SearchWords(a.title + " " + a.body, SIZE_MAX)) roots.insert(Root(w));
      for (const std::string& r : roots) ++articles_with[r];
    }
    for (const assist::Article& a : articles) {
      auto st = conn_->Prepare("INSERT INTO articles(id, title, body) VALUES(?1, ?2, ?3)");
      if (!st) return fail(st.error());
      if (auto r = st->BindAll(a.id, a.title, a.body).Run(); !r) return fail(r.error());
    }
    HITLGATE_RETURN_IF_ERROR(conn_->Exec("COMMIT"));
    articles_with_ = std::move(articles_with);
    article_count_ = articles.size();
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
      Unmark(st->Text(3), hit);
      hits.push_back(std::move(hit));
    }
    return hits;
  }

  // The conversation's words found in the fewest articles (newest first on
  // ties), as an FTS5 OR query; words in no article are left out.
  std::string Query(std::string_view conversation) const {
    const std::vector<std::string> words = assist::SearchWords(conversation);
    std::vector<std::pair<int, size_t>> ranked;  // (articles with it, newest first)
    for (size_t i = 0; i < words.size(); ++i) {
      auto it = articles_with_.find(Root(words[i]));
      if (it != articles_with_.end()) ranked.push_back({it->second, words.size() - i});
    }
    std::sort(ranked.begin(), ranked.end());
    const int common = std::max<int>(3, static_cast<int>(article_count_ / 10));
    size_t keep = 0;
    while (keep < ranked.size() && keep < kQueryWords && ranked[keep].first <= common) ++keep;
    if (keep == 0) keep = std::min(ranked.size(), kCommonWordFallback);
    std::string query;
    for (size_t i = 0; i < keep; ++i) {
      query += (query.empty() ? "\"" : " OR \"") + words[words.size() - ranked[i].second] + "\"";
    }
    return query;
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
  std::unordered_map<std::string, int> articles_with_;  // word root -> how many articles have it
  size_t article_count_ = 0;
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
