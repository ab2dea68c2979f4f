// The conversation as a search: its content words, the newest kept.
#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

#include "hitlgate/assist/article_index.h"

namespace hitlgate::assist {
namespace {

// Words so common in support chats that they would match every article.
const std::set<std::string_view> kCommon = {
    "the",   "and",   "for",    "you",   "your",  "yes",   "that",  "this",  "with",  "have",  "can",   "are",
    "was",   "not",   "but",    "what",  "how",   "may",   "help",  "hello", "thank", "thanks", "please", "would",
    "could", "will",  "there",  "they",  "them",  "then",  "than",  "just",  "like",  "want",  "need",  "know",
    "get",   "got",   "let",    "sure",  "okay",  "one",   "all",   "any",   "from",  "about", "into",  "out",
    "today", "great", "good",   "sorry", "hear",  "also",  "has",   "had",   "did",   "does",  "were",  "been",
    "our",   "its",   "it's",   "i'm",   "i'll",  "don't", "can't", "see",   "moment", "day",  "nice",  "well",
    "way",   "some",  "much",   "very",  "really", "here", "when",  "where", "which", "who",   "why",   "too"};

}  // namespace

std::vector<std::string> SearchWords(std::string_view conversation, size_t most) {
  std::vector<std::string> words;
  std::string word;
  auto finish = [&] {
    if (word.size() >= 3 && !kCommon.contains(word)) words.push_back(word);
    word.clear();
  };
  for (char c : conversation) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      finish();
    }
  }
  finish();
  // Newest first, each once, then back in conversation order.
  std::vector<std::string> kept;
  std::set<std::string> seen;
  for (auto it = words.rbegin(); it != words.rend() && kept.size() < most; ++it) {
    if (seen.insert(*it).second) kept.push_back(*it);
  }
  std::reverse(kept.begin(), kept.end());
  return kept;
}

}  // namespace hitlgate::assist
