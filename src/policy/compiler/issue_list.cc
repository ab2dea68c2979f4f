// IssueList, DidYouMean and Issue::ToString.
#include "policy/compiler/issue_list.h"

#include <algorithm>

namespace hitlgate::policy {

std::string Issue::ToString() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line) + ":" + std::to_string(column > 0 ? column : 1);
  }
  out += severity == Severity::kError ? ": error: " : ": warning: ";
  out += message;
  return out;
}

namespace compiler {

void IssueList::Add(Issue::Severity severity, Pos at, std::string code, std::string message) {
  if (severity == Issue::Severity::kError) ++errors_;
  Issue issue;
  issue.severity = severity;
  issue.file = file_;
  issue.line = at.line;
  issue.column = at.column;
  issue.code = std::move(code);
  issue.message = std::move(message);
  issues_.push_back(std::move(issue));
}

std::vector<Issue> IssueList::Take() {
  std::stable_sort(issues_.begin(), issues_.end(), [](const Issue& a, const Issue& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  errors_ = 0;
  return std::move(issues_);
}

namespace {

// Levenshtein distance with two rows; inputs are short names.
std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > 64) return "";
  // Allow roughly one typo per three characters, at least one, at most three.
  const std::size_t limit = std::clamp<std::size_t>(word.size() / 3, 1, 3);
  const std::string* best = nullptr;
  std::size_t best_distance = limit + 1;
  for (const std::string& c : candidates) {
    const std::size_t d = EditDistance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = &c;
    }
  }
  return best == nullptr ? "" : " (did you mean '" + *best + "'?)";
}

}  // namespace compiler
}  // namespace hitlgate::policy
