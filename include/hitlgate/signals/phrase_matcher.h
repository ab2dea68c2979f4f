// PhraseMatcher: one multi-pattern matcher (RE2::Set: linear time, no
// backtracking on customer text) over named categories of phrases and
// patterns, e.g. "human_request", "legal_threat", "medical". A match preceded
// closely by a negation ("I don't need an agent", "no lawyer") does not count.
//
// Phrases tolerate spelling: the text is also matched after misspelt words
// of the signal vocabulary are corrected, shorthand expanded and joined words
// split ("talk with a live agemt", "talkto", "pls"). A category named
// "human_request" is also decided by a small learned model when its phrases
// do not fire (docs/signals.md).
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

// Why a category fired, for the decision's explanation.
enum class EvidenceSource { kPhrase, kPattern, kModel };

struct MatchEvidence {
  int category = 0;
  EvidenceSource source = EvidenceSource::kPhrase;
  // phrases[index] or patterns[index] of the category; -1 for the model.
  int index = -1;
  // The text that matched (after spelling normalization), or the model score.
  std::string matched;
  double model_score = 0;  // kModel only: the probability, in [0, 1]
  // The words corrected on the way, "agemt -> agent"; empty when none.
  std::vector<std::string> corrections;
  // One line for people: `phrase "live agent" matched "live agent"
  // (spelling: agemt -> agent)` or `model score 0.93 >= 0.80`.
  std::string detail;
};

class PhraseMatcher {
 public:
  // Compiles all categories into one matcher. On failure returns every
  // invalid entry (not just the first).
  [[nodiscard]] static std::expected<std::shared_ptr<const PhraseMatcher>,
                                     std::vector<PatternError>>
  Build(std::vector<PhraseCategory> categories);

  // Bit i set when category i matched (and was not negated). Allocates
  // nothing when nothing matches. `language` (BCP 47, e.g. the detected
  // one): for text in a language other than English the English spelling
  // corrections and the English person model are not tried, only the
  // phrases and patterns as written (every language's phrases are built in);
  // empty means unknown and is read as English.
  std::uint64_t Match(std::string_view text, std::string_view language = {}) const;

  // The same decision as Match(), with one entry per category that fired
  // saying which phrase, pattern or model score fired it. Slower (it
  // allocates); for explanations, not the hot path.
  std::vector<MatchEvidence> Explain(std::string_view text) const;

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
