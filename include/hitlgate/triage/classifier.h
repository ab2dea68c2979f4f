// Triage classifier: a fastText model (Debian libfasttext) that names the
// intent of a customer message with a probability, trained from labeled text
// (CSV `text,label`, clinc150's JSON, or a `feedback export`). fastText
// stays inside src/triage; the rest of hitlgate sees TextClassifier.
//
// The probability is calibrated: training holds out a share of the data,
// fits isotonic regression of the top probability against correctness on it
// (hitlgate/learning/calibration.h), then trains the final model on all of
// it. A message whose calibrated probability is under `oos_threshold`, or
// whose top label is the out-of-scope label, is out of scope.
//
// A loaded classifier is immutable and Predict() is thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/common/error.h"
#include "hitlgate/learning/calibration.h"

namespace hitlgate::triage {

struct LabeledText {
  std::string text;
  std::string label;
};

struct Prediction {
  std::string label;
  double probability = 0;  // the model's softmax probability
  double calibrated = 0;   // calibrated probability of being right (top label only)
};

class TextClassifier {
 public:
  virtual ~TextClassifier() = default;
  // The `k` most likely labels, most likely first (k <= 0: all).
  virtual std::vector<Prediction> Predict(std::string_view text, int k = 1) const = 0;
  virtual std::vector<std::string> Labels() const = 0;
};

struct TrainOptions {
  int epochs = 25;
  double learning_rate = 0.5;
  int dim = 50;
  int word_ngrams = 2;
  int min_subword = 3;  // character n-grams (0 = none); helps with typos
  int max_subword = 5;
  // Hash buckets for word and character n-grams: model size is about
  // buckets x dim x 4 bytes (200,000 x 50 = 40 MB).
  int buckets = 200000;
  int threads = 1;      // 1 keeps training reproducible
  int seed = 1;
  double calibration_holdout = 0.1;  // share held out to fit the calibration; 0 = none
  std::string scratch_dir;           // for fastText's input file; empty = the system temp folder
};

class FastTextClassifier final : public TextClassifier {
 public:
  // InvalidArgument: fewer than 2 labels or no examples.
  [[nodiscard]] static Result<std::unique_ptr<FastTextClassifier>> Train(
      const std::vector<LabeledText>& examples, const TrainOptions& options);
  // Reads MODEL and, when present, MODEL.calibration.json.
  [[nodiscard]] static Result<std::unique_ptr<FastTextClassifier>> Load(const std::string& path);
  [[nodiscard]] Result<void> Save(const std::string& path) const;

  ~FastTextClassifier() override;
  std::vector<Prediction> Predict(std::string_view text, int k = 1) const override;
  std::vector<std::string> Labels() const override;
  // Every label's probability, in Labels() order, uncalibrated: Predict()
  // without sorting or naming labels (the ensemble mixes these).
  std::vector<double> Probabilities(std::string_view text) const;

  const std::vector<learning::IsotonicBlock>& calibration() const { return calibration_; }

 private:
  struct Model;
  explicit FastTextClassifier(std::unique_ptr<Model> model);
  std::unique_ptr<Model> model_;
  std::vector<learning::IsotonicBlock> calibration_;  // empty: calibrated = probability
};

// Lower case, punctuation split off: the tokens fastText sees.
std::string NormalizeText(std::string_view text);

// ---- Data ----------------------------------------------------------------

// CSV with a header; the first column is the text, the last the label
// (quotes as in RFC 4180). InvalidArgument names the line.
[[nodiscard]] Result<std::vector<LabeledText>> ReadCsv(const std::string& path);
// clinc150's data_full_train_val.json: `split` is "train" or "val";
// `with_oos` adds oos_<split> with the label "oos".
[[nodiscard]] Result<std::vector<LabeledText>> ReadClinc(const std::string& path, std::string_view split,
                                                         bool with_oos);
// A `feedback export`: the customer's message labeled with the AI's intent
// where the human approved or edited the proposal (the intent was right).
[[nodiscard]] Result<std::vector<LabeledText>> ReadFeedbackExport(const std::string& path);

}  // namespace hitlgate::triage
