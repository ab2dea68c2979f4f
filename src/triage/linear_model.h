// A character n-gram logistic regression (Debian liblinear), the second
// member of the triage ensemble. Features: character 2..5-grams of each word
// with its boundaries ("<card>"), the words and the word bigrams of
// NormalizeText(text), seen in at least two training messages, known by a
// 64-bit FNV-1a hash; weighted 1 + ln(tf) times idf and scaled to unit
// length. liblinear is linked here and nowhere else. Internal to src/triage.
//
// Immutable once trained or loaded; Probabilities() is thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <cstdint>
#include <vector>

#include "hitlgate/common/error.h"
#include "hitlgate/triage/classifier.h"

namespace hitlgate::triage {

// Feature hash -> row, open addressing (0 is the empty key).
class FeatureTable {
 public:
  FeatureTable() = default;
  explicit FeatureTable(const std::vector<std::uint64_t>& keys);  // row i = keys[i]
  int Find(std::uint64_t key) const;                               // -1: not a feature
  std::vector<std::uint64_t> KeysByRow(size_t rows) const;
  size_t size() const { return size_; }

 private:
  std::vector<std::uint64_t> keys_;
  std::vector<int> rows_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

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
  FeatureTable vocabulary_;
  std::vector<float> idf_;      // per row
  size_t stride_ = 0;           // labels, rounded up to a multiple of 8
  std::vector<float> weights_;  // row-major: rows x stride_, the padding 0
};

}  // namespace hitlgate::triage
