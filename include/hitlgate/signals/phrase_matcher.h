// PhraseMatcher: one multi-pattern matcher (RE2::Set: linear time, no
// backtracking on customer text) over named categories of phrases and
// patterns, e.g. "human_request", "legal_threat", "medical". A match preceded
// closely by a negation ("I don't need an agent", "no lawyer") does not count.
//
// Built once (when a policy loads), then immutable: Match() is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/common/error.h"

namespace hitlgate::signals {

// At most this many categories (they are reported as a 64-bit set).
inline constexpr int kMaxCategories = 64;

struct PhraseCategory {
  std::string name;
  // Case-insensitive literal phrases, matched on word boundaries; "*" inside a
  // phrase matches one word ("speak to a * person").
  std::vector<std::string> phrases;
  // RE2 regular expressions (case-insensitive), for what phrases cannot say.
  std::vector<std::string> patterns;
  // When true, a negation within the three words before a match cancels it.
  bool negatable = true;
};

// Where an invalid phrase or pattern came from, so the policy checker can
// report file:line:column: (category index, index within phrases or patterns).
struct PatternError {
  int category = 0;
  bool is_pattern = false;  // false: phrases[index]; true: patterns[index]
  int index = 0;
  std::string message;
};

class PhraseMatcher {
 public:
  // Compiles all categories into one matcher. On failure returns every
  // invalid entry (not just the first).
  [[nodiscard]] static std::expected<std::shared_ptr<const PhraseMatcher>,
                                     std::vector<PatternError>>
  Build(std::vector<PhraseCategory> categories);

  // Bit i set when category i matched (and was not negated).
  std::uint64_t Match(std::string_view text) const;

  int category_count() const;
  const std::string& category_name(int i) const;
  // -1 when absent.
  int FindCategory(std::string_view name) const;

  // The built-in phrase sets, which a policy's `phrases:` extends:
  // human_request, legal_threat, frustration, medical, financial, legal.
  static std::vector<PhraseCategory> BuiltinCategories();

  ~PhraseMatcher();
  struct Impl;  // RE2 stays inside src/signals

 private:
  explicit PhraseMatcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hitlgate::signals
