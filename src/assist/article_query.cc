#include "hitlgate/assist/article_query.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>

namespace hitlgate::assist {
namespace {

constexpr size_t kQueryWords = 8;
constexpr size_t kCommonWordFallback = 3;

// Close enough to the engines' English stemmers to count a word's articles:
// "refunds", "refunded" and "refunding" share "refund".
std::string Root(std::string word) {
  for (std::string_view suffix : {"ing", "ed", "es", "s"}) {
    if (word.size() > suffix.size() + 3 && word.ends_with(suffix)) return word.substr(0, word.size() - suffix.size());
  }
  return word;
}

}  // namespace

WordRarity::WordRarity(const std::vector<Article>& articles) : article_count_(articles.size()) {
  for (const Article& a : articles) {
    std::set<std::string> roots;
    for (const std::string& w : SearchWords(a.title + " " + a.body, SIZE_MAX)) roots.insert(Root(w));
    for (const std::string& r : roots) ++articles_with_[r];
  }
}

std::vector<std::string> WordRarity::Pick(std::string_view conversation) const {
  const std::vector<std::string> words = SearchWords(conversation);
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
  std::vector<std::string> picked;
  for (size_t i = 0; i < keep; ++i) picked.push_back(words[words.size() - ranked[i].second]);
  return picked;
}

void ReadMarkedSnippet(const std::string& marked, ArticleHit& hit) {
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

}  // namespace hitlgate::assist
