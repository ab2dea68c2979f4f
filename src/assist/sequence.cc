#include "assist/sequence.h"

#include <algorithm>

namespace hitlgate::assist {

size_t LongestCommonSubsequence(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<size_t> row(b.size() + 1, 0), next(b.size() + 1, 0);
  for (const std::string& x : a) {
    for (size_t j = 0; j < b.size(); ++j) next[j + 1] = x == b[j] ? row[j] + 1 : std::max(row[j + 1], next[j]);
    std::swap(row, next);
  }
  return row[b.size()];
}

std::vector<std::string> StepActions(const Procedure& p) {
  std::vector<std::string> out;
  for (const ProcedureStep& s : p.steps) out.push_back(s.action);
  return out;
}

size_t NextStepIndex(const Procedure& p, const std::vector<std::string>& done) {
  size_t next = 0;
  for (const std::string& action : done) {
    for (size_t i = next; i < p.steps.size(); ++i) {
      if (p.steps[i].action == action) {
        next = i + 1;
        break;
      }
    }
  }
  return next;
}

}  // namespace hitlgate::assist
