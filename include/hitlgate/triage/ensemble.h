// The default triage model `hitlgate train` writes: a fastText model and a
// character n-gram logistic regression (liblinear), their probabilities mixed
// with a weight, the top label's probability calibrated (isotonic, as in
// classifier.h). Hyperparameters come from a seeded, deterministic search on a
// stratified validation split of the training data (docs/learning.md).
//
// On disk it is one directory (a bundle): manifest.json (format, weights,
// chosen parameters, calibration, the search's validation figures),
// fasttext.bin and linear.bin. LoadTextClassifier() also loads a single
// fastText model file, what `hitlgate train --no-search` and older versions
// write.
//
// A loaded classifier is immutable and Predict() is thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "hitlgate/triage/classifier.h"

namespace hitlgate::triage {

class CharNgramLinearModel;

// Before each training the search runs: `index` counts from 1 to `total`;
// then once more with `finished` (index = total, what = "done").
struct SearchStep {
  int index = 0;
  int total = 0;
  std::string what;
  bool finished = false;
};

struct SearchOptions {
  // dim, buckets, threads, seed and scratch_dir apply to every fastText
  // candidate; epochs, lr, word n-grams and subwords come from the grid.
  TrainOptions base;
  double validation_share = 0.2;          // per label, seeded
  std::vector<TrainOptions> fasttext_grid;  // empty: DefaultFastTextGrid(base)
  std::vector<double> linear_c = {10, 30, 100};
  std::vector<double> linear_weights = {0, 0.25, 0.5, 0.6, 0.7, 0.8, 1};
  double target_accuracy = 0.96;  // for the routed share the search weighs
  std::function<void(const SearchStep&)> on_step;
};

// One candidate scored on the validation split.
struct SearchTrial {
  std::string what;  // e.g. "fastText epochs=100 lr=1 ngrams=2 subwords=3", "linear C=30", "0.7 x linear C=30 + ..."
  double accuracy = 0;
  double routed = 0;  // share routed at the target accuracy
};

struct SearchReport {
  int fit_messages = 0;
  int validation_messages = 0;
  std::vector<SearchTrial> trials;  // every member, then the chosen mix
  SearchTrial chosen;
  TrainOptions fasttext;  // the chosen fastText parameters
  double linear_c = 0;
  double linear_weight = 0;  // 0 = fastText only, 1 = linear only
};

// Today's default plus more epochs, a higher rate, other n-gram settings.
std::vector<TrainOptions> DefaultFastTextGrid(const TrainOptions& base);

class EnsembleClassifier final : public TextClassifier {
 public:
  // Searches, fits the calibration on the validation split, then trains the
  // chosen members on all examples. Same seed and data, same model.
  // InvalidArgument: fewer than 2 labels, no examples, an empty grid.
  [[nodiscard]] static Result<std::unique_ptr<EnsembleClassifier>> TrainWithSearch(
      const std::vector<LabeledText>& examples, const SearchOptions& options, SearchReport* report = nullptr);
  // InvalidArgument naming the file and the problem.
  [[nodiscard]] static Result<std::unique_ptr<EnsembleClassifier>> Load(const std::string& directory);
  // Creates the directory; refuses a path that is a file.
  [[nodiscard]] Result<void> Save(const std::string& directory) const;

  ~EnsembleClassifier() override;
  std::vector<Prediction> Predict(std::string_view text, int k = 1) const override;
  std::vector<std::string> Labels() const override { return labels_; }

  double linear_weight() const { return linear_weight_; }
  const std::vector<learning::IsotonicBlock>& calibration() const { return calibration_; }

 private:
  EnsembleClassifier() = default;
  std::vector<double> Mixed(std::string_view text) const;

  std::vector<std::string> labels_;
  std::unique_ptr<FastTextClassifier> fasttext_;     // null when the weight is 1
  std::unique_ptr<CharNgramLinearModel> linear_;     // null when the weight is 0
  std::vector<int> fasttext_to_label_;               // fastText label index -> labels_ index
  std::vector<int> linear_to_label_;                 // linear label index -> labels_ index
  double linear_weight_ = 0;
  std::vector<learning::IsotonicBlock> calibration_;
  std::string manifest_extra_;  // the search's parameters and figures, kept in manifest.json
};

// A bundle directory or a single fastText model file.
[[nodiscard]] Result<std::unique_ptr<TextClassifier>> LoadTextClassifier(const std::string& path);

}  // namespace hitlgate::triage
