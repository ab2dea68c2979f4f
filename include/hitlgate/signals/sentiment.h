// SentimentScorer: a lexicon-based sentiment scorer in the manner of VADER
// (Hutto & Gilbert 2014): word valences, negation, intensifiers ("very"),
// dampeners ("slightly"), ALL-CAPS emphasis, "but" shifts, exclamation and
// question marks, and emoji. Hand-written because no Debian package offers a
// C++ lexicon scorer; the algorithm is small and documented in docs/signals.md.
//
// Immutable after construction; Score() is thread-safe and allocation-free
// for texts under 4 KiB.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "hitlgate/common/error.h"

namespace hitlgate::signals {

struct SentimentScore {
  double compound = 0.0;  // normalized to [-1, 1]
  double positive = 0.0;  // share of positive valence, [0, 1]
  double negative = 0.0;
  int exclamations = 0;   // '!' count
  double caps_ratio = 0.0;  // share of alphabetic words written in capitals
};

class SentimentLexicon;  // word -> valence; opaque

class SentimentScorer {
 public:
  // The built-in contact-center lexicon (compiled into the binary).
  static std::shared_ptr<const SentimentScorer> Default();
  // Loads a VADER-format lexicon file (token<TAB>mean<TAB>...), merged over
  // the built-in one. InvalidArgument with file:line on a malformed line;
  // NotFound when the file is missing.
  [[nodiscard]] static Result<std::shared_ptr<const SentimentScorer>> FromFile(
      const std::string& path);

  SentimentScore Score(std::string_view text) const;
  // In German, French, Spanish, Italian or Portuguese ("de", "fr-CH"...) the
  // model learned for that language (docs/signals.md), whatever lexicon this
  // scorer holds; in any other language, or "", Score(text).
  SentimentScore Score(std::string_view text, std::string_view language) const;

  explicit SentimentScorer(std::shared_ptr<const SentimentLexicon> lexicon);
  ~SentimentScorer();

 private:
  std::shared_ptr<const SentimentLexicon> lexicon_;
};

}  // namespace hitlgate::signals
