// Mapping a member model's label order onto the ensemble's sorted labels.
// Internal to src/triage.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace hitlgate::triage {

// Where each of `names` sits in the sorted `labels` (-1: nowhere).
inline std::vector<int> IndexIn(const std::vector<std::string>& labels, const std::vector<std::string>& names) {
  std::vector<int> out;
  out.reserve(names.size());
  for (const auto& n : names) {
    auto it = std::lower_bound(labels.begin(), labels.end(), n);
    out.push_back(it != labels.end() && *it == n ? static_cast<int>(it - labels.begin()) : -1);
  }
  return out;
}

}  // namespace hitlgate::triage
