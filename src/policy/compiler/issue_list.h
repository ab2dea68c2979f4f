// IssueList: collects every problem found while checking and compiling one
// policy (or case file), each with file:line:column and a stable code. The
// checker never stops at the first problem. Single-threaded; owned by one
// compilation.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hitlgate/policy/policy.h"

namespace hitlgate::policy::compiler {

// A place in the source: 1-based line and column; 0 when unknown.
struct Pos {
  int line = 0;
  int column = 0;
};

class IssueList {
 public:
  explicit IssueList(std::string file) : file_(std::move(file)) {}

  void Error(Pos at, std::string code, std::string message) {
    Add(Issue::Severity::kError, at, std::move(code), std::move(message));
  }
  void Warning(Pos at, std::string code, std::string message) {
    Add(Issue::Severity::kWarning, at, std::move(code), std::move(message));
  }
  bool has_errors() const { return errors_ > 0; }
  const std::string& file() const { return file_; }
  // The issues in file order (line, then column, then when found).
  std::vector<Issue> Take();

 private:
  void Add(Issue::Severity severity, Pos at, std::string code, std::string message);

  std::string file_;
  std::vector<Issue> issues_;
  int errors_ = 0;
};

// " (did you mean 'x'?)" when a candidate is within a small edit distance of
// `word`, else "". Candidates are tried in order; the closest wins.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace hitlgate::policy::compiler
