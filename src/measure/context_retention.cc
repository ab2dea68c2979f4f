// Handoff context retention; see context_retention.h for the rules.
#include "hitlgate/measure/context_retention.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace hitlgate::measure {
namespace {

constexpr double kOverlapShare = 0.6;
constexpr size_t kMinProblemTokens = 5;

constexpr std::array<std::string_view, 64> kStopWords = {
    "the", "and", "for", "you", "your", "are", "was", "but", "not", "this", "that", "with",
    "have", "has", "had", "can", "could", "would", "should", "will", "just", "what", "when",
    "where", "which", "who", "how", "why", "there", "their", "they", "them", "then", "than",
    "from", "into", "about", "been", "being", "did", "does", "doing", "its", "it's", "i'm",
    "im", "please", "thanks", "thank", "hello", "hi", "hey", "yes", "okay", "still", "again",
    "also", "some", "any", "all", "our", "out", "get"};

bool TokenChar(unsigned char c) {
  return std::isalnum(c) || c == '@' || c == '#' || c == '_' || c == '-' || c == '.' || c == '\'' ||
         c >= 0x80;
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

std::vector<std::string> Tokenize(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    // Sentence punctuation at the ends is not part of the token.
    while (!cur.empty() && (cur.back() == '.' || cur.back() == '-' || cur.back() == '\'')) cur.pop_back();
    size_t start = 0;
    while (start < cur.size() && (cur[start] == '.' || cur[start] == '-' || cur[start] == '\'')) ++start;
    if (start < cur.size()) out.push_back(cur.substr(start));
    cur.clear();
  };
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (TokenChar(c)) {
      cur.push_back(static_cast<char>(std::tolower(c)));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

bool IsIdentifier(std::string_view token) {
  const bool email = token.find('@') != std::string_view::npos && token.find('.') != std::string_view::npos;
  if (email) return true;
  const size_t digits = std::count_if(token.begin(), token.end(),
                                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  // Mostly digits ("#W2378156", "12345678", "555-0134"), not words that
  // happen to hold one ("covid19").
  const size_t length = token.size() - (token[0] == '#' ? 1 : 0);
  return digits > 0 && token.size() >= 4 && digits * 2 >= length;
}

bool IsContentWord(std::string_view token) {
  if (token.size() < 3) return false;
  return std::find(kStopWords.begin(), kStopWords.end(), token) == kStopWords.end();
}

void HandoffContext::AddCustomerMessage(std::string_view text) {
  for (std::string& t : Tokenize(text)) {
    if (IsIdentifier(t)) {
      if (!Contains(identifiers_, t)) identifiers_.push_back(t);
    } else if (IsContentWord(t) && !Contains(problem_tokens_, t)) {
      problem_tokens_.push_back(std::move(t));
    }
  }
}

void HandoffContext::AddSlot(std::string_view name, std::string_view value) {
  Slot slot;
  slot.name = std::string(name);
  for (std::string& t : Tokenize(value)) {
    if (IsIdentifier(t)) {
      if (!Contains(identifiers_, t)) identifiers_.push_back(t);
      slot.tokens.push_back(t);
    } else if (IsContentWord(t) || std::all_of(t.begin(), t.end(), [](char c) {
                 return std::isdigit(static_cast<unsigned char>(c));
               })) {
      slot.tokens.push_back(std::move(t));  // house numbers count inside an address
    }
  }
  if (!slot.tokens.empty()) slots_.push_back(std::move(slot));
}

RepetitionFinding HandoffContext::Check(std::string_view message) const {
  RepetitionFinding f;
  const std::vector<std::string> tokens = Tokenize(message);
  for (const std::string& t : tokens) {
    if (IsIdentifier(t) && Contains(identifiers_, t)) {
      return {true, "identifier", t};
    }
  }
  for (const Slot& slot : slots_) {
    if (slot.tokens.size() < 2) continue;  // single identifiers were checked above
    size_t hit = 0;
    for (const std::string& t : slot.tokens) hit += Contains(tokens, t) ? 1 : 0;
    if (hit >= 2 && hit >= kOverlapShare * slot.tokens.size()) return {true, "slot", slot.name};
  }
  std::vector<std::string> content;
  for (const std::string& t : tokens) {
    if (IsContentWord(t) && !IsIdentifier(t) && !Contains(content, t)) content.push_back(t);
  }
  if (content.size() >= kMinProblemTokens) {
    std::string overlap;
    size_t hit = 0;
    for (const std::string& t : content) {
      if (Contains(problem_tokens_, t)) {
        ++hit;
        overlap += (overlap.empty() ? "" : " ") + t;
      }
    }
    if (hit >= kOverlapShare * content.size()) return {true, "problem", overlap};
  }
  return f;
}

}  // namespace hitlgate::measure
