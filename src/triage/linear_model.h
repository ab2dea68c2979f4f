// A character n-gram logistic regression (Debian liblinear), the second
// member of the triage ensemble. Features: character 2..5-grams of each word
// with its boundaries ("<card>"), the words and the word bigrams of
// NormalizeText(text), seen in at least two training messages; weighted
// 1 + ln(tf) times idf and scaled to unit length. liblinear is linked here
// and nowhere else. Internal to src/triage.
//
// Immutable once trained or loaded; Probabilities() is thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hitlgate/common/error.h"
#include "hitlgate/triage/classifier.h"

namespace hitlgate::triage {

struct LinearOptions {
  double c = 30;  // inverse regularization strength
  int seed = 1;   // liblinear's dual solver shuffles with rand()
};

class CharNgramLinearModel {
 public:
  // InvalidArgument: no examples or fewer than 2 labels.
  [[nodiscard]] static Result<std::unique_ptr<CharNgramLinearModel>> Train(const std::vector<LabeledText>& examples,
                                                                          const LinearOptions& options);
  // Our own binary format (liblinear's text format is ~5x larger).
  [[nodiscard]] static Result<std::unique_ptr<CharNgramLinearModel>> Load(const std::string& path);
  [[nodiscard]] Result<void> Save(const std::string& path) const;

  const std::vector<std::string>& labels() const { return labels_; }
  // One probability per labels() entry, summing to 1 (liblinear's one-vs-rest
  // sigmoids, normalized).
  std::vector<double> Probabilities(std::string_view text) const;

 private:
  CharNgramLinearModel() = default;
  std::vector<std::pair<int, double>> Features(std::string_view text) const;

  std::vector<std::string> labels_;
  std::unordered_map<std::string, int> vocabulary_;  // feature -> row
  std::vector<float> idf_;                           // per row
  std::vector<float> weights_;                       // row-major: rows x labels
};

}  // namespace hitlgate::triage
