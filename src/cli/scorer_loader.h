// Loads the sentiment scorer a command asked for. Internal to src/cli.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "hitlgate/signals/sentiment.h"

namespace hitlgate::cli {

// nullptr (after printing why on stderr) when the lexicon cannot be loaded.
inline std::shared_ptr<const signals::SentimentScorer> LoadScorer(const std::string& lexicon_path) {
  if (lexicon_path.empty()) return signals::SentimentScorer::Default();
  auto scorer = signals::SentimentScorer::FromFile(lexicon_path);
  if (!scorer) {
    std::fprintf(stderr, "hitlgate: %s\n", scorer.error().ToString().c_str());
    return nullptr;
  }
  return *scorer;
}

}  // namespace hitlgate::cli
